namespace ScratchNet.OnnxTests;

/// <summary>A network for MNIST digits with every built-in layer and activation, its batch-norm statistics set away from their starting values.</summary>
internal static class EveryLayer
{
    public static Network Create(int seed = 15)
    {
        var network = new Network(
            [28, 28, 1],
            new Conv2D(1, 4, 3, padding: 1), new BatchNorm(4), new Relu(), new MaxPool2D(2),  // 14×14×4
            new Conv2D(4, 6, 3, stride: 2), new LeakyRelu(0.2f), new BatchNorm(6),            // 6×6×6
            new MaxPool2D(3, stride: 1),                                                       // 4×4×6
            new Flatten(),
            new Dense(96, 32), new Dropout(0.25f), new Tanh(),
            new Dense(32, 16), new BatchNorm(16), new Sigmoid(),
            new Dense(16, 10), new Identity(), new Softmax());
        network.Initialize(seed);
        var random = new Random(seed);
        foreach (BatchNorm norm in network.Layers.OfType<BatchNorm>())
        {
            for (int c = 0; c < norm.Features; c++)
            {
                norm.RunningMean.Span[c] = (random.NextSingle() - 0.5f) * 0.4f;
                norm.RunningVariance.Span[c] = 0.5f + random.NextSingle();
                norm.Scale.Value.Span[c] = 0.5f + random.NextSingle();
                norm.Shift.Value.Span[c] = (random.NextSingle() - 0.5f) * 0.2f;
            }
        }

        return network;
    }
}
