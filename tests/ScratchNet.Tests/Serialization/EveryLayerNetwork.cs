namespace ScratchNet.Tests.Serialization;

/// <summary>
/// A small network with every built-in layer type, its batch-norm statistics set away from their
/// starting values, and the input its fixtures were recorded with. The v2 fixture
/// (<c>Fixtures/every-layer-v2.scnn</c>, with its outputs in <c>every-layer-v2.outputs</c>) was written
/// by format version 2 from exactly this network, so v3 readers are checked against files of each version.
/// </summary>
internal static class EveryLayerNetwork
{
    public static Network Create(int seed = 3)
    {
        var network = new Network(
            [8, 8, 2],
            new Conv2D(2, 3, 3, padding: 1), new BatchNorm(3), new Relu(), new MaxPool2D(2),   // 4×4×3
            new Conv2D(3, 4, 3), new LeakyRelu(0.2f),                                          // 2×2×4
            new Flatten(),
            new Dense(16, 6), new Dropout(0.25f), new Tanh(),
            new Dense(6, 5), new Sigmoid(),
            new Dense(5, 4), new Identity(), new Softmax());
        network.Initialize(seed);
        var norm = (BatchNorm)network.Layers[1];
        new float[] { 0.25f, -0.5f, 0.125f }.CopyTo(norm.RunningMean.Span);
        new float[] { 1.5f, 0.75f, 2f }.CopyTo(norm.RunningVariance.Span);
        return network;
    }

    /// <summary>Three images of 8×8×2 with values in [−1, 1).</summary>
    public static Tensor Input() => TestNetworks.Random(5, -1, 1, 3, 8, 8, 2);
}
