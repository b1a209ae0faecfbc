using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using ScratchNet.Kernels;

namespace ScratchNet;

/// <summary>
/// Inputs paired with the outputs a network should learn to give: row n of <see cref="Inputs"/> goes
/// with row n of <see cref="Targets"/>. For classification the target is one-hot (1 for the right
/// class, 0 elsewhere) and <see cref="Label"/> gives the class back.
/// </summary>
/// <remarks>
/// A dataset of 8-bit images (<see cref="FromPixels(ReadOnlySpan{byte}, int[], Tensor)"/>; <see cref="Mnist.Load"/> makes them so) keeps its
/// inputs as the bytes b themselves, a quarter of the memory of the floats b / 255: training copies each
/// minibatch's rows straight from the bytes into floats (a quarter of the memory traffic per shuffled
/// epoch), and <see cref="Inputs"/> makes the float tensor only if you ask for it. The tensors stay plain
/// numbers; the dataset owns its storage.
/// </remarks>
public sealed class Dataset
{
    private readonly byte[]? _pixels;
    private readonly int[] _inputShape;
    private readonly int _inputSize;
    private Tensor? _inputs;

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

        _inputs = inputs;
        _inputShape = inputs.Shape.ToArray();
        _inputSize = inputs.SampleSize;
        Targets = targets;
    }

    private Dataset(byte[] pixels, int[] inputShape, Tensor targets)
    {
        _pixels = pixels;
        _inputShape = inputShape;
        _inputSize = pixels.Length / Math.Max(1, inputShape[0]);
        Targets = targets;
    }

    /// <summary>
    /// The inputs, one sample per row. For a dataset of 8-bit images they are made from the bytes on the
    /// first call (b / 255, exact) and kept; training never needs them.
    /// </summary>
    public Tensor Inputs
    {
        get
        {
            if (_inputs is null)
            {
                var inputs = new Tensor(_inputShape);
                PixelBytes.Expand(_pixels, inputs.Span);
                Interlocked.CompareExchange(ref _inputs, inputs, null);
            }

            return _inputs;
        }
    }

    /// <summary>The targets, one sample per row.</summary>
    public Tensor Targets { get; }

    /// <summary>The number of samples.</summary>
    public int Count => _inputShape[0];

    /// <summary>The number of input values per sample (784 for MNIST), without making <see cref="Inputs"/>.</summary>
    public int InputSize => _inputSize;

    /// <summary>The inputs as bytes b (value b / 255) for a dataset of 8-bit images; <see langword="null"/> otherwise.</summary>
    internal byte[]? Pixels => _pixels;

    /// <summary>The inputs' shape, batch first, without making <see cref="Inputs"/>.</summary>
    internal ReadOnlySpan<int> InputShape => _inputShape;

    /// <summary>
    /// A dataset of 8-bit images kept as bytes: input value = pixel / 255, so 0 is 0 and 255 is 1. The bytes
    /// are copied, so later changes to <paramref name="pixels"/> do not reach the dataset.
    /// </summary>
    /// <param name="pixels">The pixels of every sample, one sample after another, row-major.</param>
    /// <param name="sampleShape">The shape of one sample, e.g. <c>[784]</c> or <c>[28, 28, 1]</c>.</param>
    /// <param name="targets">The targets, batch first: their row count is the number of samples.</param>
    /// <exception cref="ArgumentException">The pixel count is not the sample count times the sample size, or a size is below 1.</exception>
    public static Dataset FromPixels(ReadOnlySpan<byte> pixels, int[] sampleShape, Tensor targets)
    {
        ArgumentNullException.ThrowIfNull(sampleShape);
        ArgumentNullException.ThrowIfNull(targets);
        return FromPixelArray(pixels.ToArray(), sampleShape, targets);
    }

    /// <summary>A classification dataset of 8-bit images kept as bytes, with one-hot targets (see <see cref="FromPixels(ReadOnlySpan{byte}, int[], Tensor)"/>).</summary>
    /// <param name="pixels">The pixels of every sample, one sample after another, row-major.</param>
    /// <param name="sampleShape">The shape of one sample, e.g. <c>[784]</c>.</param>
    /// <param name="labels">The class of each sample, from 0 to <paramref name="classCount"/> − 1.</param>
    /// <param name="classCount">The number of classes (10 for digits).</param>
    /// <exception cref="ArgumentException">The counts do not fit or a label is out of range.</exception>
    public static Dataset FromPixels(ReadOnlySpan<byte> pixels, int[] sampleShape, ReadOnlySpan<int> labels, int classCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(classCount, 1);
        return FromPixels(pixels, sampleShape, OneHot(labels, classCount));
    }

    /// <summary>As <see cref="FromPixels(ReadOnlySpan{byte}, int[], Tensor)"/>, keeping <paramref name="pixels"/> itself (the MNIST loader's own array).</summary>
    internal static Dataset FromPixelArray(byte[] pixels, int[] sampleShape, Tensor targets)
    {
        long size = 1;
        foreach (int dimension in sampleShape)
        {
            size = dimension >= 1 ? size * dimension : throw new ArgumentException($"The sample shape {Tensor.FormatShape(sampleShape)} has a size below 1.", nameof(sampleShape));
        }

        if (size * targets.BatchSize != pixels.Length)
        {
            throw new ArgumentException($"{targets.BatchSize} samples of shape {Tensor.FormatShape(sampleShape)} need {size * targets.BatchSize} pixels, but {pixels.Length} were given.", nameof(pixels));
        }

        return new Dataset(pixels, [targets.BatchSize, .. sampleShape], targets);
    }

    /// <summary>Copies the inputs of the samples at <paramref name="indices"/>, in that order, into <paramref name="destination"/> as floats.</summary>
    internal void CopyInputs(ReadOnlySpan<int> indices, Span<float> destination)
    {
        int size = InputSize;
        for (int r = 0; r < indices.Length; r++)
        {
            CopyInputs(indices[r], 1, destination.Slice(r * size, size));
        }
    }

    /// <summary>Copies the inputs of samples <paramref name="start"/> to <paramref name="start"/> + <paramref name="count"/> − 1 into <paramref name="destination"/> as floats.</summary>
    internal void CopyInputs(int start, int count, Span<float> destination)
    {
        int size = InputSize;
        if (_pixels is not null)
        {
            PixelBytes.Expand(_pixels.AsSpan(start * size, count * size), destination[..(count * size)]);
        }
        else
        {
            _inputs!.Values.Slice(start * size, count * size).CopyTo(destination);
        }
    }

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

        return new Dataset(inputs, OneHot(labels, classCount));
    }

    /// <summary>One-hot targets <c>[N, classCount]</c> for labels from 0 to <paramref name="classCount"/> − 1.</summary>
    /// <exception cref="ArgumentException">A label is out of range.</exception>
    internal static Tensor OneHot(ReadOnlySpan<int> labels, int classCount)
    {
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

        return targets;
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

        int size = InputSize;
        return _pixels is not null
            ? new Dataset(_pixels.AsSpan(start * size, count * size).ToArray(), [count, .. _inputShape[1..]], SliceRows(Targets, start, count))
            : new Dataset(SliceRows(Inputs, start, count), SliceRows(Targets, start, count));
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

    /// <summary>The index of the largest value (the first one on a tie; NaNs after the first value are passed over, and a NaN first value gives 0).</summary>
    internal static int ArgMax(ReadOnlySpan<float> values)
    {
        if (values.IsEmpty)
        {
            return 0;
        }

        if (Vector256.IsHardwareAccelerated && values.Length >= Vector256<float>.Count && ArgMaxWithoutNaN(values) is int found and >= 0)
        {
            return found;
        }

        int best = 0;
        float max = values[0];
        for (int i = 1; i < values.Length; i++)
        {
            if (values[i] > max)
            {
                (best, max) = (i, values[i]);
            }
        }

        return best;
    }

    /// <summary>
    /// <see cref="ArgMax"/> without a branch per value, or −1 when a value is NaN: the largest value M by vector
    /// maxima, then the first index that holds M. Which output of a row is largest is a coin toss for the
    /// processor's branch predictor, and the scalar loop's wrong guesses cost more than its comparisons: counting
    /// the right answers of a seed-network epoch at batch 10 took ≈ 3.5 ms of its ≈ 47, and takes ≈ 1.2 ms so.
    /// </summary>
    internal static int ArgMaxWithoutNaN(ReadOnlySpan<float> values)
    {
        ref float first = ref MemoryMarshal.GetReference(values);
        int last = values.Length - Vector256<float>.Count; // the last block overlaps the one before when the length is not a multiple of 8
        Vector256<float> lastBlock = Vector256.LoadUnsafe(ref first, (nuint)last);
        Vector256<float> max = lastBlock;
        Vector256<float> numbers = Vector256.Equals(max, max);
        for (int i = 0; i < last; i += Vector256<float>.Count)
        {
            Vector256<float> block = Vector256.LoadUnsafe(ref first, (nuint)i);
            max = Vector256.MaxNative(max, block);
            numbers &= Vector256.Equals(block, block);
        }

        if (numbers.AsUInt32() != Vector256<uint>.AllBitsSet) // as integers: as floats, AllBitsSet is a NaN, equal to nothing
        {
            return -1;
        }

        Vector128<float> half = Vector128.MaxNative(max.GetLower(), max.GetUpper());
        half = Vector128.MaxNative(half, Vector128.Shuffle(half, Vector128.Create(2, 3, 0, 1)));
        half = Vector128.MaxNative(half, Vector128.Shuffle(half, Vector128.Create(1, 0, 3, 2)));
        Vector256<float> largest = Vector256.Create(half.ToScalar());
        if (last <= Vector256<float>.Count)
        {
            // Up to 16 values (a row of 10 classes): the first and the last block hold them all; no branch on where M is.
            uint inFirst = Vector256.Equals(Vector256.LoadUnsafe(ref first), largest).ExtractMostSignificantBits();
            uint inLast = Vector256.Equals(lastBlock, largest).ExtractMostSignificantBits();
            return BitOperations.TrailingZeroCount(inFirst | (inLast << last));
        }

        for (int i = 0; i <= last; i = i < last ? Math.Min(i + Vector256<float>.Count, last) : last + 1)
        {
            uint equal = Vector256.Equals(Vector256.LoadUnsafe(ref first, (nuint)i), largest).ExtractMostSignificantBits();
            if (equal != 0)
            {
                return i + BitOperations.TrailingZeroCount(equal);
            }
        }

        return -1; // not reached: M is one of the values
    }

    private Dataset Gather(int[] indices)
    {
        if (_pixels is null)
        {
            return new(GatherRows(Inputs, indices), GatherRows(Targets, indices));
        }

        int size = InputSize;
        byte[] rows = new byte[indices.Length * size];
        for (int r = 0; r < indices.Length; r++)
        {
            _pixels.AsSpan(indices[r] * size, size).CopyTo(rows.AsSpan(r * size, size));
        }

        return new Dataset(rows, [indices.Length, .. _inputShape[1..]], GatherRows(Targets, indices));   // a split of MNIST stays bytes
    }

    private static Tensor GatherRows(Tensor tensor, int[] indices)
    {
        int[] shape = tensor.Shape.ToArray();
        shape[0] = indices.Length;
        var rows = new Tensor(shape);
        int size = tensor.SampleSize;
        Span<float> values = rows.Span;
        for (int r = 0; r < indices.Length; r++)
        {
            tensor.Values.Slice(indices[r] * size, size).CopyTo(values.Slice(r * size, size));
        }

        return rows;
    }

    private static Tensor SliceRows(Tensor tensor, int start, int count)
    {
        int[] shape = tensor.Shape.ToArray();
        shape[0] = count;
        int size = tensor.SampleSize;
        return new Tensor(tensor.Values.Slice(start * size, count * size), shape);
    }
}
