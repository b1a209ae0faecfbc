namespace ScratchNet.Tests;

/// <summary>Small networks and random data shared by the tests.</summary>
internal static class TestNetworks
{
    /// <summary>The seed's architecture, 784-16-16-10, all sigmoid.</summary>
    public static Network Seed(Initializer? initializer = null, int seed = 0)
    {
        var network = new Network(
            new Dense(784, 16, initializer), new Sigmoid(),
            new Dense(16, 16, initializer), new Sigmoid(),
            new Dense(16, 10, initializer), new Sigmoid());
        network.Initialize(seed);
        return network;
    }

    /// <summary>A tensor of the given shape with values uniform in [low, high), from a seeded generator.</summary>
    public static Tensor Random(int seed, float low, float high, params int[] shape)
    {
        var random = new Random(seed);
        var tensor = new Tensor(shape);
        Span<float> values = tensor.Span;
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = low + ((high - low) * random.NextSingle());
        }

        return tensor;
    }

    /// <summary>One-hot targets for <paramref name="count"/> samples of <paramref name="classes"/> classes.</summary>
    public static Tensor OneHot(int seed, int count, int classes)
    {
        var random = new Random(seed);
        var tensor = new Tensor(count, classes);
        for (int n = 0; n < count; n++)
        {
            tensor[(n * classes) + random.Next(classes)] = 1f;
        }

        return tensor;
    }

    /// <summary>Runs forward (in training mode) and backward once, leaving ∂C/∂θ in every parameter and returning ∂C/∂x.</summary>
    public static Tensor Backpropagate(Network network, Cost cost, Tensor x, Tensor y)
    {
        Tensor a = network.Forward(x, training: true);
        var gradient = new Tensor(a.Shape.ToArray());
        cost.Gradient(a, y, gradient);
        return network.Backward(gradient).Clone();
    }

    /// <summary>Every parameter's gradient, concatenated, as raw bits.</summary>
    public static int[] GradientBits(Network network) =>
        network.Parameters.SelectMany(p => p.Gradient.Span.ToArray()).Select(BitConverter.SingleToInt32Bits).ToArray();

    /// <summary>Every parameter value of a network, concatenated, as raw bits.</summary>
    public static int[] WeightBits(Network network) =>
        network.Parameters.SelectMany(p => p.Value.Span.ToArray()).Select(BitConverter.SingleToInt32Bits).ToArray();
}
