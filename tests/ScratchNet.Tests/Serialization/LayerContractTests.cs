namespace ScratchNet.Tests.Serialization;

/// <summary>
/// The layer contract as saving sees it: every public layer type round-trips through a model file, a
/// registered custom layer saves its settings, parameters and state like a built-in one, and files of
/// every earlier format version still load.
/// </summary>
public sealed class LayerContractTests
{
    static LayerContractTests() => LayerTypes.Register("Test.Centering", s => new Centering((int)s[0]));

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
        Network v2 = Network.Load(Fixture("mnist-seed-v2.scnn"));
        Network v3 = Pretrained.MnistSeed();
        Tensor digits = TestNetworks.Random(8, 0, 1, 20, 784);

        Assert.Equal(TestNetworks.WeightBits(v3), TestNetworks.WeightBits(v2));
        Assert.Equal(v3.Predict(digits).Span.ToArray(), v2.Predict(digits).Span.ToArray());
    }

    [Fact]
    public void A_registered_custom_layer_saves_its_settings_parameters_and_state()
    {
        var network = new Network(new Dense(3, 4), new Centering(4), new Sigmoid());
        network.Initialize(4);
        var centering = (Centering)network.Layers[1];
        new float[] { 0.5f, -1f, 2f, 0.25f }.CopyTo(centering.Mean.Span);
        new float[] { 0.1f, 0.2f, 0.3f, 0.4f }.CopyTo(centering.Shift.Value.Span);
        Tensor x = TestNetworks.Random(3, -1, 1, 5, 3);

        Network loaded = ModelBytes.Load(ModelBytes.Of(network));

        var again = Assert.IsType<Centering>(loaded.Layers[1]);
        Assert.Equal(4, again.Features);
        Assert.Equal(centering.Mean.Span.ToArray(), again.Mean.Span.ToArray());
        Assert.Equal(network.Predict(x).Span.ToArray(), loaded.Predict(x).Span.ToArray());
    }

    [Fact]
    public void A_custom_layer_state_is_captured_and_restored_like_batch_norm_statistics()
    {
        var network = new Network(new Dense(3, 4), new Centering(4));
        var centering = (Centering)network.Layers[1];
        centering.Mean[1] = 7f;
        var snapshot = new NetworkSnapshot(network);
        snapshot.Capture();

        network.Forward(TestNetworks.Random(1, -1, 1, 2, 3), training: true);   // moves the running mean
        Assert.NotEqual(7f, centering.Mean[1]);
        snapshot.Restore();

        Assert.Equal(7f, centering.Mean[1]);
        Assert.EndsWith("(plus 4 state values, such as batch-norm running statistics, saved but not trained)", network.Summary());
    }

    [Fact]
    public void Registering_a_name_twice_for_different_types_is_refused()
    {
        var taken = Assert.Throws<ArgumentException>(() => LayerTypes.Register("Dense", _ => new Centering(1)));
        var renamed = Assert.Throws<ArgumentException>(() => LayerTypes.Register("Test.Other", s => new Centering(1)));

        Assert.StartsWith("The layer type name \"Dense\" already stands for ScratchNet.Dense; choose another name for ScratchNet.Tests.Serialization.LayerContractTests+Centering.", taken.Message);
        Assert.StartsWith("ScratchNet.Tests.Serialization.LayerContractTests+Centering is already registered as \"Test.Centering\"", renamed.Message);
    }

    private static int[] StateBits(Network network) =>
        network.Layers.SelectMany(l => l.State).SelectMany(s => s.Value.Span.ToArray()).Select(BitConverter.SingleToInt32Bits).ToArray();

    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", name);

    /// <summary>
    /// A custom layer with a setting, a parameter and state: a = z − m + s, where s is trained and m is a
    /// running mean of z (updated in training, after the output is computed).
    /// </summary>
    private sealed class Centering : Layer
    {
        private readonly Parameter[] _parameters;
        private readonly StateTensor[] _state;
        private Tensor? _output;

        public Centering(int features)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(features, 1);
            Features = features;
            Shift = new Parameter("s", new Tensor(features), new Tensor(features));
            Mean = new Tensor(features);
            _parameters = [Shift];
            _state = [new StateTensor("m", Mean)];
        }

        public int Features { get; }

        public Parameter Shift { get; }

        public Tensor Mean { get; }

        public override IReadOnlyList<Parameter> Parameters => _parameters;

        public override IReadOnlyList<StateTensor> State => _state;

        public override IReadOnlyList<double> Configuration => [Features];

        public override int[] OutputShape(ReadOnlySpan<int> inputShape) => inputShape.ToArray();

        protected override Tensor ForwardCore(Tensor input, bool training)
        {
            _output = Reuse(_output, input.BatchSize, input.Shape[1..]);
            for (int i = 0; i < input.Length; i++)
            {
                _output[i] = input[i] - Mean[i % Features] + Shift.Value[i % Features];
            }

            if (training)
            {
                for (int i = 0; i < input.Length; i++)
                {
                    Mean[i % Features] = (0.9f * Mean[i % Features]) + (0.1f * input[i]);
                }
            }

            return _output;
        }

        protected override Tensor BackwardCore(Tensor outputGradient)
        {
            Shift.Gradient.Clear();
            for (int i = 0; i < outputGradient.Length; i++)
            {
                Shift.Gradient[i % Features] += outputGradient[i];
            }

            return outputGradient;
        }
    }
}
