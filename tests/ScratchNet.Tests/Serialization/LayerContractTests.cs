namespace ScratchNet.Tests.Serialization;

/// <summary>
/// The layer contract as saving sees it: every public layer type round-trips through a model file, a
/// registered custom layer saves its settings, parameters and state like a built-in one, and files of
/// every earlier format version still load.
/// </summary>
public sealed class LayerContractTests
{
    public LayerContractTests() => CountingScale.Register();

    [Fact]
    public void Every_public_layer_type_is_registered_and_in_the_every_layer_network()
    {
        // Found by reflection, so a new layer cannot be forgotten: add it to EveryLayerNetwork.
        Type[] layerTypes = typeof(Layer).Assembly.GetExportedTypes()
            .Where(t => t.IsSubclassOf(typeof(Layer)) && !t.IsAbstract)
            .ToArray();
        HashSet<Type> inNetwork = EveryLayerNetwork.Create().Layers.Select(l => l.GetType()).ToHashSet();

        Assert.Equal(12, layerTypes.Length);
        Assert.All(layerTypes, t => Assert.True(LayerTypes.IsRegistered(t), $"{t.Name} is not registered"));
        Assert.All(layerTypes, t => Assert.True(inNetwork.Contains(t), $"{t.Name} is missing from EveryLayerNetwork"));
    }

    [Fact]
    public void The_every_layer_network_round_trips_with_identical_outputs_and_state_after_training()
    {
        Network network = EveryLayerNetwork.Create();
        var trainer = new Trainer(network, new QuadraticCost(), new Sgd(0.1f));
        trainer.TrainBatch(EveryLayerNetwork.Input(), TestNetworks.OneHot(2, 3, 4));   // moves weights and running statistics

        Network loaded = ModelBytes.Load(ModelBytes.Of(network));

        Assert.Equal(network.Layers.Select(l => l.Name), loaded.Layers.Select(l => l.Name));
        Assert.Equal(TestNetworks.WeightBits(network), TestNetworks.WeightBits(loaded));
        Assert.Equal(StateBits(network), StateBits(loaded));
        Assert.Equal(network.Predict(EveryLayerNetwork.Input()).Span.ToArray(), loaded.Predict(EveryLayerNetwork.Input()).Span.ToArray());
    }

    [Fact]
    public void The_version_2_fixture_with_every_layer_loads_with_its_recorded_outputs()
    {
        Network loaded = Network.Load(Fixture("every-layer-v2.scnn"));
        int[] recorded = File.ReadAllLines(Fixture("every-layer-v2.outputs")).Select(h => Convert.ToInt32(h, 16)).ToArray();

        float[] outputs = loaded.Predict(EveryLayerNetwork.Input()).Span.ToArray();

        Assert.Equal(recorded, outputs.Select(BitConverter.SingleToInt32Bits));
        Assert.Equal(TestNetworks.WeightBits(EveryLayerNetwork.Create()), TestNetworks.WeightBits(loaded));
        Assert.Equal(StateBits(EveryLayerNetwork.Create()), StateBits(loaded));
    }

    [Fact]
    public void The_seed_model_as_shipped_in_version_2_loads_as_the_version_3_one_does()
    {
        // The same network (the 95.50% one shipped until the recipe changed), saved in both versions.
        Network v2 = Network.Load(Fixture("mnist-seed-v2.scnn"));
        Network v3 = Network.Load(Fixture("mnist-seed-v3.scnn"));
        Tensor digits = TestNetworks.Random(8, 0, 1, 20, 784);

        Assert.Equal(TestNetworks.WeightBits(v3), TestNetworks.WeightBits(v2));
        Assert.Equal(v3.Predict(digits).Span.ToArray(), v2.Predict(digits).Span.ToArray());
    }

    [Fact]
    public void A_registered_custom_layer_saves_its_settings_parameters_and_state()
    {
        var network = new Network(new Dense(3, 4), new CountingScale(4), new Sigmoid());
        network.Initialize(4);
        var scale = (CountingScale)network.Layers[1];
        new float[] { 0.5f, -1f, 2f, 0.25f }.CopyTo(scale.Scale.Value.Span);
        scale.Seen[0] = 1234f;
        Tensor x = TestNetworks.Random(3, -1, 1, 5, 3);

        Network loaded = ModelBytes.Load(ModelBytes.Of(network));

        var again = Assert.IsType<CountingScale>(loaded.Layers[1]);
        Assert.Equal(4, again.Features);
        Assert.Equal(1234f, again.Seen[0]);
        Assert.Equal(network.Predict(x).Span.ToArray(), loaded.Predict(x).Span.ToArray());
    }

    [Fact]
    public void A_custom_layer_state_is_captured_and_restored_like_batch_norm_statistics()
    {
        var network = new Network(new Dense(3, 4), new CountingScale(4));
        var scale = (CountingScale)network.Layers[1];
        scale.Seen[0] = 7f;
        var snapshot = new NetworkSnapshot(network);
        snapshot.Capture();

        network.Forward(TestNetworks.Random(1, -1, 1, 2, 3), training: true);   // counts 2 more samples
        Assert.Equal(9f, scale.Seen[0]);
        snapshot.Restore();

        Assert.Equal(7f, scale.Seen[0]);
        Assert.EndsWith("(plus 1 state value, such as batch-norm running statistics, saved but not trained)", network.Summary());
    }

    [Fact]
    public void Registering_a_name_twice_for_different_types_is_refused()
    {
        var taken = Assert.Throws<ArgumentException>(() => LayerTypes.Register("Dense", _ => new CountingScale(1)));
        var renamed = Assert.Throws<ArgumentException>(() => LayerTypes.Register("Test.Other", s => new CountingScale(1)));

        Assert.StartsWith("The layer type name \"Dense\" already stands for ScratchNet.Dense; choose another name for ScratchNet.Tests.Serialization.CountingScale.", taken.Message);
        Assert.StartsWith("ScratchNet.Tests.Serialization.CountingScale is already registered as \"Test.CountingScale\"", renamed.Message);
    }

    private static int[] StateBits(Network network) =>
        network.Layers.SelectMany(l => l.State).SelectMany(s => s.Value.Span.ToArray()).Select(BitConverter.SingleToInt32Bits).ToArray();

    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", name);
}
