namespace ScratchNet.Tests.Serialization;

public sealed class ActivationRoundTripTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("scratchnet-activations-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Theory]
    [InlineData("ReLU")]
    [InlineData("LeakyReLU")]
    [InlineData("Tanh")]
    [InlineData("Identity")]
    [InlineData("Softmax")]
    public void A_network_with_the_activation_saves_and_loads_bit_identical(string type)
    {
        Layer activation = type switch
        {
            "ReLU" => new Relu(),
            "LeakyReLU" => new LeakyRelu(0.3f),
            "Tanh" => new Tanh(),
            "Identity" => new Identity(),
            "Softmax" => new Softmax(),
            _ => throw new ArgumentOutOfRangeException(nameof(type), type, "No activation of that name in this test: add it to the switch."),
        };
        var network = new Network(new Dense(6, 5), activation, new Dense(5, 4), type == "Softmax" ? new Softmax() : new Sigmoid());
        network.Initialize(12);
        string path = Path.Combine(_folder, type + ".scnn");

        network.Save(path);
        Network loaded = Network.Load(path);

        Assert.Equal(activation.GetType(), loaded.Layers[1].GetType());
        Assert.Equal(network.Layers.Select(l => l.Name), loaded.Layers.Select(l => l.Name));
        Assert.Equal(TestNetworks.WeightBits(network), TestNetworks.WeightBits(loaded));
        Tensor x = TestNetworks.Random(12, -2, 2, 3, 6);
        Assert.Equal(network.Predict(x).Span.ToArray(), loaded.Predict(x).Span.ToArray());
    }

    [Fact]
    public void The_leaky_relu_slope_comes_back_bit_for_bit()
    {
        float alpha = 1f / 3;
        string path = Path.Combine(_folder, "leaky.scnn");

        new Network(new Dense(2, 2), new LeakyRelu(alpha)).Save(path);
        var loaded = (LeakyRelu)Network.Load(path).Layers[1];

        Assert.Equal(BitConverter.SingleToInt32Bits(alpha), BitConverter.SingleToInt32Bits(loaded.Alpha));
    }

    [Fact]
    public void A_leaky_relu_slope_the_layer_rejects_is_reported_with_the_layer()
    {
        string path = Path.Combine(_folder, "bad.scnn");
        byte[] bytes = ModelBytes.Of(new Network(new Dense(2, 2), new LeakyRelu(0.5f)));
        int at = ModelBytes.IndexOf(bytes, "LeakyReLU"u8) + "LeakyReLU".Length + 4; // after the name and the settings count
        Assert.Equal(0.5, BitConverter.ToDouble(bytes, at));
        BitConverter.GetBytes(2.0).CopyTo(bytes, at);
        File.WriteAllBytes(path, ModelBytes.Reseal(bytes));

        var error = Assert.Throws<InvalidDataException>(() => Network.Load(path));

        Assert.Equal($"Cannot load the model from {path}: layer 1 (LeakyReLU) does not accept the settings [2]: The slope α of a leaky ReLU must be at least 0 and below 1 (at byte offset {at - 4}).", error.Message);
    }

    [Fact]
    public void An_unknown_layer_type_is_still_reported_as_unknown()
    {
        string path = Path.Combine(_folder, "unknown.scnn");
        byte[] bytes = ModelBytes.Of(new Network(new Dense(2, 2), new Tanh()));
        int at = ModelBytes.IndexOf(bytes, "Tanh"u8);
        "Tanx"u8.CopyTo(bytes.AsSpan(at));
        File.WriteAllBytes(path, ModelBytes.Reseal(bytes));

        var error = Assert.Throws<InvalidDataException>(() => Network.Load(path));

        Assert.Equal($"Cannot load the model from {path}: layer 1 has the unknown type \"Tanx\"; if it is a custom layer, register it with LayerTypes.Register before loading (at byte offset {at - 4}).", error.Message);
    }
}
