namespace ScratchNet;

/// <summary>One run of <see cref="Trainer.Fit"/> as callbacks see it: what is trained, on what, how far it is, and a way to stop it.</summary>
public sealed class TrainingContext
{
    /// <summary>The <see cref="StopReason"/> of a run stopped through its <see cref="CancellationToken"/>.</summary>
    public const string CancelledReason = "cancelled";

    private readonly List<EpochReport> _history;

    internal TrainingContext(Trainer trainer, TrainingOptions options, Dataset training, Dataset? validation, List<EpochReport> history)
    {
        Trainer = trainer;
        Options = options;
        Training = training;
        Validation = validation;
        _history = history;
        Callbacks = [.. options.Callbacks];
    }

    /// <summary>The trainer running.</summary>
    public Trainer Trainer { get; }

    /// <summary>The network being trained.</summary>
    public Network Network => Trainer.Network;

    /// <summary>The optimizer; set its <see cref="Optimizer.LearningRate"/> to change η.</summary>
    public Optimizer Optimizer => Trainer.Optimizer;

    /// <summary>The options of this run.</summary>
    public TrainingOptions Options { get; }

    /// <summary>The samples trained on (without the held-out part when <see cref="TrainingOptions.ValidationSplit"/> is set).</summary>
    public Dataset Training { get; }

    /// <summary>The samples evaluated after every epoch, or <see langword="null"/>.</summary>
    public Dataset? Validation { get; }

    /// <summary>The number of epochs planned.</summary>
    public int Epochs => Options.Epochs;

    /// <summary>The current epoch, counting from 1 (0 before the first).</summary>
    public int Epoch { get; internal set; }

    /// <summary>The reports of the epochs finished so far, in order.</summary>
    public IReadOnlyList<EpochReport> History => _history;

    /// <summary>Whether a callback asked to stop.</summary>
    public bool StopRequested => StopReason is not null;

    /// <summary>Why training stops early, as the first callback that asked said it; <see langword="null"/> if none did.</summary>
    public string? StopReason { get; private set; }

    /// <summary>
    /// Whether the run ended on an error or a cancellation rather than normally, as
    /// <see cref="TrainingCallback.OnTrainEnd"/> sees it: <see cref="StopReason"/> then says what
    /// (<see cref="CancelledReason"/>, or the error's message), and the exception reaches the caller after the callbacks.
    /// </summary>
    public bool Aborted { get; private set; }

    /// <summary>The callbacks of this run, in order.</summary>
    internal TrainingCallback[] Callbacks { get; }

    /// <summary>Adds an epoch's report to <see cref="History"/>.</summary>
    internal void Add(EpochReport report) => _history.Add(report);

    /// <summary>Marks the run as ended by an error or a cancellation, replacing any earlier stop reason.</summary>
    internal void Abort(string reason)
    {
        Aborted = true;
        StopReason = reason;
    }

    /// <summary>Ends training after the current epoch (the remaining callbacks of this epoch still run). The first reason given is kept.</summary>
    /// <param name="reason">Why, for the history and the logs, e.g. "validation cost has not improved for 3 epochs".</param>
    public void Stop(string reason)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        StopReason ??= reason;
    }
}
