namespace ScratchNet.OnnxTests;

/// <summary>
/// A random network of each layer kind, exported and imported again, computes exactly what it computed
/// before: the same layers (less Dropout, which is left out at inference), the same weights, the same bits out.
/// </summary>
public sealed class RoundTripTests
{
    public static TheoryData<string> Kinds => [.. Networks.Keys];

    private static readonly Dictionary<string, Func<Network>> Networks = new()
    {
        ["Dense"] = () => new Network(new Dense(12, 7)),
        ["Conv2D, stride and padding"] = () => new Network([6, 5, 2], new Conv2D(2, 3, 3, stride: 2, padding: 1)),
        ["MaxPool2D, stride below its size"] = () => new Network([7, 7, 3], new MaxPool2D(3, stride: 2)),
        ["BatchNorm over features"] = () => new Network(new Dense(5, 6), new BatchNorm(6)),
        ["BatchNorm over channels"] = () => new Network([4, 4, 3], new BatchNorm(3)),
        ["Flatten feeding a Dense layer"] = () => new Network([5, 4, 3], new Conv2D(3, 4, 2), new Flatten(), new Relu(), new Dense(48, 5)),
        ["Flatten at the output"] = () => new Network([5, 4, 3], new Conv2D(3, 4, 2), new Flatten()),
        ["Dropout"] = () => new Network(new Dense(8, 6), new Dropout(0.5f), new Dense(6, 3)),
        ["Relu"] = () => new Network(new Dense(6, 6), new Relu()),
        ["Sigmoid"] = () => new Network(new Dense(6, 6), new Sigmoid()),
        ["Tanh"] = () => new Network(new Dense(6, 6), new Tanh()),
        ["LeakyRelu"] = () => new Network(new Dense(6, 6), new LeakyRelu(0.3f)),
        ["Identity"] = () => new Network(new Dense(6, 6), new Identity()),
        ["Softmax"] = () => new Network(new Dense(6, 6), new Softmax()),
        ["Softmax over channels-last maps"] = () => new Network([3, 3, 2], new Conv2D(2, 4, 1), new Softmax()),
    };

    [Theory]
    [MemberData(nameof(Kinds))]
    public void A_random_network_of_each_layer_kind_round_trips_with_identical_outputs(string kind)
    {
        Network network = Networks[kind]();
        network.Initialize(seed: kind.Length);
        foreach (BatchNorm norm in network.Layers.OfType<BatchNorm>())
        {
            TestNetworks.Random(kind.Length, -0.5f, 0.5f, norm.Features).Span.CopyTo(norm.RunningMean.Span);
            TestNetworks.Random(kind.Length + 1, 0.5f, 2f, norm.Features).Span.CopyTo(norm.RunningVariance.Span);
            TestNetworks.Random(kind.Length + 2, 0.5f, 2f, norm.Features).Span.CopyTo(norm.Scale.Value.Span);
        }

        Tensor input = TestNetworks.Random(7, -1, 1, [4, .. network.InputShape]);

        Network imported = Onnx.Import(new MemoryStream(ModelChecks.Export(network)));

        Assert.Equal(network.Layers.Where(l => l is not Dropout).Select(l => l.Name), imported.Layers.Select(l => l.Name));
        Assert.Equal(network.InputShape, imported.InputShape);
        Assert.Equal(TestNetworks.WeightBits(network), TestNetworks.WeightBits(imported));
        Assert.Equal(Bits(network.Predict(input)), Bits(imported.Predict(input)));
    }

    [Fact]
    public void The_best_network_round_trips_with_identical_outputs_on_test_digits()
    {
        Network best = Pretrained.MnistBest();
        Tensor digits = MnistLocator.Data.Test.Slice(0, 200).Inputs;

        Network imported = Onnx.Import(new MemoryStream(ModelChecks.Export(best)));

        Assert.Equal(Bits(Outputs.Predict(best, digits)), Bits(Outputs.Predict(imported, digits)));
    }

    private static int[] Bits(Tensor tensor) => Bits(tensor.Span.ToArray());

    private static int[] Bits(float[] values) => [.. values.Select(BitConverter.SingleToInt32Bits)];
}
