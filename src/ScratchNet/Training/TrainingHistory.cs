using System.Collections;

namespace ScratchNet;

/// <summary>
/// What <see cref="Trainer.Fit"/> returns: the report of every epoch trained, in order (it is a list of
/// them), and why training stopped if a callback stopped it early.
/// <code>
/// TrainingHistory history = trainer.Fit(mnist.Training, options);
/// double best = history.Max(r => r.Validation!.Accuracy);
/// </code>
/// </summary>
public sealed class TrainingHistory : IReadOnlyList<EpochReport>
{
    private readonly List<EpochReport> _reports;

    internal TrainingHistory(List<EpochReport> reports, string? stopReason)
    {
        _reports = reports;
        StopReason = stopReason;
    }

    /// <summary>The number of epochs trained.</summary>
    public int Count => _reports.Count;

    /// <summary>Whether a callback ended training before the planned number of epochs.</summary>
    public bool StoppedEarly => StopReason is not null;

    /// <summary>The reason the callback gave for stopping, or <see langword="null"/> if all epochs ran.</summary>
    public string? StopReason { get; }

    /// <summary>The report of epoch <paramref name="index"/> + 1.</summary>
    /// <param name="index">From 0.</param>
    public EpochReport this[int index] => _reports[index];

    /// <summary>The reports in epoch order.</summary>
    public IEnumerator<EpochReport> GetEnumerator() => _reports.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>One line per epoch, then the reason for stopping if training stopped early.</summary>
    public override string ToString() =>
        string.Join(Environment.NewLine, _reports) + (StopReason is { } reason ? Environment.NewLine + "stopped: " + reason : string.Empty);
}
