using System.Diagnostics;

namespace ScratchNet;

/// <summary>
/// Trains a network by minibatch gradient descent: for each epoch, shuffle, then for each minibatch
/// run forward, measure the cost, backpropagate ∂C/∂a, and let the optimizer step.
/// <code>
/// var trainer = new Trainer(network, new QuadraticCost(), new Sgd(learningRate: 1.5f));
/// trainer.Fit(mnist.Training, new TrainingOptions { Epochs = 30, Validation = mnist.Test }, progress);
/// </code>
/// </summary>
public sealed class Trainer
{
    private Tensor? _gradient;

    /// <summary>Pairs a network with what it learns from and how it steps.</summary>
    /// <param name="network">The network to train; its layers must not be used elsewhere while it trains.</param>
    /// <param name="cost">The cost C to minimise.</param>
    /// <param name="optimizer">How parameters follow their gradients.</param>
    public Trainer(Network network, Cost cost, Optimizer optimizer)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(cost);
        ArgumentNullException.ThrowIfNull(optimizer);
        Network = network;
        Cost = cost;
        Optimizer = optimizer;
    }

    /// <summary>The network being trained.</summary>
    public Network Network { get; }

    /// <summary>The cost being minimised.</summary>
    public Cost Cost { get; }

    /// <summary>The optimizer.</summary>
    public Optimizer Optimizer { get; }

    /// <summary>Trains for <see cref="TrainingOptions.Epochs"/> epochs.</summary>
    /// <param name="training">The training set.</param>
    /// <param name="options">Epochs, batch size, shuffling seed, schedule and validation set.</param>
    /// <param name="progress">Receives one <see cref="EpochReport"/> per epoch, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Checked between minibatches; training stops with <see cref="OperationCanceledException"/>.</param>
    /// <returns>The report of every epoch, in order.</returns>
    /// <exception cref="ArgumentException">The data does not fit the network.</exception>
    /// <exception cref="ArithmeticException">The cost became NaN or infinite; the message names the epoch and the batch.</exception>
    public IReadOnlyList<EpochReport> Fit(Dataset training, TrainingOptions? options = null, IProgress<EpochReport>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(training);
        options ??= new TrainingOptions();
        options.Validate();
        EnsureFits(training, "training");
        if (options.Validation is { } validation)
        {
            EnsureFits(validation, "validation");
        }

        var random = new Random(options.Seed);
        // Augmentation draws from its own stream, so turning it on does not change the shuffling.
        var augmentationRandom = new Random(options.Seed ^ 0x5EED_A06);
        int[] order = Enumerable.Range(0, training.Count).ToArray();
        var batches = new MinibatchSource(training, options.BatchSize);
        var history = new List<EpochReport>(options.Epochs);

        for (int epoch = 1; epoch <= options.Epochs; epoch++)
        {
            if (options.LearningRateSchedule is { } schedule)
            {
                Optimizer.LearningRate = schedule.LearningRate(epoch, options.Epochs);
            }

            if (options.Shuffle)
            {
                random.Shuffle(order);
            }

            long start = Stopwatch.GetTimestamp();
            double costSum = 0;
            int correct = 0;
            for (int first = 0, batch = 1; first < order.Length; first += options.BatchSize, batch++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                ReadOnlySpan<int> indices = order.AsSpan(first, Math.Min(options.BatchSize, order.Length - first));
                (Tensor x, Tensor y) = batches.Gather(indices);
                options.Augmentation?.Apply(x, augmentationRandom);

                double loss = TrainBatch(x, y, out int batchCorrect);
                if (!double.IsFinite(loss))
                {
                    throw new ArithmeticException($"The cost became {loss} in epoch {epoch}, batch {batch} (samples {first} to {first + indices.Length - 1} of the shuffled order) with η = {Optimizer.LearningRate}. Lower the learning rate or check the inputs for NaN.");
                }

                costSum += loss * indices.Length;
                correct += batchCorrect;
            }

            TimeSpan elapsed = Stopwatch.GetElapsedTime(start);
            Evaluation? validationResult = options.Validation is { } v ? Network.Evaluate(v, Cost) : null;
            var report = new EpochReport(epoch, options.Epochs, Optimizer.LearningRate, costSum / training.Count, (double)correct / training.Count, validationResult, elapsed);
            history.Add(report);
            progress?.Report(report);
        }

        return history;
    }

    /// <summary>
    /// One gradient step on one minibatch: forward, cost, backward, optimizer step. <see cref="Fit"/>
    /// calls it for every minibatch; call it yourself to write your own training loop.
    /// </summary>
    /// <param name="inputs">The minibatch's inputs, batch first.</param>
    /// <param name="targets">The minibatch's targets, batch first.</param>
    /// <returns>The mean cost of the minibatch before the step.</returns>
    public double TrainBatch(Tensor inputs, Tensor targets) => TrainBatch(inputs, targets, out _);

    private double TrainBatch(Tensor inputs, Tensor targets, out int correct)
    {
        Tensor a = Network.Forward(inputs, training: true);
        double loss = Cost.Loss(a, targets);
        correct = MinibatchSource.CountCorrect(a, targets);
        if (!double.IsFinite(loss))
        {
            return loss; // no step: the caller reports where it happened
        }

        _gradient = _gradient is not null && _gradient.HasShape(a.Shape) ? _gradient : new Tensor(a.Shape.ToArray());
        Cost.Gradient(a, targets, _gradient);
        Network.Backward(_gradient, inputGradientNeeded: false);
        Optimizer.Step(Network.Parameters);
        return loss;
    }

    private void EnsureFits(Dataset data, string name)
    {
        int inputSize = Network.InputShape.Aggregate(1, (a, b) => a * b);
        int outputSize = Network.OutputShape.Aggregate(1, (a, b) => a * b);
        if (data.Inputs.SampleSize != inputSize || data.Targets.SampleSize != outputSize)
        {
            throw new ArgumentException(
                $"The {name} set has {data.Inputs.SampleSize} inputs and {data.Targets.SampleSize} targets per sample, but the network takes {inputSize} inputs and gives {outputSize} outputs.");
        }
    }
}
