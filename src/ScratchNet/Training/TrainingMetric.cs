namespace ScratchNet;

/// <summary>
/// A number read from each epoch's report, and whether higher is better: what <see cref="EarlyStopping"/>
/// and <see cref="ModelCheckpoint"/> watch.
/// </summary>
public sealed class TrainingMetric
{
    private readonly Func<EpochReport, double?> _read;

    private TrainingMetric(string name, bool higherIsBetter, bool needsValidation, Func<EpochReport, double?> read)
    {
        Name = name;
        HigherIsBetter = higherIsBetter;
        NeedsValidation = needsValidation;
        _read = read;
    }

    /// <summary>The validation set's mean cost, lower is better (the default: it sees overfitting before accuracy does).</summary>
    public static TrainingMetric ValidationCost { get; } = new("validation cost", higherIsBetter: false, needsValidation: true, r => r.Validation?.MeanCost);

    /// <summary>The validation set's accuracy, higher is better.</summary>
    public static TrainingMetric ValidationAccuracy { get; } = new("validation accuracy", higherIsBetter: true, needsValidation: true, r => r.Validation?.Accuracy);

    /// <summary>The epoch's mean training cost, lower is better.</summary>
    public static TrainingMetric TrainingCost { get; } = new("training cost", higherIsBetter: false, needsValidation: false, r => r.TrainingCost);

    /// <summary>The epoch's training accuracy, higher is better.</summary>
    public static TrainingMetric TrainingAccuracy { get; } = new("training accuracy", higherIsBetter: true, needsValidation: false, r => r.TrainingAccuracy);

    /// <summary>A short name, such as <c>validation cost</c>.</summary>
    public string Name { get; }

    /// <summary>Whether a larger value is an improvement.</summary>
    public bool HigherIsBetter { get; }

    /// <summary>Whether the metric needs a validation set.</summary>
    public bool NeedsValidation { get; }

    /// <summary>Any number computed from a report, e.g. the recall of one class.</summary>
    /// <param name="name">A short name for messages.</param>
    /// <param name="higherIsBetter">Whether a larger value is an improvement.</param>
    /// <param name="read">Reads the value from an epoch's report.</param>
    public static TrainingMetric Custom(string name, bool higherIsBetter, Func<EpochReport, double> read)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(read);
        return new TrainingMetric(name, higherIsBetter, needsValidation: false, r => read(r));
    }

    /// <summary>The value in <paramref name="report"/>.</summary>
    /// <param name="report">An epoch's report.</param>
    /// <exception cref="InvalidOperationException">The report has no validation result but the metric needs one.</exception>
    public double Read(EpochReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return _read(report) ?? throw new InvalidOperationException($"The {Name} of epoch {report.Epoch} is unknown: it needs a validation set (TrainingOptions.Validation or ValidationSplit) and a cost.");
    }

    /// <summary>Whether <paramref name="value"/> beats <paramref name="best"/> by more than <paramref name="minimumImprovement"/>.</summary>
    /// <param name="value">The new value.</param>
    /// <param name="best">The best value so far, or <see langword="null"/> if there is none yet (then any finite value improves).</param>
    /// <param name="minimumImprovement">How much better it must be, at least 0.</param>
    public bool Improves(double value, double? best, double minimumImprovement = 0)
    {
        if (double.IsNaN(value))
        {
            return false;
        }

        if (best is not { } b)
        {
            return true;
        }

        return HigherIsBetter ? value > b + minimumImprovement : value < b - minimumImprovement;
    }

    /// <summary>The name.</summary>
    public override string ToString() => Name;

    /// <summary>Throws a clear error before training if the metric needs a validation set and there is none.</summary>
    internal void EnsureAvailable(TrainingContext context, string owner)
    {
        if (NeedsValidation && context.Validation is null)
        {
            throw new InvalidOperationException($"{owner} watches the {Name}, but there is no validation set: set TrainingOptions.Validation or TrainingOptions.ValidationSplit.");
        }
    }
}
