namespace ScratchNet;

/// <summary>
/// Inputs paired with the outputs a network should learn to give: row n of <see cref="Inputs"/> goes
/// with row n of <see cref="Targets"/>. For classification the target is one-hot (1 for the right
/// class, 0 elsewhere) and <see cref="Label"/> gives the class back.
/// </summary>
public sealed class Dataset
{
    /// <summary>Pairs inputs with targets.</summary>
    /// <param name="inputs">The inputs, batch first.</param>
    /// <param name="targets">The targets, batch first, as many rows as <paramref name="inputs"/>.</param>
    /// <exception cref="ArgumentException">The two tensors hold different numbers of samples.</exception>
    public Dataset(Tensor inputs, Tensor targets)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(targets);
        if (inputs.BatchSize != targets.BatchSize)
        {
            throw new ArgumentException($"The dataset has {inputs.BatchSize} inputs but {targets.BatchSize} targets.", nameof(targets));
        }

        Inputs = inputs;
        Targets = targets;
    }

    /// <summary>The inputs, one sample per row.</summary>
    public Tensor Inputs { get; }

    /// <summary>The targets, one sample per row.</summary>
    public Tensor Targets { get; }

    /// <summary>The number of samples.</summary>
    public int Count => Inputs.BatchSize;

    /// <summary>Builds a classification dataset with one-hot targets.</summary>
    /// <param name="inputs">The inputs, batch first.</param>
    /// <param name="labels">The class of each sample, from 0 to <paramref name="classCount"/> − 1.</param>
    /// <param name="classCount">The number of classes (10 for digits).</param>
    /// <exception cref="ArgumentException">The counts differ or a label is out of range.</exception>
    public static Dataset FromLabels(Tensor inputs, ReadOnlySpan<int> labels, int classCount)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentOutOfRangeException.ThrowIfLessThan(classCount, 1);
        if (labels.Length != inputs.BatchSize)
        {
            throw new ArgumentException($"There are {inputs.BatchSize} inputs but {labels.Length} labels.", nameof(labels));
        }

        var targets = new Tensor(labels.Length, classCount);
        Span<float> y = targets.Span;
        for (int n = 0; n < labels.Length; n++)
        {
            if ((uint)labels[n] >= (uint)classCount)
            {
                throw new ArgumentException($"Label {n} is {labels[n]}, outside 0 to {classCount - 1}.", nameof(labels));
            }

            y[(n * classCount) + labels[n]] = 1f;
        }

        return new Dataset(inputs, targets);
    }

    /// <summary>The class of sample <paramref name="index"/>: the position of the largest target value.</summary>
    /// <param name="index">The sample.</param>
    public int Label(int index) => ArgMax(Targets.Sample(index));

    /// <summary>A new dataset holding a copy of samples <paramref name="start"/> to <paramref name="start"/> + <paramref name="count"/> − 1.</summary>
    /// <param name="start">The first sample.</param>
    /// <param name="count">How many samples.</param>
    /// <exception cref="ArgumentOutOfRangeException">The range does not lie inside the dataset.</exception>
    public Dataset Slice(int start, int count)
    {
        if (start < 0 || count < 1 || start + count > Count)
        {
            throw new ArgumentOutOfRangeException(nameof(count), $"Samples {start} to {start + count - 1} are not inside a dataset of {Count}.");
        }

        return new Dataset(SliceRows(Inputs, start, count), SliceRows(Targets, start, count));
    }

    /// <summary>
    /// Splits the samples at random into a training set and a validation set, for choosing a recipe
    /// without looking at the test set. Every sample lands in exactly one of the two, and each part keeps
    /// the samples in their original order; the same seed always gives the same split.
    /// </summary>
    /// <param name="validationFraction">The share of samples held out for validation, strictly between 0 and 1; the count is rounded to the nearest whole sample.</param>
    /// <param name="seed">The seed of the shuffle that chooses the validation samples.</param>
    /// <returns>The remaining samples and the held-out ones, both copies.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The fraction is not strictly between 0 and 1, or leaves one part empty.</exception>
    public (Dataset Training, Dataset Validation) Split(double validationFraction, int seed)
    {
        if (!(validationFraction > 0 && validationFraction < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(validationFraction), validationFraction, "The validation fraction must be strictly between 0 and 1.");
        }

        int validationCount = (int)Math.Round(Count * validationFraction, MidpointRounding.AwayFromZero);
        if (validationCount < 1 || validationCount >= Count)
        {
            throw new ArgumentOutOfRangeException(nameof(validationFraction), validationFraction, $"A validation fraction of {validationFraction} of {Count} samples leaves {validationCount} for validation and {Count - validationCount} for training; both need at least one.");
        }

        // Fisher–Yates: the first validationCount positions of the shuffled order are held out.
        int[] order = new int[Count];
        for (int i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        var random = new Random(seed);
        for (int i = order.Length - 1; i > 0; i--)
        {
            int j = random.Next(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }

        int[] validation = order[..validationCount];
        int[] training = order[validationCount..];
        Array.Sort(validation);
        Array.Sort(training);
        return (Gather(training), Gather(validation));
    }

    /// <summary>The index of the largest value (the first one on a tie).</summary>
    internal static int ArgMax(ReadOnlySpan<float> values)
    {
        int best = 0;
        for (int i = 1; i < values.Length; i++)
        {
            if (values[i] > values[best])
            {
                best = i;
            }
        }

        return best;
    }

    private Dataset Gather(int[] indices) => new(GatherRows(Inputs, indices), GatherRows(Targets, indices));

    private static Tensor GatherRows(Tensor tensor, int[] indices)
    {
        int[] shape = tensor.Shape.ToArray();
        shape[0] = indices.Length;
        var rows = new Tensor(shape);
        int size = tensor.SampleSize;
        byte[]? pixels = tensor.KnownPixelBytes;
        byte[]? rowPixels = pixels is null ? null : new byte[indices.Length * size];
        Span<float> values = rows.Span;
        for (int r = 0; r < indices.Length; r++)
        {
            tensor.Values.Slice(indices[r] * size, size).CopyTo(values.Slice(r * size, size));
            pixels?.AsSpan(indices[r] * size, size).CopyTo(rowPixels.AsSpan(r * size, size));
        }

        if (rowPixels is not null)
        {
            rows.SetPixelBytes(rowPixels); // a split of MNIST keeps training from bytes
        }

        return rows;
    }

    private static Tensor SliceRows(Tensor tensor, int start, int count)
    {
        int[] shape = tensor.Shape.ToArray();
        shape[0] = count;
        int size = tensor.SampleSize;
        var rows = new Tensor(tensor.Values.Slice(start * size, count * size), shape);
        if (tensor.KnownPixelBytes is { } pixels)
        {
            rows.SetPixelBytes(pixels.AsSpan(start * size, count * size).ToArray());
        }

        return rows;
    }
}
