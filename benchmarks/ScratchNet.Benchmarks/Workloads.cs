namespace ScratchNet.Benchmarks;

/// <summary>
/// The networks and data that the benchmarks, <c>ScratchNet.PeerTimings</c> and the peer scripts in
/// <c>benchmarks/peers</c> all measure, defined once. The data is mostly random: a float32 array of MNIST's
/// shape costs what MNIST costs wherever no kernel looks at the values. The one that does (the forward
/// product skips blocks of 8 inputs that are 0) is timed on the real digits, <see cref="MnistTraining"/>.
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
    /// The plain architecture of samples/ConvNet (compiled from its ConvNetModel.cs), with random weights (seed 1):
    /// three blocks of 3×3 convolution, batch norm, ReLU and 2×2 max pooling (32, 64, 128 filters), then
    /// dense 1152→256, ReLU, dropout 0.4, dense 256→10 (the network of benchmarks/peers/convnet_torch.py;
    /// the shipped Pretrained.MnistBest() adds one convolution to block 3).
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

    /// <summary>
    /// MNIST's 60,000 training digits when the files are found ($SCRATCHNET_MNIST, else data/mnist in the
    /// current folder or a folder above it), else <see langword="null"/>. The first dense layer skips blocks of
    /// 8 pixels that are 0 (four pixels in five of a digit are), so its cost on real digits is lower than on
    /// random pixels: the seed's epoch is timed on the real digits, as the samples train.
    /// </summary>
    public static Dataset? MnistTraining()
    {
        string? directory = Environment.GetEnvironmentVariable("SCRATCHNET_MNIST") is { Length: > 0 } fromEnvironment ? fromEnvironment : null;
        for (var folder = new DirectoryInfo(Directory.GetCurrentDirectory()); directory is null && folder is not null; folder = folder.Parent)
        {
            string candidate = Path.Combine(folder.FullName, "data", "mnist");
            directory = Directory.Exists(candidate) ? candidate : null;
        }

        return directory is null ? null : Mnist.Load(directory).Training;
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
