using ScratchNet;

namespace ConvNet;

/// <summary>The ConvNet sample's network, in one place (the benchmarks build the same one from this file).</summary>
internal static class ConvNetModel
{
    /// <summary>
    /// Three blocks of 3×3 convolution, batch norm, ReLU and 2×2 max pooling (32, 64, 128 filters), then
    /// dense 1152→256, ReLU, dropout 0.4, dense 256→10 logits; He initialisation, seeded. Each block named in
    /// <paramref name="doubledBlocks"/> (2, 3 or both) starts with one more convolution, batch norm and ReLU
    /// that keep its input's width (32→32 at 14×14, or 64→64 at 7×7): the deeper candidates of
    /// docs/best-model-candidates.md. <c>Pretrained.MnistBest()</c> is blocks 2 and 3 doubled (the sample's default); the
    /// benchmarks time the plain network, which PyTorch's peer in benchmarks/peers builds too.
    /// </summary>
    public static Network Create(int seed, params IReadOnlyCollection<int> doubledBlocks)
    {
        var network = new Network(
            [28, 28, 1],
            [
                .. Block(1, 32, doubled: false),   // 14×14×32
                .. Block(32, 64, doubled: doubledBlocks.Contains(2)),  // 7×7×64
                .. Block(64, 128, doubled: doubledBlocks.Contains(3)), // 3×3×128
                new Flatten(),
                new Dense(3 * 3 * 128, 256, Initializer.HeUniform), new Relu(), new Dropout(0.4f),
                new Dense(256, 10),
            ]);
        network.Initialize(seed);
        return network;
    }

    /// <summary>3×3 convolution (padding 1), batch norm, ReLU, 2×2 max pooling; doubled: a width-keeping convolution, batch norm and ReLU first.</summary>
    private static Layer[] Block(int inputChannels, int filters, bool doubled)
    {
        Layer[] block = [Conv(inputChannels, filters), new BatchNorm(filters), new Relu(), new MaxPool2D(2)];
        return doubled ? [Conv(inputChannels, inputChannels), new BatchNorm(inputChannels), new Relu(), .. block] : block;
    }

    private static Conv2D Conv(int inputChannels, int filters) => new(inputChannels, filters, 3, padding: 1, initializer: Initializer.HeUniform);

    /// <summary>
    /// The small network of the <c>--fast</c> recipe: two blocks of 3×3 convolution, batch norm, ReLU and 2×2
    /// max pooling (16, 32 filters), then dense 1568→128, ReLU, dense 128→10 logits; He initialisation, seeded.
    /// </summary>
    /// <remarks>
    /// Measured on 2 cores (batch 128, one epoch): 16/32 filters ≈ 10 s, 32/64 ≈ 20 s, 24/48 ≈ 53 s (channel
    /// counts off the kernels' multiples of 16 take a slow path); a 5×5 stride-2 first layer was slower still.
    /// 16/32 needs a third epoch for a safe 99.0% (two epochs gave 98.96–99.31% over seeds 1–3).
    /// </remarks>
    public static Network CreateFast(int seed)
    {
        var network = new Network(
            [28, 28, 1],
            new Conv2D(1, 16, 3, padding: 1, initializer: Initializer.HeUniform), new BatchNorm(16), new Relu(), new MaxPool2D(2),   // 14×14×16
            new Conv2D(16, 32, 3, padding: 1, initializer: Initializer.HeUniform), new BatchNorm(32), new Relu(), new MaxPool2D(2),  // 7×7×32
            new Flatten(),
            new Dense(7 * 7 * 32, 128, Initializer.HeUniform), new Relu(),
            new Dense(128, 10));
        network.Initialize(seed);
        return network;
    }
}
