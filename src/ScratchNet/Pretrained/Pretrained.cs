namespace ScratchNet;

/// <summary>Networks trained on MNIST, shipped inside the library: no download, no data needed.</summary>
public static class Pretrained
{
    /// <summary>
    /// The seed network, 784-16-16-10 with sigmoid neurons and the quadratic cost, trained by
    /// <c>samples/SeedNetwork</c> with its default recipe. Input: 784 pixels in [0, 1], row-major,
    /// 0 = background; output: ten activations, the largest is the digit. Each call returns a new network.
    /// </summary>
    public static Network MnistSeed() => Load("mnist-seed.scnn");

    /// <summary>
    /// The most accurate network shipped, 99.72% on the MNIST test set: a small convolutional network
    /// (three 3×3 convolution blocks of 32, 64 and 128 filters with batch norm and max pooling, the second and third
    /// each starting with one more 3×3 convolution that keeps its input's width (32, 64), a dense layer of 256 with
    /// dropout, ten outputs; 437,226
    /// parameters) trained by <c>samples/ConvNet</c> with its default recipe. Input: 784 pixels in [0, 1] (a row of MNIST, seen
    /// as a 28×28×1 image); output: ten logits, the largest is the digit (apply a softmax for
    /// probabilities). Each call returns a new network.
    /// </summary>
    public static Network MnistBest() => Load("mnist-best.scnn");

    private static Network Load(string file)
    {
        string name = "ScratchNet.Pretrained." + file;
        using Stream stream = typeof(Pretrained).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The pre-trained model '{name}' is missing from the ScratchNet assembly.");
        return Network.Load(stream);
    }
}
