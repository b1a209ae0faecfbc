using System.Security.Cryptography;

namespace ScratchNet.Tests.Kernels;

/// <summary>
/// Training bits pinned down: a small network with every rule that moved from <c>Kernels/</c> into its
/// layer (σ, max(z, 0), the leaky slope, batch norm forward and backward, Adam) trains a few steps, and
/// the SHA-256 of its weights, running statistics and last output must equal the hash recorded before
/// the move. Odd widths (9 channels, 13 and 11 features) send values through the vector and scalar paths.
/// </summary>
public sealed class RuleBitsTests
{
    /// <summary>Recorded on commit 4dacc45, before the rules moved into their layers.</summary>
    private const string Expected = "B0809D017F814C835777EBE6A9351EBFFDE270498EAA3CFC9D59E3A79852D3CE";

    [Fact]
    public void Training_with_batch_norm_leaky_relu_relu_sigmoid_and_adam_keeps_its_bits()
    {
        var network = new Network(
            [6, 6, 3],
            new Conv2D(3, 9, 3, padding: 1), new BatchNorm(9), new LeakyRelu(0.1f),
            new Flatten(),
            new Dense(324, 13), new BatchNorm(13), new Relu(),
            new Dense(13, 11), new Sigmoid());
        network.Initialize(7);
        var optimizer = new Adam(0.01f, weightDecay: 0.01f);
        Tensor x = TestNetworks.Random(11, -1, 1, 5, 6, 6, 3);
        Tensor y = TestNetworks.Random(12, 0, 1, 5, 11);
        Tensor a = x;
        for (int step = 0; step < 4; step++)
        {
            a = network.Forward(x, training: true);
            float[] gradient = new float[a.Length];
            for (int i = 0; i < gradient.Length; i++)
            {
                gradient[i] = a.Span[i] - y.Span[i]; // the quadratic cost's ∂C/∂a
            }

            network.Backward(new Tensor(gradient, a.Shape.ToArray()));
            optimizer.Step(network.Parameters);
        }

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (Parameter p in network.Parameters)
        {
            hash.AppendData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(p.Value.Span));
        }

        foreach (Layer layer in network.Layers)
        {
            foreach (StateTensor s in layer.State)
            {
                hash.AppendData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(s.Value.Span));
            }
        }

        hash.AppendData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(network.Forward(x, training: false).Span));
        Assert.Equal(Expected, Convert.ToHexString(hash.GetHashAndReset()));
    }
}
