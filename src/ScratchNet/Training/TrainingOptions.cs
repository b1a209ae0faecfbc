namespace ScratchNet;

/// <summary>How to train: every knob of <see cref="Trainer.Fit"/> by name, with a documented default.</summary>
public sealed record TrainingOptions
{
    /// <summary>Passes over the training set. Default 1.</summary>
    public int Epochs { get; init; } = 1;

    /// <summary>Samples per minibatch: one gradient step per minibatch. Default 10, as the seed.</summary>
    public int BatchSize { get; init; } = 10;

    /// <summary>Whether to shuffle the training set before each epoch. Default <see langword="true"/>.</summary>
    public bool Shuffle { get; init; } = true;

    /// <summary>The seed of the shuffling: the same seed gives the same order, and so the same weights. Default 0.</summary>
    public int Seed { get; init; }

    /// <summary>
    /// The learning rate for each epoch (<see cref="LearningRateSchedule.Linear"/>, <see cref="LearningRateSchedule.WarmupCosine"/>,
    /// <see cref="LearningRateSchedule.Custom"/> …), or <see langword="null"/> to keep the optimizer's own. Default <see langword="null"/>.
    /// </summary>
    public LearningRateSchedule? LearningRateSchedule { get; init; }

    /// <summary>
    /// A dataset evaluated after every epoch (its accuracy and cost appear in the report), or
    /// <see langword="null"/>. Default <see langword="null"/>. Set this or <see cref="ValidationSplit"/>, not both.
    /// </summary>
    public Dataset? Validation { get; init; }

    /// <summary>
    /// The share of the training set, strictly between 0 and 1, held out as the validation set instead
    /// of <see cref="Validation"/>: chosen at random with <see cref="Seed"/> by
    /// <see cref="Dataset.Split(double, int)"/> and never trained on. Default <see langword="null"/> (no split).
    /// </summary>
    public double? ValidationSplit { get; init; }

    /// <summary>
    /// Code run during training, in order: <see cref="EarlyStopping"/>, <see cref="ModelCheckpoint"/>,
    /// <see cref="LambdaCallback"/> or your own <see cref="TrainingCallback"/>.
    /// Default none.
    /// </summary>
    public IReadOnlyList<TrainingCallback> Callbacks { get; init; } = [];

    /// <summary>A random change applied to every training minibatch (a copy), such as <see cref="ImageAugmentation"/>, or <see langword="null"/>. Default <see langword="null"/>.</summary>
    public Augmentation? Augmentation { get; init; }

    /// <summary>
    /// A checkpoint to continue from (<see cref="TrainingCheckpoint.Load(string)"/>), or <see langword="null"/> to
    /// start afresh. Training goes on from epoch <see cref="TrainingCheckpoint.Epoch"/> + 1 to
    /// <see cref="Epochs"/> with the checkpoint's optimizer state, shuffled order and random generators, so
    /// its weights are bit for bit those of a run that never stopped. The trainer must train
    /// <see cref="TrainingCheckpoint.Network"/> with an optimizer of the same type, and the batch size, seed,
    /// shuffling and training set must be those of the interrupted run. Callbacks start afresh (early
    /// stopping's patience, the best value a <see cref="ModelCheckpoint"/> has seen). Default <see langword="null"/>.
    /// </summary>
    public TrainingCheckpoint? ResumeFrom { get; init; }

    /// <summary>
    /// Whether training stops with an <see cref="ArithmeticException"/> when it has evidently diverged:
    /// after an epoch whose mean cost is more than 100 times the mean cost of the run's first 16
    /// minibatches, in which a weight went beyond ±10⁶ (trained networks stay far below; the model
    /// format refuses beyond ±10¹²), or whose last half (at least 10 steps) had every gradient exactly 0
    /// with a cost above 0 (saturated neurons, as a too-large η leaves a sigmoid network: it learns nothing more). The callbacks' <see cref="TrainingCallback.OnTrainEnd"/> runs first, so
    /// <see cref="EarlyStopping"/> can restore the best weights. NaN and infinities are refused whatever
    /// this says. Default <see langword="true"/>; turn it off to study divergence itself.
    /// </summary>
    public bool DetectDivergence { get; init; } = true;

    /// <summary>The largest <see cref="BatchSize"/>, 2²⁴: far above any useful minibatch, far below where sizes overflow.</summary>
    public const int MaxBatchSize = 1 << 24;

    /// <summary>The largest <see cref="Epochs"/>, 10⁶.</summary>
    public const int MaxEpochs = 1_000_000;

    /// <summary>Throws a clear error for a value out of range.</summary>
    internal void Validate()
    {
        if (Epochs < 1 || Epochs > MaxEpochs)
        {
            throw new ArgumentOutOfRangeException(nameof(Epochs), Epochs, $"Train for 1 to {MaxEpochs:N0} epochs.");
        }

        if (BatchSize < 1 || BatchSize > MaxBatchSize)
        {
            throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, $"The batch size must be from 1 to {MaxBatchSize:N0}.");
        }

        if (Validation is not null && ValidationSplit is not null)
        {
            throw new ArgumentException("Set either TrainingOptions.Validation or TrainingOptions.ValidationSplit, not both.", nameof(ValidationSplit));
        }

        if (ValidationSplit is { } split && !(split > 0 && split < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(ValidationSplit), split, "The validation split must be strictly between 0 and 1.");
        }

        if (Callbacks is null || Callbacks.Any(c => c is null))
        {
            throw new ArgumentException("TrainingOptions.Callbacks must not be null or hold null.", nameof(Callbacks));
        }
    }
}
