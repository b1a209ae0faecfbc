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
            "ReLU" => new ReLU(),
            "LeakyReLU" => new LeakyReLU(0.3f),
            "Tanh" => new Tanh(),
            "Identity" => new Identity(),
            _ => new Softmax(),
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

        new Network(new Dense(2, 2), new LeakyReLU(alpha)).Save(path);
        var loaded = (LeakyReLU)Network.Load(path).Layers[1];

        Assert.Equal(BitConverter.SingleToInt32Bits(alpha), BitConverter.SingleToInt32Bits(loaded.Alpha));
    }

    [Fact]
    public void A_leaky_relu_slope_the_layer_rejects_is_reported_with_the_layer()
    {
        string path = Path.Combine(_folder, "bad.scnn");
        new Network(new Dense(2, 2), new LeakyReLU(0.5f)).Save(path);
        byte[] bytes = File.ReadAllBytes(path);
        int at = IndexOf(bytes, "LeakyReLU"u8.ToArray()) + "LeakyReLU".Length + 4; // after the name and the config count
        Assert.Equal(BitConverter.SingleToInt32Bits(0.5f), BitConverter.ToInt32(bytes, at));
        BitConverter.GetBytes(BitConverter.SingleToInt32Bits(2f)).CopyTo(bytes, at);
        File.WriteAllBytes(path, bytes);

        var error = Assert.Throws<InvalidDataException>(() => Network.Load(path));

        Assert.StartsWith($"Cannot load the model from {path}: layer 1 (LeakyReLU) does not accept the configuration [{BitConverter.SingleToInt32Bits(2f)}]", error.Message);
    }

    [Fact]
    public void An_unknown_layer_type_is_still_reported_as_unknown()
    {
        string path = Path.Combine(_folder, "unknown.scnn");
        new Network(new Dense(2, 2), new Tanh()).Save(path);
        byte[] bytes = File.ReadAllBytes(path);
        "Tanx"u8.CopyTo(bytes.AsSpan(IndexOf(bytes, "Tanh"u8.ToArray())));
        File.WriteAllBytes(path, bytes);

        var error = Assert.Throws<InvalidDataException>(() => Network.Load(path));

        Assert.StartsWith($"Cannot load the model from {path}: layer 1 has the unknown type \"Tanx\"", error.Message);
    }

    private static int IndexOf(byte[] haystack, byte[] needle)
    {
        int at = haystack.AsSpan().IndexOf(needle);
        Assert.True(at >= 0);
        return at;
    }
}
