using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ScratchNet.Kernels;

/// <summary>
/// SIMD building blocks: dot product and axpy on spans of floats. Each has a scalar twin in
/// <see cref="ReferenceKernels"/> that the tests compare it with. The summation order is fixed, so the
/// same inputs always give the same bits.
/// </summary>
internal static class VectorMath
{
    /// <summary>Σᵢ x[i]·y[i].</summary>
    public static float Dot(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        if (x.Length != y.Length)
        {
            ThrowLengthMismatch(x.Length, y.Length);
        }

        ref float px = ref MemoryMarshal.GetReference(x);
        ref float py = ref MemoryMarshal.GetReference(y);
        int length = x.Length;
        int i = 0;
        float sum = 0f;
        if (Vector256.IsHardwareAccelerated)
        {
            // One accumulator, lanes summed at the end, then the tail: the same order as the blocked
            // kernels in Gemm, so a dot product gives the same bits whichever kernel computes it.
            Vector256<float> acc = Vector256<float>.Zero;
            for (; i <= length - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                acc = MultiplyAdd(Vector256.LoadUnsafe(ref px, (nuint)i), Vector256.LoadUnsafe(ref py, (nuint)i), acc);
            }

            sum = Vector256.Sum(acc);
        }

        for (; i < length; i++)
        {
            sum += Unsafe.Add(ref px, i) * Unsafe.Add(ref py, i);
        }

        return sum;
    }

    /// <summary>
    /// The index of the first NaN or infinity in <paramref name="x"/>, or −1 if every value is finite.
    /// x·0 is ±0 for a finite x and NaN otherwise, and NaN survives every addition, so the vector loop only
    /// accumulates x·0 with fused multiply-adds, with no comparison or branch per block (a seed step's
    /// 13,002 gradients in about 0.5 µs here, MNIST's 47 million pixels in 15 ms); only when the sum is not
    /// finite is the first bad value searched one at a time.
    /// </summary>
    public static int IndexOfNonFinite(ReadOnlySpan<float> x) => IndexOfNonFinite(x, out _);

    /// <summary>
    /// As <see cref="IndexOfNonFinite(ReadOnlySpan{float})"/>, and whether every value is ±0 (a gradient
    /// that moves nothing), from the same pass: the values' bits without the sign are OR-ed together.
    /// </summary>
    public static int IndexOfNonFinite(ReadOnlySpan<float> x, out bool allZero)
    {
        ref float px = ref MemoryMarshal.GetReference(x);
        int length = x.Length;
        int i = 0;
        uint bits = 0;
        bool finite = true;
        if (Vector512.IsHardwareAccelerated && length >= 4 * Vector512<float>.Count)
        {
            // The same on 512-bit vectors, where they are fast; the 256-bit loop takes what is left.
            Vector512<float> zero = Vector512<float>.Zero;
            Vector512<float> nan0 = zero, nan1 = zero, nan2 = zero, nan3 = zero;
            Vector512<uint> or0 = Vector512<uint>.Zero, or1 = Vector512<uint>.Zero;
            for (; i <= length - (4 * Vector512<float>.Count); i += 4 * Vector512<float>.Count)
            {
                Vector512<float> a = Vector512.LoadUnsafe(ref px, (nuint)i);
                Vector512<float> b = Vector512.LoadUnsafe(ref px, (nuint)(i + 16));
                Vector512<float> c = Vector512.LoadUnsafe(ref px, (nuint)(i + 32));
                Vector512<float> d = Vector512.LoadUnsafe(ref px, (nuint)(i + 48));
                nan0 = Vector512.FusedMultiplyAdd(a, zero, nan0);
                nan1 = Vector512.FusedMultiplyAdd(b, zero, nan1);
                nan2 = Vector512.FusedMultiplyAdd(c, zero, nan2);
                nan3 = Vector512.FusedMultiplyAdd(d, zero, nan3);
                or0 |= a.AsUInt32() | c.AsUInt32();
                or1 |= b.AsUInt32() | d.AsUInt32();
            }

            finite = Vector512.EqualsAll((nan0 + nan1) + (nan2 + nan3), zero);
            bits = Vector512.EqualsAll((or0 | or1) & Vector512.Create(0x7FFF_FFFFu), Vector512<uint>.Zero) ? 0u : 1u;
        }

        if (finite && Vector256.IsHardwareAccelerated && length - i >= 4 * Vector256<float>.Count)
        {
            // x·0 is ±0 for a finite x and NaN otherwise: one FMA per vector, four chains so none waits.
            Vector256<float> zero = Vector256<float>.Zero;
            Vector256<float> nan0 = zero, nan1 = zero, nan2 = zero, nan3 = zero;
            Vector256<uint> or0 = Vector256<uint>.Zero, or1 = Vector256<uint>.Zero;
            for (; i <= length - (4 * Vector256<float>.Count); i += 4 * Vector256<float>.Count)
            {
                Vector256<float> a = Vector256.LoadUnsafe(ref px, (nuint)i);
                Vector256<float> b = Vector256.LoadUnsafe(ref px, (nuint)(i + 8));
                Vector256<float> c = Vector256.LoadUnsafe(ref px, (nuint)(i + 16));
                Vector256<float> d = Vector256.LoadUnsafe(ref px, (nuint)(i + 24));
                nan0 = MultiplyAdd(a, zero, nan0);
                nan1 = MultiplyAdd(b, zero, nan1);
                nan2 = MultiplyAdd(c, zero, nan2);
                nan3 = MultiplyAdd(d, zero, nan3);
                or0 |= a.AsUInt32() | c.AsUInt32();
                or1 |= b.AsUInt32() | d.AsUInt32();
            }

            Vector256<float> nan = (nan0 + nan1) + (nan2 + nan3);
            finite = Vector256.EqualsAll(nan, zero);
            bits |= Vector256.EqualsAll((or0 | or1) & Vector256.Create(0x7FFF_FFFFu), Vector256<uint>.Zero) ? 0u : 1u;
        }

        if (!finite)
        {
            i = 0;   // search the whole span for the first bad value
        }

        for (; i < length; i++)
        {
            float value = Unsafe.Add(ref px, i);
            if (!float.IsFinite(value))
            {
                allZero = false;
                return i;
            }

            bits |= BitConverter.SingleToUInt32Bits(value) & 0x7FFF_FFFFu;
        }

        allZero = bits == 0;
        return -1;
    }

    /// <summary>y[i] += α·x[i] for every i (<see cref="ScaleAxpy"/> with s = 1, which scales nothing: 1·y = y exactly).</summary>
    public static void Axpy(float alpha, ReadOnlySpan<float> x, Span<float> y) => ScaleAxpy(1f, alpha, x, y);

    /// <summary>
    /// y ← α·x + s·y in one pass: s·y rounded first, then α·x added with one rounding (a fused
    /// multiply-add; the scalar tail rounds the product too). A plain gradient step with weight decay
    /// reads and writes the weights once this way instead of twice.
    /// </summary>
    public static void ScaleAxpy(float s, float alpha, ReadOnlySpan<float> x, Span<float> y)
    {
        if (x.Length != y.Length)
        {
            ThrowLengthMismatch(x.Length, y.Length);
        }

        ref float px = ref MemoryMarshal.GetReference(x);
        ref float py = ref MemoryMarshal.GetReference(y);
        int length = x.Length;
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            // 16 at a time where 512-bit vectors are fast; the same fused multiply-add per value, and the
            // same values left for the 256-bit loop and the scalar tail, so the same bits.
            Vector512<float> a = Vector512.Create(alpha);
            Vector512<float> scale = Vector512.Create(s);
            for (; i <= length - Vector512<float>.Count; i += Vector512<float>.Count)
            {
                Vector512.FusedMultiplyAdd(a, Vector512.LoadUnsafe(ref px, (nuint)i), scale * Vector512.LoadUnsafe(ref py, (nuint)i))
                    .StoreUnsafe(ref py, (nuint)i);
            }
        }

        if (Vector256.IsHardwareAccelerated)
        {
            Vector256<float> a = Vector256.Create(alpha);
            Vector256<float> scale = Vector256.Create(s);
            for (; i <= length - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                MultiplyAdd(a, Vector256.LoadUnsafe(ref px, (nuint)i), scale * Vector256.LoadUnsafe(ref py, (nuint)i))
                    .StoreUnsafe(ref py, (nuint)i);
            }
        }

        for (; i < length; i++)
        {
            float scaled = s * Unsafe.Add(ref py, i);
            Unsafe.Add(ref py, i) = scaled + (alpha * Unsafe.Add(ref px, i));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> MultiplyAdd(Vector256<float> a, Vector256<float> b, Vector256<float> c) =>
        Fma.IsSupported ? Fma.MultiplyAdd(a, b, c) : (a * b) + c;

    private static void ThrowLengthMismatch(int x, int y) =>
        throw new ArgumentException($"The spans differ in length: {x} and {y}.");
}
