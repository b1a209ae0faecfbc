namespace ScratchNet.Tests.Training;

public sealed class ExponentialMovingAverageTests
{
    private static Dataset Small => MnistLocator.Data.Training.Slice(0, 300);

    private static float[] Learned(Network network) =>
        [.. network.Parameters.SelectMany(p => p.Value.Span.ToArray()), .. network.Layers.SelectMany(l => l.State).SelectMany(s => s.Value.Span.ToArray())];

    [Fact]
    public void The_network_ends_with_the_average_of_its_weights_after_every_step_weighted_by_the_decay()
    {
        // w̄₀ = w₀, then w̄ ← β·w̄ + (1 − β)·w after every step, for the weights and for batch norm's statistics.
        var network = new Network(new Dense(784, 8), new BatchNorm(8), new Sigmoid(), new Dense(8, 10), new Sigmoid());
        network.Initialize(3);
        var trainer = new Trainer(network, new QuadraticCost(), new Sgd(1f));
        const float beta = 0.9f;
        float[] expected = Learned(network);
        float[] last = [];
        var record = new LambdaCallback(onBatchEnd: (_, _) =>
        {
            last = Learned(network);
            for (int i = 0; i < expected.Length; i++)
            {
                expected[i] = (beta * expected[i]) + ((1 - beta) * last[i]);
            }
        });
        var average = new ExponentialMovingAverage(decay: beta);

        trainer.Fit(Small, new TrainingOptions { Epochs = 2, BatchSize = 50, Seed = 1, Callbacks = [record, average] });

        float[] ended = Learned(network);
        Assert.Equal(expected.Length, ended.Length);
        for (int i = 0; i < ended.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - ended[i]) <= 1e-6f * Math.Max(1f, Math.Abs(expected[i])), $"value {i}: expected {expected[i]}, got {ended[i]}");
        }

        Assert.NotEqual(last, ended);   // the last step's weights are not what the network keeps
    }

    [Fact]
    public void Each_epoch_validates_the_averaged_weights_and_training_goes_on_with_the_live_ones()
    {
        Network network = TestNetworks.Seed(seed: 2);
        var trainer = new Trainer(network, new QuadraticCost(), new Sgd(1f));
        Dataset validation = MnistLocator.Data.Test.Slice(0, 200);
        var average = new ExponentialMovingAverage(decay: 0.95, applyAtEnd: false);
        float[] liveAfterEpoch2 = [];

        TrainingHistory history = trainer.Fit(Small, new TrainingOptions
        {
            Epochs = 2,
            BatchSize = 10,
            Seed = 1,
            Validation = validation,
            Callbacks = [average, new LambdaCallback(onEpochEnd: (r, _) => liveAfterEpoch2 = Learned(network))],
        });

        Assert.Equal(2, average.Validations.Count);
        Assert.Equal(Learned(network), liveAfterEpoch2);   // applyAtEnd: false keeps the last step's weights
        Assert.Equal(history[^1].Validation!.Accuracy, network.Evaluate(validation).Accuracy);

        average.Apply();
        Evaluation averaged = network.Evaluate(validation, new QuadraticCost());
        Assert.Equal(averaged.Accuracy, average.Validations[^1].Accuracy);
        Assert.Equal(averaged.MeanCost, average.Validations[^1].MeanCost);
        Assert.NotEqual(liveAfterEpoch2, Learned(network));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    [InlineData(-0.5)]
    [InlineData(double.NaN)]
    public void A_decay_outside_0_to_1_is_refused(double decay)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new ExponentialMovingAverage(decay));

        Assert.StartsWith("The decay β of a moving average must be above 0 and below 1 (such as 0.999).", error.Message);
    }

    [Fact]
    public void Apply_before_any_training_says_what_to_do()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new ExponentialMovingAverage().Apply());

        Assert.Equal("There is no average yet: pass this callback to Trainer.Fit in TrainingOptions.Callbacks first.", error.Message);
    }
}
