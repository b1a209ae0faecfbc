using ScratchNet.Tests.Serialization;

namespace ScratchNet.Tests.Training;

public sealed class CallbackTests
{
    private static Dataset Small => MnistLocator.Data.Training.Slice(0, 300);

    private static Trainer SeedTrainer(int seed = 1) => new(TestNetworks.Seed(seed: seed), new QuadraticCost(), new Sgd(1f));

    /// <summary>A metric that ignores the network and reads the value scripted for each epoch.</summary>
    private static TrainingMetric Scripted(params double[] values) =>
        TrainingMetric.Custom("scripted cost", higherIsBetter: false, r => values[r.Epoch - 1]);

    /// <summary>Every learned value of a network, parameters and batch-norm statistics, as raw bits.</summary>
    private static int[] LearnedBits(Network network) =>
        network.Layers.SelectMany(l => l.Parameters.Select(p => p.Value).Concat(l.State.Select(s => s.Value)))
            .SelectMany(t => t.Span.ToArray()).Select(BitConverter.SingleToInt32Bits).ToArray();

    [Fact]
    public void Early_stopping_stops_after_patience_epochs_without_a_large_enough_improvement_and_restores_the_best_weights()
    {
        var network = new Network(new Dense(784, 16), new BatchNorm(16), new Sigmoid(), new Dense(16, 10), new Sigmoid());
        network.Initialize(2);
        var trainer = new Trainer(network, new QuadraticCost(), new Sgd(1f));
        var weights = new Dictionary<int, int[]>();
        // Epoch 2 is the best; 0.79 in epoch 4 beats 0.8 by less than the minimum improvement of 0.02.
        var stopping = new EarlyStopping(Scripted(1.0, 0.8, 0.85, 0.79, 0.795, 0.5, 0.4, 0.3), patience: 3, minimumImprovement: 0.02);

        TrainingHistory history = trainer.Fit(Small, new TrainingOptions
        {
            Epochs = 8,
            Callbacks = [new LambdaCallback(onEpochEnd: (r, _) => weights[r.Epoch] = LearnedBits(network)), stopping],
        });

        Assert.Equal(5, history.Count);
        Assert.True(history.StoppedEarly);
        Assert.Equal("the scripted cost has not improved for 3 epochs (best 0.8 in epoch 2)", history.StopReason);
        Assert.Equal(2, stopping.BestEpoch);
        Assert.Equal(0.8, stopping.BestValue);
        Assert.Equal(5, stopping.StoppedEpoch);
        Assert.True(stopping.RestoredBestWeights);
        Assert.Equal(weights[2], LearnedBits(network));
        Assert.NotEqual(weights[5], LearnedBits(network));
    }

    [Fact]
    public void Early_stopping_keeps_the_last_weights_when_the_last_epoch_is_the_best()
    {
        Trainer trainer = SeedTrainer();
        var stopping = new EarlyStopping(Scripted(3, 2, 1), patience: 1);

        TrainingHistory history = trainer.Fit(Small, new TrainingOptions { Epochs = 3, Callbacks = [stopping] });
        int[] last = TestNetworks.WeightBits(trainer.Network);

        Assert.False(history.StoppedEarly);
        Assert.Null(history.StopReason);
        Assert.Equal(3, stopping.BestEpoch);
        Assert.Equal(0, stopping.StoppedEpoch);
        Assert.False(stopping.RestoredBestWeights);
        Assert.Equal(last, TestNetworks.WeightBits(trainer.Network));
    }

    [Fact]
    public void Early_stopping_on_validation_accuracy_counts_higher_as_better()
    {
        Assert.True(TrainingMetric.ValidationAccuracy.Improves(0.91, 0.9));
        Assert.False(TrainingMetric.ValidationAccuracy.Improves(0.905, 0.9, minimumImprovement: 0.01));
        Assert.True(TrainingMetric.ValidationCost.Improves(0.1, 0.2));
        Assert.False(TrainingMetric.ValidationCost.Improves(double.NaN, 0.2));
        Assert.True(TrainingMetric.ValidationCost.Improves(5, null));
    }

    [Fact]
    public void Watching_a_validation_metric_without_a_validation_set_is_a_clear_error_before_training()
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            SeedTrainer().Fit(Small, new TrainingOptions { Callbacks = [new EarlyStopping()] }));

        Assert.Equal("EarlyStopping watches the validation cost, but there is no validation set: set TrainingOptions.Validation or TrainingOptions.ValidationSplit.", error.Message);
    }

    [Fact]
    public void A_checkpoint_holds_the_network_of_the_best_epoch()
    {
        string folder = Directory.CreateTempSubdirectory("scratchnet-checkpoint-").FullName;
        try
        {
            string path = Path.Combine(folder, "best.scnn");
            Trainer trainer = SeedTrainer();
            var weights = new Dictionary<int, int[]>();
            var checkpoint = new ModelCheckpoint(path, Scripted(3, 1, 2));

            trainer.Fit(Small, new TrainingOptions
            {
                Epochs = 3,
                Callbacks = [new LambdaCallback(onEpochEnd: (r, run) => weights[r.Epoch] = TestNetworks.WeightBits(run.Network)), checkpoint],
            });

            Assert.Equal(2, checkpoint.SavedEpoch);
            Assert.Equal(1, checkpoint.BestValue);
            Assert.Equal(weights[2], TestNetworks.WeightBits(Network.Load(path)));
            Assert.NotEqual(weights[3], TestNetworks.WeightBits(Network.Load(path)));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void A_save_that_crashes_half_way_leaves_the_previous_checkpoint_intact()
    {
        string folder = Directory.CreateTempSubdirectory("scratchnet-checkpoint-").FullName;
        try
        {
            string path = Path.Combine(folder, "best.scnn");
            Trainer trainer = SeedTrainer();
            var checkpoint = new ModelCheckpoint(path, Scripted(3, 2, 1));
            int[]? firstEpoch = null;
            byte[]? firstFile = null;
            var crashOnSecondSave = new LambdaCallback(onEpochEnd: (r, run) =>
            {
                if (r.Epoch == 1)
                {
                    firstEpoch = TestNetworks.WeightBits(run.Network);
                }
                else
                {
                    firstFile = File.ReadAllBytes(path);
                    checkpoint.WrapStream = stream => new FailingStream(stream, failAfterBytes: 4096);
                }
            });

            var error = Assert.Throws<IOException>(() => trainer.Fit(Small, new TrainingOptions { Epochs = 3, Callbacks = [crashOnSecondSave, checkpoint] }));

            Assert.Equal($"Cannot save to {path}: The disk went away after 4096 bytes (simulated).", error.Message);
            Assert.Equal("The disk went away after 4096 bytes (simulated).", error.InnerException!.Message);
            Assert.Equal(1, checkpoint.SavedEpoch);
            Assert.Equal(firstFile, File.ReadAllBytes(path));
            Assert.Equal(firstEpoch, TestNetworks.WeightBits(Network.Load(path)));
            Assert.NotEqual(firstEpoch, TestNetworks.WeightBits(trainer.Network));
            Assert.Equal(["best.scnn"], Directory.GetFiles(folder).Select(Path.GetFileName));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void A_custom_schedule_sets_the_learning_rate_of_every_epoch()
    {
        TrainingHistory stepped = SeedTrainer().Fit(Small, new TrainingOptions
        {
            Epochs = 3,
            LearningRateSchedule = LearningRateSchedule.Custom((epoch, epochs) => 0.8f * MathF.Pow(0.5f, epoch - 1)),
        });

        Assert.Equal([0.8f, 0.4f, 0.2f], stepped.Select(r => r.LearningRate));
    }

    [Fact]
    public void A_custom_schedule_that_returns_zero_is_a_clear_error()
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            SeedTrainer().Fit(Small, new TrainingOptions { LearningRateSchedule = LearningRateSchedule.Custom((_, _) => 0f) }));

        Assert.Equal("The learning-rate schedule gave η = 0 for epoch 1; it must be a positive finite number.", error.Message);
    }

    [Fact]
    public void A_lambda_callback_sees_each_epoch_and_can_stop_training()
    {
        var seen = new List<int>();
        var ended = new List<int>();
        var stopAtTwo = new LambdaCallback(onEpochEnd: (r, run) =>
        {
            seen.Add(r.Epoch);
            Assert.Same(r, run.History[^1]);
            if (r.Epoch == 2)
            {
                run.Stop("enough");
                run.Stop("ignored: the first reason is kept");
            }
        });
        var recordEnd = new RecordingCallback(ended);

        TrainingHistory history = SeedTrainer().Fit(Small, new TrainingOptions { Epochs = 10, Callbacks = [stopAtTwo, recordEnd] });

        Assert.Equal([1, 2], seen);
        Assert.Equal([1, 2], history.Select(r => r.Epoch));
        Assert.Equal("enough", history.StopReason);
        Assert.Equal([-2], ended); // OnTrainEnd saw the run end in epoch 2
    }

    [Fact]
    public void Batch_progress_counts_samples_and_its_last_cost_is_the_epoch_cost()
    {
        var positions = new List<BatchProgress>();
        Dataset data = MnistLocator.Data.Training.Slice(0, 95);

        TrainingHistory history = SeedTrainer().Fit(data, new TrainingOptions
        {
            Epochs = 2,
            BatchSize = 10,
            Callbacks = [new LambdaCallback(onBatchEnd: (p, _) => positions.Add(p))],
        });

        Assert.Equal(20, positions.Count);
        Assert.Equal([10, 20, 30, 40, 50, 60, 70, 80, 90, 95], positions.Take(10).Select(p => p.SamplesSeen));
        Assert.Equal(Enumerable.Range(1, 10), positions.Take(10).Select(p => p.Batch));
        Assert.All(positions, p => Assert.Equal((10, 95, 2), (p.Batches, p.SampleCount, p.Epochs)));
        Assert.Equal([1, 2], positions.Select(p => p.Epoch).Distinct());
        Assert.Equal(history[0].TrainingCost, positions[9].CostSoFar);
        Assert.Equal(history[1].TrainingCost, positions[19].CostSoFar);
        Assert.Equal(TimeSpan.Zero, positions[9].Remaining);
    }

    [Fact]
    public void Fit_with_a_batch_callback_allocates_no_more_per_step_than_TrainBatch_alone()
    {
        // Batches 2 to 199 of epoch 2: 197 steps of Fit with a callback, against 197 calls of TrainBatch.
        long atSecondBatch = 0, atLastBatch = 0;
        var probe = new LambdaCallback(onBatchEnd: (p, _) =>
        {
            if (p.Epoch == 2 && p.Batch == 2)
            {
                atSecondBatch = GC.GetAllocatedBytesForCurrentThread();
            }
            else if (p.Epoch == 2 && p.Batch == p.Batches - 1)
            {
                atLastBatch = GC.GetAllocatedBytesForCurrentThread();
            }
        });
        SeedTrainer().Fit(MnistLocator.Data.Training.Slice(0, 2000), new TrainingOptions { Epochs = 2, BatchSize = 10, Callbacks = [probe] });

        Trainer alone = SeedTrainer();
        Dataset batch = MnistLocator.Data.Training.Slice(0, 10);
        alone.TrainBatch(batch.Inputs, batch.Targets);
        alone.TrainBatch(batch.Inputs, batch.Targets);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int step = 0; step < 197; step++)
        {
            alone.TrainBatch(batch.Inputs, batch.Targets);
        }

        long trainBatchBytes = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(trainBatchBytes, atLastBatch - atSecondBatch);
    }

    [Fact]
    public void A_validation_split_holds_out_the_same_samples_as_Dataset_Split_with_the_options_seed()
    {
        Dataset data = MnistLocator.Data.Training.Slice(0, 1000);
        (Dataset training, Dataset validation) = data.Split(0.2, seed: 3);
        int trainedOn = 0;

        Trainer bySplit = SeedTrainer();
        TrainingHistory split = bySplit.Fit(data, new TrainingOptions
        {
            Epochs = 2,
            Seed = 3,
            ValidationSplit = 0.2,
            Callbacks = [new LambdaCallback(onEpochEnd: (_, run) => trainedOn = run.Training.Count)],
        });
        Trainer byHand = SeedTrainer();
        TrainingHistory explicitSet = byHand.Fit(training, new TrainingOptions { Epochs = 2, Seed = 3, Validation = validation });

        Assert.Equal(800, trainedOn);
        Assert.Equal(200, split[1].Validation!.Count);
        Assert.Equal(explicitSet[1].Validation!.MeanCost, split[1].Validation!.MeanCost);
        Assert.Equal(TestNetworks.WeightBits(byHand.Network), TestNetworks.WeightBits(bySplit.Network));
    }

    [Fact]
    public void A_validation_set_and_a_split_together_are_a_clear_error()
    {
        var error = Assert.Throws<ArgumentException>(() => SeedTrainer().Fit(Small, new TrainingOptions { Validation = Small, ValidationSplit = 0.1 }));

        Assert.Equal("Set either TrainingOptions.Validation or TrainingOptions.ValidationSplit, not both. (Parameter 'ValidationSplit')", error.Message);
    }

    /// <summary>Records the negated epoch at the end of training, so that a test sees it was called once and when.</summary>
    private sealed class RecordingCallback(List<int> ended) : TrainingCallback
    {
        public override void OnTrainEnd(TrainingContext context) => ended.Add(-context.Epoch);
    }
}
