using ScratchNet.Tests.Serialization;

namespace ScratchNet.Tests.Training;

/// <summary>
/// Resumable checkpoints: training 2 epochs, saving, loading into a new trainer and training 2 more gives
/// bit for bit the parameters of 4 epochs straight, whatever the optimizer, with batch norm, dropout,
/// augmentation, a schedule and a custom layer with state.
/// </summary>
public sealed class ResumeTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("scratchnet-resume-").FullName;

    public ResumeTests() => CountingScale.Register();

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    public static TheoryData<string> Optimizers => ["Sgd", "Momentum", "Nesterov", "RMSProp", "Adam"];

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void Two_epochs_a_checkpoint_and_two_more_equal_four_epochs_straight_for_a_dense_network(string optimizer)
    {
        Dataset data = Digits(96, 784);
        Func<Network> create = () => TestNetworks.Seed(seed: 3);
        var options = new TrainingOptions { Epochs = 4, BatchSize = 10, Seed = 5, LearningRateSchedule = LearningRateSchedule.Linear(0.5f, 0.05f) };

        int[] straight = Straight(create, () => Optimizer(optimizer), new QuadraticCost(), data, options);
        int[] resumed = Resumed(create, () => Optimizer(optimizer), new QuadraticCost(), data, options);

        Assert.Equal(straight, resumed);
    }

    [Fact]
    public void A_convolutional_network_with_batch_norm_dropout_augmentation_and_a_custom_layer_resumes_bit_for_bit()
    {
        Dataset data = Digits(64, 8 * 8);
        Network Create()
        {
            var network = new Network(
                [8, 8, 1],
                new Conv2D(1, 4, 3, padding: 1), new BatchNorm(4), new Relu(), new MaxPool2D(2),
                new Flatten(), new Dense(64, 16), new CountingScale(16), new Relu(), new Dropout(0.3f), new Dense(16, 10));
            network.Initialize(7);
            return network;
        }

        var options = new TrainingOptions
        {
            Epochs = 4,
            BatchSize = 8,
            Seed = 9,
            LearningRateSchedule = LearningRateSchedule.WarmupCosine(0.01f, warmupEpochs: 1, final: 0.001f),
            Augmentation = new ImageAugmentation(8, 8, maxShift: 1f),
        };

        int[] straight = Straight(Create, () => new Adam(0.01f, weightDecay: 1e-3f), new SoftmaxCrossEntropyCost(), data, options);
        int[] resumed = Resumed(Create, () => new Adam(0.01f, weightDecay: 1e-3f), new SoftmaxCrossEntropyCost(), data, options);

        Assert.Equal(straight, resumed);
    }

    [Fact]
    public void A_resumable_model_checkpoint_writes_a_checkpoint_each_epoch_that_also_loads_as_a_model()
    {
        Dataset data = Digits(40, 784);
        string path = Path.Combine(_folder, "run.scnn");
        var options = new TrainingOptions { Epochs = 3, Seed = 1, Callbacks = [new ModelCheckpoint(path, saveBestOnly: false, resumable: true)] };
        var trainer = new Trainer(TestNetworks.Seed(), new QuadraticCost(), new Adam(0.01f));

        trainer.Fit(data, options);
        TrainingCheckpoint checkpoint = TrainingCheckpoint.Load(path);

        Assert.Equal(3, checkpoint.Epoch);
        Assert.Equal(3, checkpoint.Epochs);
        Assert.Equal(TestNetworks.WeightBits(trainer.Network), TestNetworks.WeightBits(checkpoint.Network));
        Assert.Equal(TestNetworks.WeightBits(trainer.Network), TestNetworks.WeightBits(Network.Load(path)));
    }

    [Fact]
    public void A_checkpoint_resumes_only_the_run_it_was_written_by()
    {
        Dataset data = Digits(40, 784);
        string path = Path.Combine(_folder, "run.scnn");
        var trainer = new Trainer(TestNetworks.Seed(), new QuadraticCost(), new Adam(0.01f));
        trainer.Fit(data, new TrainingOptions { Epochs = 1, Seed = 1 });
        trainer.SaveCheckpoint(path);
        TrainingCheckpoint checkpoint = TrainingCheckpoint.Load(path);
        var options = new TrainingOptions { Epochs = 3, Seed = 1, ResumeFrom = checkpoint };

        var otherNetwork = Assert.Throws<ArgumentException>(() => new Trainer(TestNetworks.Seed(), new QuadraticCost(), new Adam(0.01f)).Fit(data, options));
        var otherBatch = Assert.Throws<ArgumentException>(() => new Trainer(checkpoint.Network, new QuadraticCost(), new Adam(0.01f)).Fit(data, options with { BatchSize = 20 }));
        var otherOptimizer = Assert.Throws<ArgumentException>(() => new Trainer(checkpoint.Network, new QuadraticCost(), new Sgd(0.1f)).Fit(data, options));
        var done = Assert.Throws<ArgumentException>(() => new Trainer(checkpoint.Network, new QuadraticCost(), new Adam(0.01f)).Fit(data, options with { Epochs = 1 }));

        Assert.StartsWith($"The checkpoint {path} resumes its own network: create the trainer with checkpoint.Network.", otherNetwork.Message);
        Assert.StartsWith($"The checkpoint {path} cannot continue this run: it was written with batch size 10, not 20.", otherBatch.Message);
        Assert.StartsWith($"The checkpoint {path} was written by a Adam optimizer; resume it with one (the trainer has Sgd).", otherOptimizer.Message);
        Assert.StartsWith($"The checkpoint {path} cannot continue this run: it was written with 1 epochs already done, as many as or more than the 1 asked for.", done.Message);
    }

    [Fact]
    public void A_plain_model_file_is_not_a_checkpoint_and_nothing_is_saved_before_the_first_epoch()
    {
        string path = Path.Combine(_folder, "model.scnn");
        TestNetworks.Seed().Save(path);
        var trainer = new Trainer(TestNetworks.Seed(), new QuadraticCost(), new Sgd(0.1f));

        var notCheckpoint = Assert.Throws<InvalidDataException>(() => TrainingCheckpoint.Load(path));
        var tooEarly = Assert.Throws<InvalidOperationException>(() => trainer.SaveCheckpoint(path));

        Assert.Equal($"Cannot resume from {path}: it is a model file without training state. Write resumable checkpoints with Trainer.SaveCheckpoint or ModelCheckpoint(resumable: true).", notCheckpoint.Message);
        Assert.Equal("There is nothing to resume yet: a checkpoint is written after at least one epoch of Fit.", tooEarly.Message);
    }

    [Fact]
    public void A_damaged_training_section_is_refused_even_with_a_valid_checksum()
    {
        Dataset data = Digits(40, 784);
        string path = Path.Combine(_folder, "run.scnn");
        var trainer = new Trainer(TestNetworks.Seed(), new QuadraticCost(), new Sgd(0.1f));
        trainer.Fit(data, new TrainingOptions { Epochs = 1, Seed = 1 });
        trainer.SaveCheckpoint(path);
        byte[] bytes = File.ReadAllBytes(path);
        int order = ModelBytes.IndexOf(bytes, "training"u8) + "training".Length + 4 + 21 + 4;   // after the name, the length and the fixed fields
        BitConverter.GetBytes(40).CopyTo(bytes, order);   // an index outside 0 … 39
        File.WriteAllBytes(path, ModelBytes.Reseal(bytes));

        var error = Assert.Throws<InvalidDataException>(() => TrainingCheckpoint.Load(path));

        Assert.Equal($"Cannot load the model from {path} (its training section): the order is not a permutation of 0 to 39: entry 0 is 40 (at byte offset 25).", error.Message);
    }

    private int[] Straight(Func<Network> create, Func<Optimizer> optimizer, Cost cost, Dataset data, TrainingOptions options)
    {
        var trainer = new Trainer(create(), cost, optimizer());
        trainer.Fit(data, options);
        return TestNetworks.WeightBits(trainer.Network).Concat(StateBits(trainer.Network)).ToArray();
    }

    private int[] Resumed(Func<Network> create, Func<Optimizer> optimizer, Cost cost, Dataset data, TrainingOptions options)
    {
        // Stop after 2 of the 4 epochs: a callback stops the run, as a killed process would have after its last checkpoint.
        string path = Path.Combine(_folder, Guid.NewGuid().ToString("N") + ".scnn");
        var first = new Trainer(create(), cost, optimizer());
        var stopAfterTwo = new LambdaCallback(onEpochEnd: (r, run) =>
        {
            if (r.Epoch == 2)
            {
                run.Stop("interrupted");
            }
        });
        first.Fit(data, options with { Callbacks = [stopAfterTwo, new ModelCheckpoint(path, saveBestOnly: false, resumable: true)] });

        TrainingCheckpoint checkpoint = TrainingCheckpoint.Load(path);
        Assert.Equal(2, checkpoint.Epoch);
        var second = new Trainer(checkpoint.Network, cost, optimizer());
        TrainingHistory history = second.Fit(data, options with { ResumeFrom = checkpoint });
        Assert.Equal([3, 4], history.Select(r => r.Epoch));
        return TestNetworks.WeightBits(second.Network).Concat(StateBits(second.Network)).ToArray();
    }

    private static int[] StateBits(Network network) =>
        network.Layers.SelectMany(l => l.State).SelectMany(s => s.Value.Span.ToArray()).Select(BitConverter.SingleToInt32Bits).ToArray();

    private static Optimizer Optimizer(string name) => name switch
    {
        "Sgd" => new Sgd(0.5f, weightDecay: 1e-3f),
        "Momentum" => new Sgd(0.1f, momentum: 0.9f),
        "Nesterov" => new Sgd(0.1f, momentum: 0.9f, nesterov: true),
        "RMSProp" => new RmsProp(0.01f),
        "Adam" => new Adam(0.01f),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "not an optimizer of this test"),
    };

    /// <summary>Random pixel images with random labels: enough to move every weight.</summary>
    private static Dataset Digits(int count, int pixels)
    {
        Tensor inputs = TestNetworks.Random(count, 0, 1, count, pixels);
        var random = new Random(count);
        int[] labels = Enumerable.Range(0, count).Select(_ => random.Next(10)).ToArray();
        return Dataset.FromLabels(inputs, labels, 10);
    }
}
