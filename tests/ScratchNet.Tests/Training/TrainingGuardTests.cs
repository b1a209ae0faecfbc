namespace ScratchNet.Tests.Training;

/// <summary>
/// No training run ends "successfully" with broken weights: non-finite data is refused before the first
/// step, a step with non-finite gradients is not applied, divergence stops training, cancellation and
/// errors still run OnTrainEnd (so early stopping restores the best weights), and predictions from other
/// threads during training are refused without disturbing it.
/// </summary>
public sealed class TrainingGuardTests
{
    private static Dataset Digits(int count, int seed = 4)
    {
        var random = new Random(seed);
        return Dataset.FromLabels(TestNetworks.Random(seed, 0, 1, count, 784), Enumerable.Range(0, count).Select(_ => random.Next(10)).ToArray(), 10);
    }

    [Theory]
    [InlineData(float.PositiveInfinity)]
    [InlineData(float.NegativeInfinity)]
    [InlineData(float.NaN)]
    public void A_non_finite_pixel_is_refused_before_the_first_step_naming_the_sample(float value)
    {
        Dataset data = Digits(20);
        data.Inputs[(5 * 784) + 3] = value;
        Network network = TestNetworks.Seed(seed: 1);
        int[] before = TestNetworks.WeightBits(network);

        var error = Assert.Throws<ArgumentException>(() => new Trainer(network, new QuadraticCost(), new Sgd(1f)).Fit(data));

        Assert.Equal($"The training set's input 5 holds {value} (value 3 of the sample). Every input and target must be a finite number: clean the data before training.", error.Message);
        Assert.Equal(before, TestNetworks.WeightBits(network));
    }

    [Fact]
    public void Non_finite_targets_and_validation_data_are_refused_too()
    {
        Dataset data = Digits(20);
        data.Targets[(7 * 10) + 2] = float.NaN;
        Dataset validation = Digits(10, seed: 5);
        validation.Inputs[(2 * 784) + 100] = float.PositiveInfinity;

        var target = Assert.Throws<ArgumentException>(() => new Trainer(TestNetworks.Seed(), new QuadraticCost(), new Sgd(1f)).Fit(data));
        var held = Assert.Throws<ArgumentException>(() => new Trainer(TestNetworks.Seed(), new QuadraticCost(), new Sgd(1f)).Fit(Digits(20), new TrainingOptions { Validation = validation }));

        Assert.StartsWith("The training set's target 7 holds NaN (value 2 of the sample).", target.Message);
        Assert.StartsWith("The validation set's input 2 holds Infinity (value 100 of the sample).", held.Message);
    }

    [Fact]
    public void A_step_whose_gradients_are_not_finite_is_not_applied_and_names_the_batch_and_its_samples()
    {
        var poison = new PoisonAtBatch(3);
        var network = new Network(new Dense(784, 10), poison);
        network.Initialize(1);
        int[]? afterBatch2 = null;
        var record = new LambdaCallback(onBatchEnd: (p, run) =>
        {
            if (p.Batch == 2)
            {
                afterBatch2 = TestNetworks.WeightBits(run.Network);
            }
        });

        var error = Assert.Throws<ArithmeticException>(() =>
            new Trainer(network, new QuadraticCost(), new Sgd(0.1f)).Fit(Digits(20), new TrainingOptions { BatchSize = 5, Shuffle = false, Callbacks = [record] }));

        Assert.Equal(
            "The gradient became NaN in epoch 1, batch 3 (training samples 10, 11, 12, 13, 14), at value 0 of ∂C/∂p of layer 1 (PoisonAtBatch), with η = 0.1. " +
            "The step was not applied: the weights are those of the step before. Lower the learning rate.",
            error.Message);
        Assert.Equal(afterBatch2, TestNetworks.WeightBits(network));
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    public void A_weight_gradient_the_kernel_found_not_finite_is_refused_at_its_first_value(float poison)
    {
        // The first layer's ∂C/∂W is checked inside the weight-gradient kernel, not read again by the guard when it
        // is finite: a Δ that is not finite from the layer above must still stop the step, naming the first value.
        var network = new Network(new Dense(784, 16), new PoisonDeltaAtBatch(2, poison), new Dense(16, 10));
        network.Initialize(1);
        int[]? afterBatch1 = null;
        var record = new LambdaCallback(onBatchEnd: (p, run) => afterBatch1 = p.Batch == 1 ? TestNetworks.WeightBits(run.Network) : afterBatch1);

        var error = Assert.Throws<ArithmeticException>(() =>
            new Trainer(network, new QuadraticCost(), new Sgd(0.1f)).Fit(Digits(20), new TrainingOptions { BatchSize = 10, Shuffle = false, Callbacks = [record] }));

        // Δ[0, 3] is poisoned: row 3 of ∂C/∂W (784 values per row) is the first that is not finite.
        Assert.StartsWith($"The gradient became {poison} in epoch 1, batch 2 (training samples ", error.Message);
        Assert.Contains($"), at value {3 * 784} of ∂C/∂W of layer 0 (Dense(784→16)), with η = 0.1. The step was not applied", error.Message);
        Assert.Equal(afterBatch1, TestNetworks.WeightBits(network));
    }

    [Fact]
    public void A_layer_that_wraps_a_dense_layer_and_writes_its_gradient_afterwards_is_still_checked()
    {
        // The inner Dense's kernel checked its ∂C/∂W finite, then the wrapper wrote a NaN into it: the guard trusts a
        // kernel's check only for a Dense or Conv2D of the network itself, so it reads this one and refuses the step.
        var wrapper = new PoisonAfterInnerDense(new Dense(784, 10), batch: 2);
        var network = new Network(wrapper, new Sigmoid());
        network.Initialize(1);
        int[]? afterBatch1 = null;
        var record = new LambdaCallback(onBatchEnd: (p, run) => afterBatch1 = p.Batch == 1 ? TestNetworks.WeightBits(run.Network) : afterBatch1);

        var error = Assert.Throws<ArithmeticException>(() =>
            new Trainer(network, new QuadraticCost(), new Sgd(0.1f)).Fit(Digits(20), new TrainingOptions { BatchSize = 10, Shuffle = false, Callbacks = [record] }));

        Assert.Contains("The gradient became NaN in epoch 1, batch 2 ", error.Message);
        Assert.Contains("at value 5 of ∂C/∂W of layer 0 (PoisonAfterInnerDense)", error.Message);
        Assert.Equal(afterBatch1, TestNetworks.WeightBits(network));
    }

    public static TheoryData<string> Divergent => ["sigmoid, quadratic, SGD η = 1000", "ReLU, cross-entropy, SGD η = 1000", "ReLU, cross-entropy, Adam η = 1e10"];

    [Theory]
    [MemberData(nameof(Divergent))]
    public void Divergence_stops_training_with_a_clear_error(string recipe)
    {
        (Network network, Cost cost, Optimizer optimizer) = recipe switch
        {
            "sigmoid, quadratic, SGD η = 1000" => (TestNetworks.Seed(seed: 1), (Cost)new QuadraticCost(), (Optimizer)new Sgd(1000f)),
            "ReLU, cross-entropy, SGD η = 1000" => (ReluNetwork(), new SoftmaxCrossEntropyCost(), new Sgd(1000f)),
            _ => (ReluNetwork(), new SoftmaxCrossEntropyCost(), new Adam(1e10f)),
        };

        var error = Assert.Throws<ArithmeticException>(() => new Trainer(network, cost, optimizer).Fit(Digits(200), new TrainingOptions { Epochs = 3 }));

        Assert.Matches(@"^(Training diverged in epoch \d: .*|The (cost|gradient) became .*) Lower the learning rate", error.Message);
        Assert.DoesNotContain(network.Parameters, p => p.Value.Span.IndexOfAnyExceptInRange(float.MinValue, float.MaxValue) >= 0);

        static Network ReluNetwork()
        {
            var network = new Network(new Dense(784, 32, Initializer.HeUniform), new Relu(), new Dense(32, 10));
            network.Initialize(1);
            return network;
        }
    }

    [Fact]
    public void The_divergence_watch_names_what_it_saw_and_can_be_turned_off()
    {
        var error = Assert.Throws<ArithmeticException>(() =>
            new Trainer(TestNetworks.Seed(seed: 1), new QuadraticCost(), new Sgd(1000f)).Fit(Digits(200), new TrainingOptions { Epochs = 2 }));
        TrainingHistory history = new Trainer(TestNetworks.Seed(seed: 1), new QuadraticCost(), new Sgd(1000f)).Fit(Digits(200), new TrainingOptions { Epochs = 2, DetectDivergence = false });

        Assert.Matches(@"^Training diverged in epoch 1: every gradient has been exactly 0 for the last \d+ of 20 steps while the mean cost is 1\.\d+: the neurons saturated \(σ'\(z\) = 0\) and learn nothing more \(η = 1000\)\. Lower the learning rate, or set TrainingOptions\.DetectDivergence = false to train on regardless\.$", error.Message);
        Assert.Equal(2, history.Count);
    }

    [Fact]
    public void Normal_training_never_trips_the_divergence_watch()
    {
        // The seed recipe, a hot start (η 1.5) and a schedule: nothing diverges, nothing may stop.
        TrainingHistory history = new Trainer(TestNetworks.Seed(seed: 1), new QuadraticCost(), new Sgd(1.5f, weightDecay: 1e-4f))
            .Fit(Digits(300), new TrainingOptions { Epochs = 5, LearningRateSchedule = LearningRateSchedule.Linear(1.5f, 0.01f) });

        Assert.Equal(5, history.Count);
        Assert.Null(history.StopReason);
    }

    [Fact]
    public void Batch_sizes_and_epochs_that_would_overflow_are_refused_and_the_largest_allowed_batch_trains()
    {
        var trainer = new Trainer(TestNetworks.Seed(), new QuadraticCost(), new Sgd(1f));

        var batch = Assert.Throws<ArgumentOutOfRangeException>(() => trainer.Fit(Digits(10), new TrainingOptions { BatchSize = 1 << 30 }));
        var epochs = Assert.Throws<ArgumentOutOfRangeException>(() => trainer.Fit(Digits(10), new TrainingOptions { Epochs = int.MaxValue }));
        TrainingHistory largest = trainer.Fit(Digits(10), new TrainingOptions { BatchSize = TrainingOptions.MaxBatchSize });

        Assert.StartsWith("The batch size must be from 1 to 16,777,216.", batch.Message);
        Assert.StartsWith("Train for 1 to 1,000,000 epochs.", epochs.Message);
        Assert.Single(largest);
        Assert.Equal(10, Pretrained.MnistSeed().Evaluate(Digits(10), batchSize: int.MaxValue).Predictions.Count);   // no overflow either
    }

    [Fact]
    public void Cancelling_reaches_evaluate_within_one_batch()
    {
        using var cancel = new CancellationTokenSource();
        var cost = new CancellingCost(cancel);

        Assert.Throws<OperationCanceledException>(() => Pretrained.MnistSeed().Evaluate(Digits(100), cost, batchSize: 10, cancel.Token));

        Assert.Equal(1, cost.Calls);   // the batch after the cancellation never ran
    }

    [Fact]
    public void Cancelling_runs_on_train_end_with_the_cancelled_reason_so_early_stopping_restores_the_best_weights()
    {
        using var cancel = new CancellationTokenSource();
        Network network = TestNetworks.Seed(seed: 2);
        var scripted = TrainingMetric.Custom("scripted", higherIsBetter: false, r => r.Epoch == 2 ? 0.1 : 1.0);
        var early = new EarlyStopping(scripted, patience: 10);
        int[]? bestEpoch = null;
        string? reasonSeen = null;
        bool abortedSeen = false;
        var spy = new LambdaCallback(
            onEpochEnd: (r, run) =>
            {
                if (r.Epoch == 2)
                {
                    bestEpoch = TestNetworks.WeightBits(run.Network);
                }
            },
            onBatchEnd: (p, run) =>
            {
                if (p.Epoch == 4 && p.Batch == 2)
                {
                    cancel.Cancel();
                }
            });
        var end = new EndRecorder(context => (reasonSeen, abortedSeen) = (context.StopReason, context.Aborted));

        Assert.Throws<OperationCanceledException>(() =>
            new Trainer(network, new QuadraticCost(), new Sgd(1f)).Fit(Digits(40), new TrainingOptions { Epochs = 6, BatchSize = 5, Callbacks = [spy, early, end] }, cancellationToken: cancel.Token));

        Assert.Equal(TrainingContext.CancelledReason, reasonSeen);
        Assert.True(abortedSeen);
        Assert.True(early.RestoredBestWeights);
        Assert.Equal(bestEpoch, TestNetworks.WeightBits(network));
    }

    [Fact]
    public void A_non_finite_input_to_predict_or_classify_is_an_argument_error_naming_the_index()
    {
        Network network = Pretrained.MnistSeed();
        float[] allNaN = Enumerable.Repeat(float.NaN, 784).ToArray();
        float[] oneInfinity = new float[784];
        oneInfinity[400] = float.PositiveInfinity;

        var classify = Assert.Throws<ArgumentException>(() => network.Classify(allNaN));
        var predict = Assert.Throws<ArgumentException>(() => network.Predict(oneInfinity));
        var batch = Assert.Throws<ArgumentException>(() => network.Predict(new Tensor(oneInfinity, 1, 784)));

        Assert.StartsWith("Input value 0 is NaN; a network can only predict from finite numbers.", classify.Message);
        Assert.StartsWith("Input value 400 is Infinity; a network can only predict from finite numbers.", predict.Message);
        Assert.StartsWith("Input value 400 is Infinity;", batch.Message);
    }

    public static TheoryData<string> Networks => ["seed", "convolutional"];

    [Theory]
    [MemberData(nameof(Networks))]
    public void Predictions_from_another_thread_during_fit_are_refused_and_never_disturb_training(string kind)
    {
        Dataset data = Digits(120);
        int[] alone = Train(kind, data, concurrent: false, out _);
        int[] disturbed = Train(kind, data, concurrent: true, out (int Answered, int Refused, string[] Messages) calls);

        Assert.Equal(alone, disturbed);
        Assert.True(calls.Refused > 0, "no prediction ran during training");
        Assert.All(calls.Messages, m => Assert.StartsWith("The network is being trained (Trainer.Fit is running on another thread)", m));
    }

    private static int[] Train(string kind, Dataset data, bool concurrent, out (int Answered, int Refused, string[] Messages) calls)
    {
        Network network;
        if (kind == "seed")
        {
            network = TestNetworks.Seed(seed: 5);
        }
        else
        {
            network = new Network([28, 28, 1], new Conv2D(1, 4, 3), new BatchNorm(4), new Relu(), new MaxPool2D(2), new Flatten(), new Dense(13 * 13 * 4, 10));
            network.Initialize(5);
        }

        int answered = 0, refused = 0;
        var messages = new System.Collections.Concurrent.ConcurrentBag<string>();
        using var stop = new CancellationTokenSource();
        using var firstRefusal = new ManualResetEventSlim();
        var predictor = new Thread(() =>
        {
            float[] digit = data.Inputs.Sample(0).ToArray();
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    network.Classify(digit);
                    network.Evaluate(Digits(3, seed: 9));
                    answered++;
                }
                catch (InvalidOperationException e)
                {
                    refused++;
                    messages.Add(e.Message);
                    firstRefusal.Set();
                }
            }
        });

        // The training thread waits at its first step until a prediction has been refused, so the two overlap for sure.
        var overlap = new LambdaCallback(onBatchEnd: (p, run) =>
        {
            if (concurrent && p.Epoch == 1 && p.Batch == 1)
            {
                Assert.True(firstRefusal.Wait(TimeSpan.FromSeconds(30)), "the predictor never ran");
            }
        });
        if (concurrent)
        {
            predictor.Start();
        }

        new Trainer(network, new SoftmaxCrossEntropyCost(), new Adam(0.01f)).Fit(data, new TrainingOptions { Epochs = 2, BatchSize = 8, Callbacks = [overlap] });
        stop.Cancel();
        if (concurrent)
        {
            predictor.Join();
        }

        calls = (answered, refused, [.. messages]);
        return TestNetworks.WeightBits(network).Concat(network.Layers.SelectMany(l => l.State).SelectMany(s => s.Value.Span.ToArray()).Select(BitConverter.SingleToInt32Bits)).ToArray();
    }

    /// <summary>Identity with a parameter p whose gradient becomes NaN at one minibatch (counted from 1).</summary>
    private sealed class PoisonAtBatch(int batch) : Layer
    {
        private readonly Parameter[] _parameters = [new("p", new Tensor(1), new Tensor(1))];
        private int _backwards;

        public override IReadOnlyList<Parameter> Parameters => _parameters;

        public override int[] OutputShape(ReadOnlySpan<int> inputShape) => inputShape.ToArray();

        protected override Tensor ForwardCore(Tensor input, bool training) => input;

        protected override Tensor BackwardCore(Tensor outputGradient)
        {
            _parameters[0].Gradient[0] = ++_backwards == batch ? float.NaN : 0f;
            return outputGradient;
        }
    }

    /// <summary>Passes values through, and at the given batch writes <paramref name="poison"/> into Δ[0, 3] of the gradient it passes back.</summary>
    private sealed class PoisonDeltaAtBatch(int batch, float poison) : Layer
    {
        private int _backwards;

        public override int[] OutputShape(ReadOnlySpan<int> inputShape) => inputShape.ToArray();

        protected override Tensor ForwardCore(Tensor input, bool training) => input;

        protected override Tensor BackwardCore(Tensor outputGradient)
        {
            if (++_backwards == batch)
            {
                outputGradient[3] = poison;
            }

            return outputGradient;
        }
    }

    /// <summary>A layer of one's own around a Dense layer that, at the given batch, writes NaN into value 5 of the inner layer's ∂C/∂W after the inner backward pass.</summary>
    private sealed class PoisonAfterInnerDense(Dense inner, int batch) : Layer
    {
        private int _backwards;

        public override IReadOnlyList<Parameter> Parameters => inner.Parameters;

        public override int[]? InputShape => inner.InputShape;

        public override int[] OutputShape(ReadOnlySpan<int> inputShape) => inner.OutputShape(inputShape);

        public override void Initialize(Random random) => inner.Initialize(random);

        protected override Tensor ForwardCore(Tensor input, bool training) => inner.Forward(input, training);

        protected override Tensor BackwardCore(Tensor outputGradient)
        {
            Tensor inputGradient = inner.Backward(outputGradient);
            if (++_backwards == batch)
            {
                inner.Parameters[0].Gradient[5] = float.NaN;
            }

            return inputGradient;
        }
    }

    /// <summary>A quadratic cost that cancels a token the first time it is measured, and counts how often it is.</summary>
    private sealed class CancellingCost(CancellationTokenSource cancel) : Cost
    {
        private readonly QuadraticCost _cost = new();

        public int Calls { get; private set; }

        public override double Loss(Tensor output, Tensor target)
        {
            Calls++;
            cancel.Cancel();
            return _cost.Loss(output, target);
        }

        public override void Gradient(Tensor output, Tensor target, Tensor gradient) => _cost.Gradient(output, target, gradient);
    }

    /// <summary>Records what OnTrainEnd sees.</summary>
    private sealed class EndRecorder(Action<TrainingContext> onEnd) : TrainingCallback
    {
        public override void OnTrainEnd(TrainingContext context) => onEnd(context);
    }
}
