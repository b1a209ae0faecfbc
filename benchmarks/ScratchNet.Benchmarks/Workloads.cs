namespace ScratchNet.Benchmarks;

/// <summary>
/// The networks and data that the benchmarks, <c>ScratchNet.PeerTimings</c> and the peer scripts in
/// <c>benchmarks/peers</c> all measure, defined once. The data is random: a float32 array of MNIST's
/// shape costs exactly what MNIST costs, since no kernel looks at the values.
/// </summary>
internal static class Workloads
{
    /// <summary>MNIST's training set size: one epoch is this many samples.</summary>
    public const int TrainingSamples = 60_000;

    /// <summary>MNIST's test set size.</summary>
    public const int TestSamples = 10_000;

    /// <summary>The seed network, 784-16-16-10 with sigmoids (Glorot init, seed 1), as samples/SeedNetwork builds it.</summary>
    public static Network SeedNetwork()
    {
        var network = new Network(
            new Dense(784, 16), new Sigmoid(),
            new Dense(16, 16), new Sigmoid(),
            new Dense(16, 10), new Sigmoid());
        network.Initialize(1);
        return network;
    }

    /// <summary>The seed's trainer: quadratic cost and plain SGD.</summary>
    public static Trainer SeedTrainer(Network network) => new(network, new QuadraticCost(), new Sgd(0.5f));

    /// <summary>
    /// The architecture of samples/ConvNet (compiled from its ConvNetModel.cs), with random weights (seed 1):
    /// three blocks of 3×3 convolution, batch norm, ReLU and 2×2 max pooling (32, 64, 128 filters), then
    /// dense 1152→256, ReLU, dropout 0.4, dense 256→10.
    /// </summary>
    public static Network ConvNet()
    {
        return global::ConvNet.ConvNetModel.Create(seed: 1);
    }

    /// <summary>The ConvNet sample's trainer: softmax cross-entropy and AdamW (η 2·10⁻³, λ 10⁻⁴).</summary>
    public static Trainer ConvNetTrainer(Network network) => new(network, new SoftmaxCrossEntropyCost(), new Adam(2e-3f, weightDecay: 1e-4f));

    /// <summary>
    /// <paramref name="count"/> random 784-pixel images with random one-hot labels. Each pixel is b / 255 for
    /// a random byte b, as MNIST's are, so training reads them from the byte copy exactly as it reads
    /// MNIST; no other cost depends on the values.
    /// </summary>
    public static Dataset RandomMnist(int count, int seed = 1)
    {
        var random = new Random(seed);
        byte[] pixels = new byte[count * 784];
        for (int i = 0; i < pixels.Length; i++)
        {
            pixels[i] = (byte)random.Next(256);
        }

        int[] labels = new int[count];
        for (int i = 0; i < count; i++)
        {
            labels[i] = random.Next(10);
        }

        // Kept as bytes, as Mnist.Load keeps the real digits: training reads them the same way.
        return Dataset.FromPixels(pixels, [784], labels, 10);
    }

    /// <summary>A tensor of <paramref name="shape"/> filled with uniform values in [−1, 1).</summary>
    public static Tensor RandomTensor(int seed, params int[] shape)
    {
        var random = new Random(seed);
        var tensor = new Tensor(shape);
        foreach (ref float v in tensor.Span)
        {
            v = (2 * random.NextSingle()) - 1;
        }

        return tensor;
    }
}
