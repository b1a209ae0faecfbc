using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace ScratchNet.Kernels;

/// <summary>
/// A rule for one value, y = f(x), written twice side by side: for one float and for 8 at once. The layer
/// that owns the rule declares it (<c>Sigmoid.Function</c>, <c>Relu.Function</c> …); the struct may carry
/// parameters such as a slope, which is why <c>Invoke</c> is an instance method.
/// </summary>
internal interface IUnaryOperator
{
    /// <summary>f(x).</summary>
    float Invoke(float x);

    /// <summary>f(x) for every lane.</summary>
    Vector256<float> Invoke(Vector256<float> x);
}

/// <summary>
/// A rule for two values at the same index, y = f(x, d): the backward pass of an activation, with x the
/// layer's z or a and d = ∂C/∂a, giving ∂C/∂z. The scalar and vector forms must round alike (the same
/// operations, no fused multiply-add in one and not the other), because the driver mixes them.
/// </summary>
internal interface IBinaryOperator
{
    /// <summary>f(x, d).</summary>
    float Invoke(float x, float d);

    /// <summary>f(x, d) for every lane.</summary>
    Vector256<float> Invoke(Vector256<float> x, Vector256<float> d);
}

/// <summary>
/// The drivers that run an element-wise rule over a span, 8 values at a time; a long span (a ConvNet batch's
/// activations) in ranges of whole 64-value blocks over the cores (<see cref="RangeSplit"/>), which changes no value:
/// every range but the last is whole vectors, and the last ends where the span does.
/// </summary>
internal static unsafe class ElementwiseKernels
{
    private const int Width = 8;

    /// <summary>The values per item of a split: ranges start at multiples of it, so at whole vectors.</summary>
    private const int Block = 64;

    /// <inheritdoc cref="MapRange{TOp}(ReadOnlySpan{float}, Span{float}, TOp)"/>
    public static void Map<TOp>(ReadOnlySpan<float> x, Span<float> y, TOp op = default)
        where TOp : struct, IUnaryOperator
    {
        CheckLengths(x.Length, x.Length, y.Length);
        if (x.Length < RangeSplit.MinValues)
        {
            MapRange(x, y, op);
            return;
        }

        fixed (float* px = x, py = y)
        {
            RangeSplit.Run(new Unary<TOp>(px, py, x.Length, op), (x.Length + Block - 1) / Block, Block);
        }
    }

    /// <inheritdoc cref="MapRange{TOp}(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, TOp)"/>
    public static void Map<TOp>(ReadOnlySpan<float> x, ReadOnlySpan<float> d, Span<float> y, TOp op = default)
        where TOp : struct, IBinaryOperator
    {
        CheckLengths(x.Length, d.Length, y.Length);
        if (x.Length < RangeSplit.MinValues)
        {
            MapRange(x, d, y, op);
            return;
        }

        fixed (float* px = x, pd = d, py = y)
        {
            RangeSplit.Run(new Binary<TOp>(px, pd, py, x.Length, op), (x.Length + Block - 1) / Block, Block);
        }
    }

    /// <summary>Blocks [from, to) of a one-input map.</summary>
    private readonly struct Unary<TOp>(float* x, float* y, int length, TOp op) : IRangeWork
        where TOp : struct, IUnaryOperator
    {
        public void Run(int from, int to)
        {
            int start = from * Block, count = Math.Min(length, to * Block) - start;
            MapRange(new ReadOnlySpan<float>(x + start, count), new Span<float>(y + start, count), op);
        }
    }

    /// <summary>Blocks [from, to) of a two-input map.</summary>
    private readonly struct Binary<TOp>(float* x, float* d, float* y, int length, TOp op) : IRangeWork
        where TOp : struct, IBinaryOperator
    {
        public void Run(int from, int to)
        {
            int start = from * Block, count = Math.Min(length, to * Block) - start;
            MapRange(new ReadOnlySpan<float>(x + start, count), new ReadOnlySpan<float>(d + start, count), new Span<float>(y + start, count), op);
        }
    }

    /// <summary>
    /// y[i] = f(x[i]) for every i, every value through the vector form, the tail too (padded with zeros
    /// to a whole vector): the vector σ (Vector256.Exp) and the scalar one (MathF.Exp) differ in the last
    /// bit, and a sample's result must not depend on where it sits in the batch.
    /// </summary>
    private static void MapRange<TOp>(ReadOnlySpan<float> x, Span<float> y, TOp op)
        where TOp : struct, IUnaryOperator
    {
        ref float px = ref MemoryMarshal.GetReference(x);
        ref float py = ref MemoryMarshal.GetReference(y);
        int i = 0;
        for (; i + Width <= x.Length; i += Width)
        {
            op.Invoke(Vector256.LoadUnsafe(ref px, (nuint)i)).StoreUnsafe(ref py, (nuint)i);
        }

        if (i < x.Length)
        {
            Span<float> tail = stackalloc float[Width];
            tail.Clear();
            x[i..].CopyTo(tail);
            op.Invoke(Vector256.Create<float>(tail)).CopyTo(tail);
            tail[..(x.Length - i)].CopyTo(y[i..]);
        }
    }

    /// <summary>
    /// y[i] = f(x[i], d[i]) for every i: 8 at a time, then the scalar form for the last few. Backward rules
    /// are selects, products and differences, which round the same in both forms, so this tail needs no padding.
    /// </summary>
    private static void MapRange<TOp>(ReadOnlySpan<float> x, ReadOnlySpan<float> d, Span<float> y, TOp op)
        where TOp : struct, IBinaryOperator
    {
        ref float px = ref MemoryMarshal.GetReference(x);
        ref float pd = ref MemoryMarshal.GetReference(d);
        ref float py = ref MemoryMarshal.GetReference(y);
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i + Width <= x.Length; i += Width)
            {
                op.Invoke(Vector256.LoadUnsafe(ref px, (nuint)i), Vector256.LoadUnsafe(ref pd, (nuint)i)).StoreUnsafe(ref py, (nuint)i);
            }
        }

        for (; i < x.Length; i++)
        {
            y[i] = op.Invoke(x[i], d[i]);
        }
    }

    private static void CheckLengths(int x, int d, int y)
    {
        if (d != x || y != x)
        {
            throw new ArgumentException($"The spans differ in length: {x} inputs, {d} gradients, {y} outputs.");
        }
    }
}
