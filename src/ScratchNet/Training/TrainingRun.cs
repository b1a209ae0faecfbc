namespace ScratchNet;

/// <summary>
/// Where a run of <see cref="Trainer.Fit"/> stands, beyond the network and the optimizer: the epochs
/// done, the shuffled order and the random generators of shuffling and augmentation. A resumable
/// checkpoint saves it, so the run can continue bit for bit as if it had never stopped.
/// </summary>
internal sealed class TrainingRun
{
    public TrainingRun(int epoch, int epochs, int batchSize, int seed, bool shuffle, int[] order, ResumableRandom shuffling, ResumableRandom augmentation)
    {
        Epoch = epoch;
        Epochs = epochs;
        BatchSize = batchSize;
        Seed = seed;
        Shuffle = shuffle;
        Order = order;
        Shuffling = shuffling;
        Augmentation = augmentation;
    }

    /// <summary>The epochs finished.</summary>
    public int Epoch { get; set; }

    /// <summary>The epochs the run was planned for (the learning-rate schedule's horizon).</summary>
    public int Epochs { get; }

    public int BatchSize { get; }

    public int Seed { get; }

    public bool Shuffle { get; }

    /// <summary>The order of the training samples in the last epoch; each epoch shuffles it further.</summary>
    public int[] Order { get; }

    /// <summary>Draws the shuffles.</summary>
    public ResumableRandom Shuffling { get; }

    /// <summary>Draws the augmentation, a stream of its own so that turning it on does not change the shuffling.</summary>
    public ResumableRandom Augmentation { get; }

    /// <summary>A new run from its options, as every run before resumable checkpoints started.</summary>
    public static TrainingRun Start(TrainingOptions options, int count) =>
        new(0, options.Epochs, options.BatchSize, options.Seed, options.Shuffle, Enumerable.Range(0, count).ToArray(), new ResumableRandom(options.Seed), new ResumableRandom(options.Seed ^ 0x5EED_A06));
}
