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

/// <summary>The drivers that run an element-wise rule over a span, 8 values at a time.</summary>
internal static class ElementwiseKernels
{
    private const int Width = 8;

    /// <summary>
    /// y[i] = f(x[i]) for every i, every value through the vector form, the tail too (padded with zeros
    /// to a whole vector): the vector σ (Vector256.Exp) and the scalar one (MathF.Exp) differ in the last
    /// bit, and a sample's result must not depend on where it sits in the batch.
    /// </summary>
    public static void Map<TOp>(ReadOnlySpan<float> x, Span<float> y, TOp op = default)
        where TOp : struct, IUnaryOperator
    {
        CheckLengths(x.Length, x.Length, y.Length);
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
    public static void Map<TOp>(ReadOnlySpan<float> x, ReadOnlySpan<float> d, Span<float> y, TOp op = default)
        where TOp : struct, IBinaryOperator
    {
        CheckLengths(x.Length, d.Length, y.Length);
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
