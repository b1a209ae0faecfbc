using ScratchNet;

namespace ConvNet;

/// <summary>The ConvNet sample's network, in one place (the benchmarks build the same one from this file).</summary>
internal static class ConvNetModel
{
    /// <summary>
    /// Three blocks of 3×3 convolution, batch norm, ReLU and 2×2 max pooling (32, 64, 128 filters), then
    /// dense 1152→256, ReLU, dropout 0.4, dense 256→10 logits; He initialisation, seeded.
    /// </summary>
    public static Network Create(int seed)
    {
        var network = new Network(
            [28, 28, 1],
            new Conv2D(1, 32, 3, padding: 1, initializer: Initializer.HeUniform), new BatchNorm(32), new Relu(), new MaxPool2D(2),   // 14×14×32
            new Conv2D(32, 64, 3, padding: 1, initializer: Initializer.HeUniform), new BatchNorm(64), new Relu(), new MaxPool2D(2),  // 7×7×64
            new Conv2D(64, 128, 3, padding: 1, initializer: Initializer.HeUniform), new BatchNorm(128), new Relu(), new MaxPool2D(2), // 3×3×128
            new Flatten(),
            new Dense(3 * 3 * 128, 256, Initializer.HeUniform), new Relu(), new Dropout(0.4f),
            new Dense(256, 10));
        network.Initialize(seed);
        return network;
    }
}
