using System.Runtime.CompilerServices;

namespace ScratchNet.Tests.Training;

public sealed class TrainerTests
{
    private static Trainer SeedTrainer(int seed, float eta = 1.5f)
    {
        Network network = TestNetworks.Seed(seed: seed);
        return new Trainer(network, new QuadraticCost(), new Sgd(eta));
    }

    [Fact]
    public void Five_epochs_on_5000_digits_reach_88_percent_on_the_official_test_set()
    {
        Dataset training = MnistLocator.Data.Training.Slice(0, 5000);
        Trainer trainer = SeedTrainer(seed: 1);

        trainer.Fit(training, new TrainingOptions { Epochs = 5, BatchSize = 10, Seed = 1, LearningRateSchedule = LearningRateSchedule.Linear(1.5f, 0.5f) });

        Evaluation result = trainer.Network.Evaluate(MnistLocator.Data.Test);
        Assert.True(result.Accuracy >= 0.88, result.ToString());
    }

    [Fact]
    public void Training_twice_with_the_same_seed_gives_bit_identical_weights()
    {
        Dataset training = MnistLocator.Data.Training.Slice(0, 2000);
        var options = new TrainingOptions { Epochs = 2, BatchSize = 10, Seed = 7 };

        Trainer first = SeedTrainer(seed: 3);
        first.Fit(training, options);
        Trainer second = SeedTrainer(seed: 3);
        second.Fit(training, options);
        Trainer otherShuffle = SeedTrainer(seed: 3);
        otherShuffle.Fit(training, options with { Seed = 8 });

        Assert.Equal(TestNetworks.WeightBits(first.Network), TestNetworks.WeightBits(second.Network));
        Assert.NotEqual(TestNetworks.WeightBits(first.Network), TestNetworks.WeightBits(otherShuffle.Network));
    }

    [Fact]
    public void Progress_gets_one_report_per_epoch_with_the_schedule_and_the_validation_result()
    {
        Dataset training = MnistLocator.Data.Training.Slice(0, 1000);
        Dataset validation = MnistLocator.Data.Test.Slice(0, 500);
        var reports = new List<EpochReport>();

        IReadOnlyList<EpochReport> history = SeedTrainer(seed: 1).Fit(
            training,
            new TrainingOptions { Epochs = 3, LearningRateSchedule = LearningRateSchedule.Linear(1f, 0.5f), Validation = validation },
            new SynchronousProgress(reports.Add));

        Assert.Equal(history, reports);
        Assert.Equal([1, 2, 3], reports.Select(r => r.Epoch));
        Assert.Equal([1f, 0.75f, 0.5f], reports.Select(r => r.LearningRate));
        Assert.All(reports, r =>
        {
            Assert.Equal(3, r.Epochs);
            Assert.Equal(500, r.Validation!.Count);
            Assert.InRange(r.TrainingCost, 0.01, 2);
            Assert.InRange(r.TrainingAccuracy, 0.05, 1);
            Assert.True(r.Elapsed > TimeSpan.Zero);
        });
        Assert.True(reports[2].TrainingCost < reports[0].TrainingCost);
    }

    [Fact]
    public void Cancellation_stops_training_between_minibatches()
    {
        using var cancellation = new CancellationTokenSource();
        var reports = new List<EpochReport>();
        Trainer trainer = SeedTrainer(seed: 1);

        Assert.Throws<OperationCanceledException>(() => trainer.Fit(
            MnistLocator.Data.Training.Slice(0, 1000),
            new TrainingOptions { Epochs = 5 },
            new SynchronousProgress(r => { reports.Add(r); cancellation.Cancel(); }),
            cancellation.Token));

        Assert.Single(reports);
    }

    [Fact]
    public void Data_that_does_not_fit_the_network_is_a_clear_error()
    {
        Dataset data = Dataset.FromLabels(new Tensor(4, 100), new int[4], 10);

        var error = Assert.Throws<ArgumentException>(() => SeedTrainer(seed: 1).Fit(data));

        Assert.Equal("The training set has 100 inputs and 10 targets per sample, but the network takes 784 inputs and gives 10 outputs.", error.Message);
    }

    [Fact]
    public void A_training_step_and_a_single_digit_prediction_allocate_nothing_once_warm()
    {
        Trainer trainer = SeedTrainer(seed: 1);
        Dataset batch = MnistLocator.Data.Training.Slice(0, 10);
        float[] digit = batch.Inputs.Sample(0).ToArray();
        float[] output = new float[10];
        AllocatedBy(1000, () => trainer.TrainBatch(batch.Inputs, batch.Targets)); // warm up: buffers, JIT tiers
        AllocatedBy(1000, () => trainer.Network.Predict(digit, output));

        // The smallest object is 24 bytes, so under one byte per call over 10,000 calls means no call allocates;
        // the runtime itself may allocate a few kilobytes once while the test runs.
        Assert.InRange(AllocatedBy(10_000, () => trainer.TrainBatch(batch.Inputs, batch.Targets)), 0, 9_999);
        Assert.InRange(AllocatedBy(10_000, () => trainer.Network.Predict(digit, output)), 0, 9_999);
    }

    /// <summary>Bytes allocated on this thread by <paramref name="count"/> calls; compiled fully optimised at once, so the measuring loop itself never changes tier mid-way.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static long AllocatedBy(int count, Action action)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < count; i++)
        {
            action();
        }

        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    [Fact]
    public void A_step_schedule_multiplies_by_the_factor_every_few_epochs()
    {
        LearningRateSchedule schedule = LearningRateSchedule.Step(1f, 0.5f, every: 2);

        Assert.Equal([1f, 1f, 0.5f, 0.5f, 0.25f], Enumerable.Range(1, 5).Select(e => schedule.LearningRate(e, 5)));
    }

    /// <summary>Reports on the training thread (Progress&lt;T&gt; posts to the thread pool, too late for an assertion).</summary>
    private sealed class SynchronousProgress(Action<EpochReport> report) : IProgress<EpochReport>
    {
        public void Report(EpochReport value) => report(value);
    }
}
