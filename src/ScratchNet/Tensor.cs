using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ScratchNet;

/// <summary>
/// A dense block of 32-bit floats with a shape. The first dimension is the batch: a tensor of shape
/// <c>[N, 784]</c> holds N MNIST images, one row each, and a tensor of shape <c>[N, H, W, C]</c> holds
/// N images of C channels, channels last, as every layer reads them. Storage is contiguous and
/// row-major, so sample <c>n</c> is the slice <c>[n * SampleSize, (n + 1) * SampleSize)</c> of
/// <see cref="Span"/>.
/// </summary>
/// <remarks>
/// A tensor is plain managed memory: nothing to dispose, nothing to free. Layers own the tensors they
/// return and reuse them from one call to the next, so copy what you want to keep.
/// </remarks>
public sealed class Tensor
{
    /// <summary>Tensors of at least this many values start on a 64-byte boundary (see <see cref="Allocate"/>).</summary>
    private const int AlignFrom = 256;

    private readonly float[] _data;
    private readonly int _offset; // where the values start in _data
    private readonly int _length;
    private readonly int[] _shape;

    /// <summary>Creates a tensor of the given shape, filled with zeros.</summary>
    /// <param name="shape">The dimensions, batch first. Every dimension must be at least 1.</param>
    /// <exception cref="ArgumentException">The shape is empty or has a dimension below 1.</exception>
    public Tensor(params int[] shape)
        : this(shape, null, 0, null)
    {
    }

    /// <summary>Creates a tensor of the given shape that holds a copy of <paramref name="values"/>.</summary>
    /// <param name="values">Row-major values; their count must equal the product of the dimensions.</param>
    /// <param name="shape">The dimensions, batch first.</param>
    /// <exception cref="ArgumentException">The number of values does not match the shape.</exception>
    public Tensor(ReadOnlySpan<float> values, params int[] shape)
        : this(shape, values)
    {
    }

    private Tensor(int[] shape, ReadOnlySpan<float> values)
        : this(shape, null, 0, values.Length)
    {
        values.CopyTo(Span);
    }

    /// <summary>A tensor over <paramref name="data"/> from <paramref name="offset"/> (a view), or over new storage when it is null; <paramref name="given"/> is how many values the caller brings (null: none, zeros).</summary>
    private Tensor(int[] shape, float[]? data, int offset, int? given)
    {
        ArgumentNullException.ThrowIfNull(shape);
        if (shape.Length == 0)
        {
            throw new ArgumentException("A tensor needs at least one dimension.", nameof(shape));
        }

        long length = 1;
        foreach (int dimension in shape)
        {
            if (dimension < 1)
            {
                throw new ArgumentException($"Every dimension must be at least 1, but the shape is {FormatShape(shape)}.", nameof(shape));
            }

            length *= dimension;
        }

        if (length > Array.MaxLength)
        {
            throw new ArgumentException($"The shape {FormatShape(shape)} holds {length} elements, more than an array can.", nameof(shape));
        }

        int count = given ?? (int)length;
        if (count != length)
        {
            throw new ArgumentException($"The shape {FormatShape(shape)} holds {length} values, but {count} were given.", "values");
        }

        _shape = (int[])shape.Clone();
        _length = (int)length;
        (_data, _offset) = data is null ? Allocate(_length) : (data, offset);
    }

    /// <summary>The dimensions, batch first.</summary>
    public ReadOnlySpan<int> Shape => _shape;

    /// <summary>The number of dimensions.</summary>
    public int Rank => _shape.Length;

    /// <summary>The number of samples: the first dimension.</summary>
    public int BatchSize => _shape[0];

    /// <summary>The number of values per sample: the product of every dimension but the first.</summary>
    public int SampleSize => _length / _shape[0];

    /// <summary>The total number of values.</summary>
    public int Length => _length;

    /// <summary>All values, row-major.</summary>
    public Span<float> Span => _data.AsSpan(_offset, _length);

    /// <summary>The values, for the library's own reading (unlike <see cref="Span"/>, keeps the byte copy).</summary>
    internal ReadOnlySpan<float> Values => _data.AsSpan(_offset, _length);

    /// <summary>The value at a flat, row-major index.</summary>
    /// <param name="index">From 0 to <see cref="Length"/> − 1.</param>
    public float this[int index]
    {
        get => Span[index];
        set => Span[index] = value;
    }

    /// <summary>The values of one sample.</summary>
    /// <param name="index">The sample, from 0 to <see cref="BatchSize"/> − 1.</param>
    public Span<float> Sample(int index)
    {
        if ((uint)index >= (uint)_shape[0])
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, $"The tensor holds {_shape[0]} samples.");
        }

        int size = SampleSize;
        return _data.AsSpan(_offset + (index * size), size);
    }

    /// <summary>The size of dimension <paramref name="dimension"/>.</summary>
    public int Dimension(int dimension) => _shape[dimension];

    /// <summary>Whether this tensor has exactly the given shape.</summary>
    public bool HasShape(ReadOnlySpan<int> shape) => shape.SequenceEqual(_shape);

    /// <summary>
    /// A tensor that shares this one's values under another shape with the same number of values, e.g.
    /// a batch of images <c>[N, 28, 28, 1]</c> seen as <c>[N, 784]</c>. Writing through either writes both.
    /// </summary>
    /// <param name="shape">The new dimensions; their product must equal <see cref="Length"/>.</param>
    /// <exception cref="ArgumentException">The shape holds a different number of values.</exception>
    public Tensor Reshape(params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        long length = 1;
        foreach (int dimension in shape)
        {
            length *= dimension;
        }

        if (length != _length || shape.Any(d => d < 1))
        {
            throw new ArgumentException($"Cannot view a tensor of shape {FormatShape(_shape)} ({_length} values) as {FormatShape(shape)}.", nameof(shape));
        }

        return new Tensor(shape, _data, _offset, _length);
    }

    /// <summary>
    /// This tensor's storage seen as <paramref name="batchSize"/> samples of its sample shape (writing through
    /// either writes both), or <see langword="null"/> when the storage cannot hold them. Layers use it to keep
    /// one buffer for batches of different sizes (see <see cref="Layer"/>'s <c>Reuse</c>).
    /// </summary>
    internal Tensor? WithBatchSize(int batchSize)
    {
        long length = (long)batchSize * SampleSize;
        if (batchSize < 1 || length > _data.Length - _offset)
        {
            return null;
        }

        int[] shape = (int[])_shape.Clone();
        shape[0] = batchSize;
        return new Tensor(shape, _data, _offset, (int)length);
    }

    /// <summary>How many values the storage under this tensor holds from its first value on (at least <see cref="Length"/>).</summary>
    internal int Capacity => _data.Length - _offset;

    /// <summary>A new tensor with the same shape and a copy of the values.</summary>
    public Tensor Clone() => new(_shape, Values);

    /// <summary>Sets every value to zero.</summary>
    public void Clear()
    {
        Span.Clear();
    }

    /// <summary>The shape written as <c>[N, 784]</c>.</summary>
    public override string ToString() => $"Tensor{FormatShape(_shape)}";

    /// <summary>
    /// Storage for <paramref name="length"/> zeros. From <see cref="AlignFrom"/> values on, the values start on a 64-byte
    /// boundary of a pinned array (which never moves): a 512-bit load or store of a row then touches one cache line
    /// instead of two, which the matrix products and the optimizers' passes feel (an array's values otherwise start
    /// 16 bytes into an 8-byte-aligned object). Smaller tensors take a plain array.
    /// </summary>
    private static unsafe (float[] Data, int Offset) Allocate(int length)
    {
        if (length < AlignFrom || length > Array.MaxLength - 15)
        {
            return (new float[length], 0);
        }

        float[] data = GC.AllocateArray<float>(length + 15, pinned: true);
        nuint address = (nuint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(data));
        return (data, (int)((64 - (address % 64)) % 64 / sizeof(float)));
    }

    /// <summary>Writes a shape as <c>[2, 3, 4]</c>, the form every error message uses.</summary>
    internal static string FormatShape(ReadOnlySpan<int> shape) => "[" + string.Join(", ", shape.ToArray()) + "]";
}
