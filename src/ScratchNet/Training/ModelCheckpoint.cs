using ScratchNet.Serialization;

namespace ScratchNet;

/// <summary>
/// Saves the network to a file after every epoch that improves a metric (the validation cost unless
/// told otherwise), or after every epoch. Each save goes through <see cref="Network.Save(string)"/>:
/// it writes a temporary file beside the target and renames it, so a crash during a save leaves the
/// previous checkpoint intact.
/// <code>
/// Callbacks = [new ModelCheckpoint("best.scnn", TrainingMetric.ValidationAccuracy)]
/// </code>
/// </summary>
public sealed class ModelCheckpoint : TrainingCallback
{
    /// <summary>Creates the callback.</summary>
    /// <param name="path">The model file, replaced at each save.</param>
    /// <param name="monitor">What decides "best"; <see langword="null"/> for <see cref="TrainingMetric.ValidationCost"/>.</param>
    /// <param name="saveBestOnly"><see langword="true"/> to save only when the metric improves, <see langword="false"/> to save after every epoch.</param>
    /// <param name="resumable">
    /// <see langword="true"/> to write resumable checkpoints (<see cref="Trainer.SaveCheckpoint(string)"/>: the network
    /// with the optimizer's state and the run's position, for <see cref="TrainingOptions.ResumeFrom"/>);
    /// <see langword="false"/> (the default) for plain model files.
    /// </param>
    public ModelCheckpoint(string path, TrainingMetric? monitor = null, bool saveBestOnly = true, bool resumable = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Path = path;
        Monitor = monitor ?? TrainingMetric.ValidationCost;
        SaveBestOnly = saveBestOnly;
        Resumable = resumable;
    }

    /// <summary>The model file.</summary>
    public string Path { get; }

    /// <summary>The metric that decides which epoch is best.</summary>
    public TrainingMetric Monitor { get; }

    /// <summary>Whether only improving epochs are saved.</summary>
    public bool SaveBestOnly { get; }

    /// <summary>Whether the files are resumable checkpoints rather than plain model files.</summary>
    public bool Resumable { get; }

    /// <summary>The epoch whose network is in the file after the last run, or 0 if nothing was saved.</summary>
    public int SavedEpoch { get; private set; }

    /// <summary>The best value of the metric in the last run, or <see langword="null"/> before any.</summary>
    public double? BestValue { get; private set; }

    /// <summary>Wraps the file stream of each save; the tests use it to make a save fail half-way.</summary>
    internal Func<Stream, Stream>? WrapStream { get; set; }

    /// <inheritdoc />
    public override void OnTrainBegin(TrainingContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (SaveBestOnly)
        {
            Monitor.EnsureAvailable(context, nameof(ModelCheckpoint));
        }

        SavedEpoch = 0;
        BestValue = null;
    }

    /// <inheritdoc />
    public override void OnEpochEnd(EpochReport report, TrainingContext context)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(context);
        if (SaveBestOnly)
        {
            double value = Monitor.Read(report);
            if (!Monitor.Improves(value, BestValue))
            {
                return;
            }

            BestValue = value;
        }

        if (Resumable)
        {
            context.Trainer.SaveCheckpoint(Path, WrapStream);
        }
        else
        {
            byte[] contents = ModelWriter.ToBytes(context.Network);
            AtomicFile.Write(Path, stream => stream.Write(contents), WrapStream);
        }
        SavedEpoch = report.Epoch;
    }
}
