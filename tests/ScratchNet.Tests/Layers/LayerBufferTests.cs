using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ScratchNet.Tests.Layers;

/// <summary>
/// A layer's buffers across batch sizes (Layer.Reuse): a network that trains on batches of 64, ends an epoch with a
/// smaller one and evaluates in batches of 256 keeps one storage per buffer, for the largest batch, and computes
/// exactly what fresh buffers give; a batch under a sixteenth of a storage gets its own, so the large one can go.
/// </summary>
public sealed class LayerBufferTests
{
    /// <summary>Conv, batch norm, ReLU, pooling, dense, softmax: every layer kind that keeps per-batch buffers.</summary>
    private static Network Small(int seed)
    {
        var network = new Network(
            [8, 8, 1],
            new Conv2D(1, 16, 3, padding: 1), new BatchNorm(16), new Relu(), new MaxPool2D(2),
            new Flatten(), new Dense(4 * 4 * 16, 10), new Softmax());
        network.Initialize(seed);
        return network;
    }

    [Fact]
    public void Batches_of_other_sizes_reuse_the_largest_storage_and_compute_the_same_bits()
    {
        Network reused = Small(seed: 3);
        Tensor all = TestNetworks.Random(seed: 5, -1f, 1f, 256, 8, 8, 1);
        Tensor targets = TestNetworks.OneHot(seed: 6, 256, 10);
        var cost = new SoftmaxCrossEntropyCost();

        Tensor first = reused.Forward(all);
        long storage = Address(first);
        foreach (int batch in (int[])[16, 64, 32, 256, 100])
        {
            Tensor x = Slice(all, batch), y = Slice(targets, batch);
            Network fresh = Copy(reused);   // the same weights and running statistics, new buffers
            Assert.Equal(Bits(fresh.Forward(x)), Bits(reused.Forward(x)));
            Assert.Equal(storage, Address(reused.Forward(x)));   // the outputs of 256 samples' storage, seen as `batch`
            Assert.Equal(batch, reused.Forward(x).BatchSize);

            // Training: pooling's winners and every ∂ buffer reused too, the same gradients and ∂C/∂x to the bit.
            Assert.Equal(Bits(TestNetworks.Backpropagate(fresh, cost, x, y)), Bits(TestNetworks.Backpropagate(reused, cost, x, y)));
            Assert.Equal(TestNetworks.GradientBits(fresh), TestNetworks.GradientBits(reused));
        }
    }

    [Fact]
    public void Changing_the_batch_size_within_the_storage_allocates_no_buffer()
    {
        Network network = Small(seed: 1);
        Tensor large = TestNetworks.Random(seed: 2, 0f, 1f, 256, 8, 8, 1);
        Tensor small = Slice(large, 16);
        network.Forward(large);
        network.Forward(small);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10; i++)
        {
            network.Forward(large);
            network.Forward(small);
        }

        // Each change of size makes a small view object per buffer (the storage stays): far below one buffer of
        // 256 samples (conv output alone: 256 × 8 × 8 × 16 floats = 256 KB).
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated < 20 * 2 * 1024, $"{allocated} bytes for 20 changes of batch size");
    }

    [Fact]
    public void A_batch_under_a_sixteenth_of_the_storage_gets_its_own_and_the_large_one_can_go()
    {
        Network network = Small(seed: 1);
        Tensor large = TestNetworks.Random(seed: 2, 0f, 1f, 256, 8, 8, 1);
        long storage = Address(network.Forward(large));

        Assert.Equal(storage, Address(network.Forward(Slice(large, 16))));    // 16 of 256: kept
        Tensor one = network.Forward(Slice(large, 15));                       // below a sixteenth: its own storage
        Assert.NotEqual(storage, Address(one));
        Assert.Equal(Bits(Small(seed: 1).Forward(Slice(large, 15))), Bits(one));
    }

    private static Network Copy(Network network)
    {
        using var stream = new MemoryStream();
        network.Save(stream);
        stream.Position = 0;
        return Network.Load(stream);
    }

    private static Tensor Slice(Tensor tensor, int batch)
    {
        int[] shape = tensor.Shape.ToArray();
        shape[0] = batch;
        return new Tensor(tensor.Span[..(batch * tensor.SampleSize)], shape);
    }

    private static int[] Bits(Tensor tensor) => tensor.Span.ToArray().Select(BitConverter.SingleToInt32Bits).ToArray();

    private static unsafe long Address(Tensor tensor) => (long)Unsafe.AsPointer(ref MemoryMarshal.GetReference(tensor.Span));
}
