namespace ScratchNet;

/// <summary>
/// The MNIST digits as <see cref="Mnist.Load"/> returns them. Each input row is one 28×28 image,
/// row-major, with pixel values scaled to [0, 1] (0 = background); each target row is one-hot over the
/// ten digits, and <see cref="Dataset.Label"/> gives the digit back.
/// </summary>
public sealed class MnistData
{
    internal MnistData(Dataset training, Dataset test)
    {
        Training = training;
        Test = test;
    }

    /// <summary>The 60,000 training samples: inputs <c>[60000, 784]</c>, targets <c>[60000, 10]</c>.</summary>
    public Dataset Training { get; }

    /// <summary>The 10,000 test samples: inputs <c>[10000, 784]</c>, targets <c>[10000, 10]</c>.</summary>
    public Dataset Test { get; }
}
