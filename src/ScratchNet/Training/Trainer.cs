using System.Diagnostics;

namespace ScratchNet;

/// <summary>
/// Trains a network by minibatch gradient descent: for each epoch, shuffle, then for each minibatch
/// run forward, measure the cost, backpropagate ∂C/∂a, and let the optimizer step.
/// <code>
/// var trainer = new Trainer(network, new QuadraticCost(), new Sgd(learningRate: 1.5f));
/// TrainingHistory history = trainer.Fit(mnist.Training, new TrainingOptions
/// {
///     Epochs = 30,
///     ValidationSplit = 0.1,
///     Callbacks = [new EarlyStopping(patience: 3), new ModelCheckpoint("best.scnn")],
/// });
/// </code>
/// </summary>
public sealed class Trainer
{
    private Tensor? _gradient;
    private TrainingRun? _run;
    private TrainingGuard? _stepGuard;

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

    /// <summary>
    /// Trains for <see cref="TrainingOptions.Epochs"/> epochs, or until a callback stops it. Each epoch:
    /// the options' learning-rate schedule, the callbacks' <see cref="TrainingCallback.OnEpochBegin"/>,
    /// shuffle, a gradient step per minibatch (each followed by <see cref="TrainingCallback.OnBatchEnd"/>),
    /// the validation, the report to <paramref name="progress"/>, then <see cref="TrainingCallback.OnEpochEnd"/>.
    /// </summary>
    /// <remarks>
    /// <para>
    /// Nothing non-finite reaches the weights: the data is checked for NaN and ±∞ before the first step,
    /// and every step's gradients before the optimizer applies them. Unless
    /// <see cref="TrainingOptions.DetectDivergence"/> is off, training also stops when it has evidently
    /// diverged (an epoch's mean cost above 100 × that of the first 16 minibatches, a weight beyond ±10⁶, or
    /// every gradient exactly 0 for the last half of an epoch while the cost is not).
    /// </para>
    /// <para>
    /// When training stops on such a problem or is cancelled, the callbacks' <see cref="TrainingCallback.OnTrainEnd"/>
    /// still runs (with <see cref="TrainingContext.StopReason"/> saying why, so <see cref="EarlyStopping"/>
    /// can restore the best weights) before the exception reaches the caller. While Fit runs,
    /// <see cref="Network.Predict(ReadOnlySpan{float})"/>, <see cref="Network.Classify"/> and
    /// <see cref="Network.Evaluate"/> called from another thread throw <see cref="InvalidOperationException"/>
    /// instead of disturbing the training; callbacks, on the training thread, may call them.
    /// </para>
    /// </remarks>
    /// <param name="training">The training set.</param>
    /// <param name="options">Epochs, batch size, shuffling seed, schedule, validation set or split, callbacks.</param>
    /// <param name="progress">Receives one <see cref="EpochReport"/> per epoch, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Checked between minibatches and between validation batches; training stops with <see cref="OperationCanceledException"/>.</param>
    /// <returns>The report of every epoch trained, in order, and why training stopped early if it did.</returns>
    /// <exception cref="ArgumentException">The data does not fit the network or holds NaN or ±∞, or both a validation set and a split are given.</exception>
    /// <exception cref="ArithmeticException">The cost or a gradient became NaN or infinite (the step is not applied), or training diverged; the message names the epoch, the batch and its samples.</exception>
    /// <exception cref="InvalidOperationException">The network is already being trained.</exception>
    public TrainingHistory Fit(Dataset training, TrainingOptions? options = null, IProgress<EpochReport>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(training);
        options ??= new TrainingOptions();
        options.Validate();
        EnsureFits(training, "training");
        TrainingGuard.EnsureFinite(training, "training");
        Dataset? validation = options.Validation;
        if (options.ValidationSplit is { } fraction)
        {
            (training, validation) = training.Split(fraction, options.Seed);
        }
        else if (validation is not null)
        {
            EnsureFits(validation, "validation");
            TrainingGuard.EnsureFinite(validation, "validation");
        }

        // The same numbers as new Random(seed), from generators whose state a checkpoint can save.
        TrainingRun run = options.ResumeFrom is { } checkpoint ? Resume(checkpoint, options, training.Count) : TrainingRun.Start(options, training.Count);
        _run = run;
        var reports = new List<EpochReport>(options.Epochs);
        var context = new TrainingContext(this, options, training, validation, reports);
        var epochs = new EpochLoop(this, options, training, validation, run, context, progress, cancellationToken);
        Network.EnterTraining();
        try
        {
            foreach (TrainingCallback callback in context.Callbacks)
            {
                callback.OnTrainBegin(context);
            }

            try
            {
                epochs.Run();
            }
            catch (Exception e) when (e is ArithmeticException || (e is OperationCanceledException && cancellationToken.IsCancellationRequested))
            {
                // Let the callbacks finish (early stopping puts the best weights back), then report the problem.
                context.Abort(e is OperationCanceledException ? TrainingContext.CancelledReason : e.Message);
                foreach (TrainingCallback callback in context.Callbacks)
                {
                    callback.OnTrainEnd(context);
                }

                throw;
            }

            foreach (TrainingCallback callback in context.Callbacks)
            {
                callback.OnTrainEnd(context);
            }
        }
        finally
        {
            Network.ExitTraining();
        }

        return new TrainingHistory(reports, context.StopReason);
    }

    /// <summary>
    /// Writes a resumable checkpoint: the network (a model file <see cref="Network.Load(string)"/> reads)
    /// with the optimizer's state and where the last <see cref="Fit"/> stands (epochs done, shuffled order,
    /// random generators). Call it after <see cref="Fit"/> or from a callback's
    /// <see cref="TrainingCallback.OnEpochEnd"/>; <see cref="TrainingOptions.ResumeFrom"/> continues from it
    /// bit for bit. The file is replaced atomically, as by <see cref="Network.Save(string)"/>.
    /// </summary>
    /// <param name="path">The checkpoint file.</param>
    /// <exception cref="InvalidOperationException">No epoch has finished yet, or a weight is not finite.</exception>
    /// <exception cref="NotSupportedException">A layer's type is not registered, or the optimizer is not a built-in one.</exception>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public void SaveCheckpoint(string path) => SaveCheckpoint(path, wrap: null);

    /// <summary>Writes a resumable checkpoint, with the file stream wrapped (the tests make it fail).</summary>
    internal void SaveCheckpoint(string path, Func<Stream, Stream>? wrap)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        TrainingRun run = _run is { Epoch: > 0 } ? _run : throw new InvalidOperationException("There is nothing to resume yet: a checkpoint is written after at least one epoch of Fit.");
        var sections = new Dictionary<string, byte[]> { [Serialization.CheckpointSection.Name] = Serialization.CheckpointSection.Write(run, Network, Optimizer) };
        byte[] contents = Serialization.ModelWriter.ToBytes(Network, sections);
        Serialization.AtomicFile.Write(path, stream => stream.Write(contents), wrap);
    }

    /// <summary>
    /// One gradient step on one minibatch: forward, cost, backward, optimizer step. <see cref="Fit"/>
    /// calls it for every minibatch; call it yourself to write your own training loop.
    /// </summary>
    /// <param name="inputs">The minibatch's inputs, batch first.</param>
    /// <param name="targets">The minibatch's targets, batch first.</param>
    /// <returns>The mean cost of the minibatch before the step.</returns>
    /// <exception cref="ArithmeticException">The cost or a gradient is NaN or infinite; no step is taken.</exception>
    /// <exception cref="InvalidOperationException">The network is being trained elsewhere.</exception>
    public double TrainBatch(Tensor inputs, Tensor targets)
    {
        Network.EnterTraining();
        try
        {
            _stepGuard ??= new TrainingGuard(this, detectDivergence: false);
            double loss = TrainBatch(inputs, targets, _stepGuard, 0, 1, [], out _);
            return double.IsFinite(loss) ? loss : throw new ArithmeticException($"The cost became {loss}; no step was taken. Lower the learning rate.");
        }
        finally
        {
            Network.ExitTraining();
        }
    }

    /// <summary>One step: forward, cost, backward, the gradients checked, then the optimizer. A non-finite cost is returned without a step.</summary>
    internal double TrainBatch(Tensor inputs, Tensor targets, TrainingGuard guard, int epoch, int batch, ReadOnlySpan<int> samples, out int correct)
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
        guard.EnsureFiniteGradients(epoch, batch, samples);
        Optimizer.Step(Network.Parameters);
        return loss;
    }

    /// <summary>Checks that a checkpoint continues this run, then restores the optimizer, the layers' generators and the run.</summary>
    private TrainingRun Resume(TrainingCheckpoint checkpoint, TrainingOptions options, int count)
    {
        TrainingRun saved = checkpoint.State.Run;
        string source = checkpoint.State.Source;
        if (!ReferenceEquals(checkpoint.Network, Network))
        {
            throw new ArgumentException($"The checkpoint {source} resumes its own network: create the trainer with checkpoint.Network.", nameof(options));
        }

        string? mismatch =
            options.BatchSize != saved.BatchSize ? $"batch size {saved.BatchSize}, not {options.BatchSize}"
            : options.Seed != saved.Seed ? $"seed {saved.Seed}, not {options.Seed}"
            : options.Shuffle != saved.Shuffle ? $"shuffling {(saved.Shuffle ? "on" : "off")}"
            : count != saved.Order.Length ? $"{saved.Order.Length} training samples, not {count}"
            : options.Epochs <= saved.Epoch ? $"{saved.Epoch} epochs already done, as many as or more than the {options.Epochs} asked for"
            : null;
        if (mismatch is not null)
        {
            throw new ArgumentException($"The checkpoint {source} cannot continue this run: it was written with {mismatch}.", nameof(options));
        }

        checkpoint.State.RestoreOptimizer(Optimizer, Network.Parameters);
        foreach ((int layer, ResumableRandom random) in checkpoint.State.LayerRandoms)
        {
            Network.Layers[layer].TrainingRandom = ResumableRandom.FromState(random.SaveState());
        }

        // Copies, so that the checkpoint can be resumed again from the same point.
        return new TrainingRun(saved.Epoch, options.Epochs, saved.BatchSize, saved.Seed, saved.Shuffle, (int[])saved.Order.Clone(), ResumableRandom.FromState(saved.Shuffling.SaveState()), ResumableRandom.FromState(saved.Augmentation.SaveState()));
    }

    private void EnsureFits(Dataset data, string name)
    {
        int inputSize = Network.InputShape.Aggregate(1, (a, b) => a * b);
        int outputSize = Network.OutputShape.Aggregate(1, (a, b) => a * b);
        if (data.InputSize != inputSize || data.Targets.SampleSize != outputSize)
        {
            throw new ArgumentException(
                $"The {name} set has {data.InputSize} inputs and {data.Targets.SampleSize} targets per sample, but the network takes {inputSize} inputs and gives {outputSize} outputs.");
        }
    }
}
