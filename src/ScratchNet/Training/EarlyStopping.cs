using System.Globalization;

namespace ScratchNet;

/// <summary>
/// Stops training when a metric has stopped improving, and by default puts back the weights of the
/// best epoch. After every epoch the metric (the validation cost unless told otherwise) is compared with
/// the best so far: if it is better by more than <see cref="MinimumImprovement"/> it becomes the best
/// and the weights are copied; otherwise the epoch counts as one without improvement, and after
/// <see cref="Patience"/> of them in a row training stops.
/// <code>
/// Callbacks = [new EarlyStopping(TrainingMetric.ValidationCost, patience: 3)]
/// </code>
/// </summary>
public sealed class EarlyStopping : TrainingCallback
{
    private NetworkSnapshot? _best;
    private int _epochsWithoutImprovement;

    /// <summary>Creates the callback.</summary>
    /// <param name="monitor">What to watch; <see langword="null"/> for <see cref="TrainingMetric.ValidationCost"/>.</param>
    /// <param name="patience">How many epochs in a row without improvement end training, at least 1.</param>
    /// <param name="minimumImprovement">How much better than the best a value must be to count, at least 0.</param>
    /// <param name="restoreBestWeights">Whether to put back the weights (and batch-norm statistics) of the best epoch when training ends.</param>
    /// <exception cref="ArgumentOutOfRangeException">The patience is below 1 or the minimum improvement is negative.</exception>
    public EarlyStopping(TrainingMetric? monitor = null, int patience = 5, double minimumImprovement = 0, bool restoreBestWeights = true)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(patience, 1);
        if (!(minimumImprovement >= 0) || !double.IsFinite(minimumImprovement))
        {
            throw new ArgumentOutOfRangeException(nameof(minimumImprovement), minimumImprovement, "The minimum improvement must be a finite number of at least 0.");
        }

        Monitor = monitor ?? TrainingMetric.ValidationCost;
        Patience = patience;
        MinimumImprovement = minimumImprovement;
        RestoreBestWeights = restoreBestWeights;
    }

    /// <summary>The metric watched.</summary>
    public TrainingMetric Monitor { get; }

    /// <summary>Epochs in a row without improvement before training stops.</summary>
    public int Patience { get; }

    /// <summary>The smallest change that counts as an improvement.</summary>
    public double MinimumImprovement { get; }

    /// <summary>Whether the best epoch's weights are put back when training ends.</summary>
    public bool RestoreBestWeights { get; }

    /// <summary>The epoch with the best value of the last run, or 0 before any.</summary>
    public int BestEpoch { get; private set; }

    /// <summary>The best value of the last run, or <see langword="null"/> before any.</summary>
    public double? BestValue { get; private set; }

    /// <summary>The epoch in which this callback stopped the last run, or 0 if it did not.</summary>
    public int StoppedEpoch { get; private set; }

    /// <summary>Whether the last run ended with the best epoch's weights put back (false if the last epoch was the best).</summary>
    public bool RestoredBestWeights { get; private set; }

    /// <inheritdoc />
    public override void OnTrainBegin(TrainingContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        Monitor.EnsureAvailable(context, nameof(EarlyStopping));
        _best = RestoreBestWeights ? new NetworkSnapshot(context.Network) : null;
        _epochsWithoutImprovement = 0;
        BestEpoch = 0;
        BestValue = null;
        StoppedEpoch = 0;
        RestoredBestWeights = false;
    }

    /// <inheritdoc />
    public override void OnEpochEnd(EpochReport report, TrainingContext context)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(context);
        double value = Monitor.Read(report);
        if (Monitor.Improves(value, BestValue, MinimumImprovement))
        {
            BestValue = value;
            BestEpoch = report.Epoch;
            _epochsWithoutImprovement = 0;
            _best?.Capture();
            return;
        }

        _epochsWithoutImprovement++;
        if (_epochsWithoutImprovement >= Patience)
        {
            StoppedEpoch = report.Epoch;
            context.Stop(string.Create(CultureInfo.InvariantCulture, $"the {Monitor.Name} has not improved for {Patience} epochs (best {BestValue:G6} in epoch {BestEpoch})"));
        }
    }

    /// <inheritdoc />
    public override void OnTrainEnd(TrainingContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (_best is not null && BestEpoch > 0 && BestEpoch != context.Epoch)
        {
            _best.Restore();
            RestoredBestWeights = true;
        }
    }
}
