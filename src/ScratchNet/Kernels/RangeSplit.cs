namespace ScratchNet.Kernels;

/// <summary>Work over a range of items [from, to) that any thread may run, for <see cref="RangeSplit"/>.</summary>
internal interface IRangeWork
{
    /// <summary>Runs the items [<paramref name="from"/>, <paramref name="to"/>); it must write only their outputs.</summary>
    void Run(int from, int to);
}

/// <summary>
/// The split of work over the cores: cut into ranges of whole items on the <see cref="WorkerPool"/>, or run on the
/// calling thread when small. The matrix products split their rows or neurons this way (Gemm's <c>ForChunks</c>,
/// large by multiply-adds), and so do the passes between them (patch rows, an activation, a pooling), by samples
/// or blocks of values, from <see cref="MinValues"/> values. Each item is computed by the same code
/// whichever range holds it, so the split never changes a bit; the seed network's passes (a few thousand
/// values) never split.
/// </summary>
internal static class RangeSplit
{
    /// <summary>
    /// The fewest values a pass must touch to be split: 2¹⁸ floats (1 MB), a few hundred microseconds on one core,
    /// against about a microsecond to hand a range to a spinning worker (a ConvNet step's passes over batches of
    /// 64 touch 0.4–6 M values; one digit's, at most 50 k).
    /// </summary>
    public const long MinValues = 1 << 18;

    /// <summary>
    /// Runs <paramref name="work"/> over [0, <paramref name="count"/>) items of <paramref name="valuesPerItem"/> values
    /// each, in ranges of whole multiples of <paramref name="grain"/> items (the last range ends at
    /// <paramref name="count"/>): two ranges per core when the pass touches <see cref="MinValues"/> or more, else one
    /// range on this thread.
    /// </summary>
    public static void Run<TWork>(in TWork work, int count, long valuesPerItem, int grain = 1)
        where TWork : struct, IRangeWork =>
        Run(work, count, grain, split: count * valuesPerItem >= MinValues, rangesPerCore: 2);

    /// <summary>
    /// Runs <paramref name="work"/> over [0, <paramref name="count"/>) in <paramref name="rangesPerCore"/> ranges per
    /// core of whole multiples of <paramref name="grain"/> items when <paramref name="split"/> (and there are two
    /// cores and two grains), else as one range on this thread; the caller decides what is large enough (the
    /// matrix products count multiply-adds).
    /// </summary>
    public static void Run<TWork>(in TWork work, int count, int grain, bool split, int rangesPerCore)
        where TWork : struct, IRangeWork
    {
        int cores = WorkerPool.Workers + 1;
        if (!split || cores == 1 || count < 2 * grain)
        {
            work.Run(0, count);
            return;
        }

        int ranges = Math.Min(rangesPerCore * cores, count / grain);
        int size = ((count / ranges) + grain - 1) / grain * grain;
        WorkerPool.Run(new Ranges<TWork>(work, count, size), (count + size - 1) / size);
    }

    /// <summary>Range c of the work: items [c·size, min(count, (c + 1)·size)).</summary>
    private readonly struct Ranges<TWork>(TWork work, int count, int size) : IChunkWork
        where TWork : struct, IRangeWork
    {
        public void Execute(int chunk)
        {
            int from = chunk * size;
            work.Run(from, Math.Min(count, from + size));
        }
    }
}
