using ScratchNet.Serialization;

namespace ScratchNet;

/// <summary>
/// A resumable checkpoint: a network together with everything needed to continue its training bit for
/// bit: the optimizer's state (momentum's velocities, Adam's moments and step counts), the epochs done,
/// the learning-rate schedule's position, the shuffled order and the random generators of shuffling,
/// augmentation and dropout. <see cref="Trainer.SaveCheckpoint(string)"/> or
/// <see cref="ModelCheckpoint"/>(<c>resumable: true</c>) writes one; it is a model file, so
/// <see cref="Network.Load(string)"/> also reads it.
/// <code>
/// TrainingCheckpoint checkpoint = TrainingCheckpoint.Load("run.scnn");
/// var trainer = new Trainer(checkpoint.Network, cost, new Adam(0.002f));
/// trainer.Fit(training, options with { ResumeFrom = checkpoint });   // epochs checkpoint.Epoch + 1 … options.Epochs
/// </code>
/// </summary>
public sealed class TrainingCheckpoint
{
    private TrainingCheckpoint(Network network, CheckpointState state)
    {
        Network = network;
        State = state;
    }

    /// <summary>The network as it was at the end of epoch <see cref="Epoch"/>; train this one to resume.</summary>
    public Network Network { get; }

    /// <summary>The epochs done when the checkpoint was written.</summary>
    public int Epoch => State.Run.Epoch;

    /// <summary>The epochs the interrupted run was planned for (the horizon of its learning-rate schedule).</summary>
    public int Epochs => State.Run.Epochs;

    /// <summary>The rest of the run, read and checked.</summary>
    internal CheckpointState State { get; }

    /// <summary>Reads a checkpoint, with every check of <see cref="Network.Load(string)"/> and the same for its training state.</summary>
    /// <param name="path">A file written by <see cref="Trainer.SaveCheckpoint(string)"/> or a resumable <see cref="ModelCheckpoint"/>.</param>
    /// <exception cref="InvalidDataException">The file is not a loadable model, or holds no training state (a plain model file), or its training state is damaged.</exception>
    /// <exception cref="IOException">The file cannot be read (see <see cref="Network.Load(string)"/>).</exception>
    public static TrainingCheckpoint Load(string path) => FromContents(ModelReader.ReadFile(path), path);

    /// <summary>Reads a checkpoint from a stream (the fuzz tests feed it bytes), with the checks of <see cref="Load(string)"/>.</summary>
    internal static TrainingCheckpoint Load(Stream stream, string source) => FromContents(ModelReader.Read(stream, source), source);

    private static TrainingCheckpoint FromContents(ModelContents contents, string source)
    {
        if (!contents.Sections.TryGetValue(CheckpointSection.Name, out ReadOnlyMemory<byte> section))
        {
            throw new InvalidDataException($"Cannot resume from {source}: it is a model file without training state. Write resumable checkpoints with Trainer.SaveCheckpoint or ModelCheckpoint(resumable: true).");
        }

        return new TrainingCheckpoint(contents.Network, CheckpointSection.Read(section, contents.Network, source));
    }
}
