using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ScratchNet.Kernels;

/// <summary>
/// The three matrix products a dense layer needs, on row-major spans, without materialising a
/// transpose. A is n×k (a minibatch of n rows), W is m×k (one row per output neuron), Δ is n×m.
/// Each has a scalar twin in <see cref="ReferenceKernels"/> that the tests compare it with.
/// </summary>
/// <remarks>
/// The kernels are register-blocked: each pass of the inner loop loads a few vectors of two operands
/// and does every multiply-add between them, so the FMA units, not the loads, set the pace. The order
/// in which each output sums its terms depends only on the shapes, never on timing or threads, so the
/// same inputs give the same bits.
/// </remarks>
internal static class Gemm
{
    private const int Width = 8; // floats per Vector256

    /// <summary>Forward: Z = A·Wᵀ + b, that is Z[r, j] = b[j] + Σₖ W[j, k]·A[r, k].</summary>
    public static void MultiplyTransposedAddBias(ReadOnlySpan<float> a, ReadOnlySpan<float> w, ReadOnlySpan<float> b, Span<float> z, int n, int k, int m)
    {
        CheckLengths(a.Length, n * k, w.Length, m * k, z.Length, n * m);
        if (b.Length < m)
        {
            throw new ArgumentException($"The bias has {b.Length} values for {m} outputs.");
        }

        ref float pa = ref MemoryMarshal.GetReference(a);
        ref float pw = ref MemoryMarshal.GetReference(w);
        ref float pz = ref MemoryMarshal.GetReference(z);
        int r = 0;
        if (Vector256.IsHardwareAccelerated && Fma.IsSupported)
        {
            for (; r + 2 <= n; r += 2)
            {
                int j = 0;
                for (; j + 4 <= m; j += 4)
                {
                    DotBlock2x4(ref Unsafe.Add(ref pa, r * k), ref Unsafe.Add(ref pw, j * k), k, ref Unsafe.Add(ref pz, (r * m) + j), m);
                }

                for (; j < m; j++)
                {
                    Unsafe.Add(ref pz, (r * m) + j) = VectorMath.Dot(w.Slice(j * k, k), a.Slice(r * k, k));
                    Unsafe.Add(ref pz, ((r + 1) * m) + j) = VectorMath.Dot(w.Slice(j * k, k), a.Slice((r + 1) * k, k));
                }
            }
        }

        for (; r < n; r++)
        {
            for (int j = 0; j < m; j++)
            {
                Unsafe.Add(ref pz, (r * m) + j) = VectorMath.Dot(w.Slice(j * k, k), a.Slice(r * k, k));
            }
        }

        for (r = 0; r < n; r++)
        {
            VectorMath.Axpy(1f, b[..m], z.Slice(r * m, m));
        }
    }

    /// <summary>Weight gradient: G = Δᵀ·A, that is G[j, k] = Σᵣ Δ[r, j]·A[r, k] (overwrites G).</summary>
    public static void TransposedMultiply(ReadOnlySpan<float> delta, ReadOnlySpan<float> a, Span<float> g, int n, int k, int m)
    {
        CheckLengths(delta.Length, n * m, a.Length, n * k, g.Length, m * k);
        ref float pd = ref MemoryMarshal.GetReference(delta);
        ref float pa = ref MemoryMarshal.GetReference(a);
        ref float pg = ref MemoryMarshal.GetReference(g);
        int c = 0;
        if (Vector256.IsHardwareAccelerated && Fma.IsSupported)
        {
            // Columns of G in slabs of two vectors; each slab of A is read once per group of 4 neurons.
            for (; c + (2 * Width) <= k; c += 2 * Width)
            {
                int j = 0;
                for (; j + 4 <= m; j += 4)
                {
                    OuterBlock4x16(ref pd, ref Unsafe.Add(ref pa, c), ref Unsafe.Add(ref pg, (j * k) + c), n, k, m, j);
                }

                for (; j < m; j++)
                {
                    OuterBlock1x16(ref pd, ref Unsafe.Add(ref pa, c), ref Unsafe.Add(ref pg, (j * k) + c), n, k, m, j);
                }
            }
        }

        // The remaining columns (fewer than 16), one at a time.
        for (; c < k; c++)
        {
            for (int j = 0; j < m; j++)
            {
                float sum = 0f;
                for (int r = 0; r < n; r++)
                {
                    sum += Unsafe.Add(ref pd, (r * m) + j) * Unsafe.Add(ref pa, (r * k) + c);
                }

                Unsafe.Add(ref pg, (j * k) + c) = sum;
            }
        }
    }

    /// <summary>Input gradient: D = Δ·W, that is D[r, k] = Σⱼ Δ[r, j]·W[j, k] (overwrites D).</summary>
    public static void Multiply(ReadOnlySpan<float> delta, ReadOnlySpan<float> w, Span<float> d, int n, int k, int m)
    {
        CheckLengths(delta.Length, n * m, w.Length, m * k, d.Length, n * k);
        d[..(n * k)].Clear();
        for (int r = 0; r < n; r++)
        {
            Span<float> dRow = d.Slice(r * k, k);
            for (int j = 0; j < m; j++)
            {
                VectorMath.Axpy(delta[(r * m) + j], w.Slice(j * k, k), dRow);
            }
        }
    }

    /// <summary>Z[0..2, 0..4] = dot products of 2 rows of A with 4 rows of W (bias added by the caller).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void DotBlock2x4(ref float a, ref float w, int k, ref float z, int m)
    {
        Vector256<float> s00 = default, s01 = default, s02 = default, s03 = default;
        Vector256<float> s10 = default, s11 = default, s12 = default, s13 = default;
        ref float a1 = ref Unsafe.Add(ref a, k);
        ref float w1 = ref Unsafe.Add(ref w, k);
        ref float w2 = ref Unsafe.Add(ref w, 2 * k);
        ref float w3 = ref Unsafe.Add(ref w, 3 * k);
        int i = 0;
        for (; i + Width <= k; i += Width)
        {
            Vector256<float> x0 = Vector256.LoadUnsafe(ref a, (nuint)i);
            Vector256<float> x1 = Vector256.LoadUnsafe(ref a1, (nuint)i);
            Vector256<float> v = Vector256.LoadUnsafe(ref w, (nuint)i);
            s00 = Fma.MultiplyAdd(x0, v, s00);
            s10 = Fma.MultiplyAdd(x1, v, s10);
            v = Vector256.LoadUnsafe(ref w1, (nuint)i);
            s01 = Fma.MultiplyAdd(x0, v, s01);
            s11 = Fma.MultiplyAdd(x1, v, s11);
            v = Vector256.LoadUnsafe(ref w2, (nuint)i);
            s02 = Fma.MultiplyAdd(x0, v, s02);
            s12 = Fma.MultiplyAdd(x1, v, s12);
            v = Vector256.LoadUnsafe(ref w3, (nuint)i);
            s03 = Fma.MultiplyAdd(x0, v, s03);
            s13 = Fma.MultiplyAdd(x1, v, s13);
        }

        float t00 = Vector256.Sum(s00), t01 = Vector256.Sum(s01), t02 = Vector256.Sum(s02), t03 = Vector256.Sum(s03);
        float t10 = Vector256.Sum(s10), t11 = Vector256.Sum(s11), t12 = Vector256.Sum(s12), t13 = Vector256.Sum(s13);
        for (; i < k; i++)
        {
            float x0 = Unsafe.Add(ref a, i), x1 = Unsafe.Add(ref a1, i);
            t00 += x0 * Unsafe.Add(ref w, i);
            t01 += x0 * Unsafe.Add(ref w1, i);
            t02 += x0 * Unsafe.Add(ref w2, i);
            t03 += x0 * Unsafe.Add(ref w3, i);
            t10 += x1 * Unsafe.Add(ref w, i);
            t11 += x1 * Unsafe.Add(ref w1, i);
            t12 += x1 * Unsafe.Add(ref w2, i);
            t13 += x1 * Unsafe.Add(ref w3, i);
        }

        Unsafe.Add(ref z, 0) = t00;
        Unsafe.Add(ref z, 1) = t01;
        Unsafe.Add(ref z, 2) = t02;
        Unsafe.Add(ref z, 3) = t03;
        Unsafe.Add(ref z, m) = t10;
        Unsafe.Add(ref z, m + 1) = t11;
        Unsafe.Add(ref z, m + 2) = t12;
        Unsafe.Add(ref z, m + 3) = t13;
    }

    /// <summary>G[j..j+4, c..c+16] = Σᵣ Δ[r, j..j+4] ⊗ A[r, c..c+16]: 8 accumulators, 2 loads and 4 broadcasts per row.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void OuterBlock4x16(ref float delta, ref float a, ref float g, int n, int k, int m, int j)
    {
        Vector256<float> g00 = default, g01 = default, g10 = default, g11 = default;
        Vector256<float> g20 = default, g21 = default, g30 = default, g31 = default;
        for (int r = 0; r < n; r++)
        {
            ref float row = ref Unsafe.Add(ref a, r * k);
            Vector256<float> x0 = Vector256.LoadUnsafe(ref row);
            Vector256<float> x1 = Vector256.LoadUnsafe(ref row, Width);
            ref float d = ref Unsafe.Add(ref delta, (r * m) + j);
            Vector256<float> d0 = Vector256.Create(d);
            Vector256<float> d1 = Vector256.Create(Unsafe.Add(ref d, 1));
            Vector256<float> d2 = Vector256.Create(Unsafe.Add(ref d, 2));
            Vector256<float> d3 = Vector256.Create(Unsafe.Add(ref d, 3));
            g00 = Fma.MultiplyAdd(d0, x0, g00);
            g01 = Fma.MultiplyAdd(d0, x1, g01);
            g10 = Fma.MultiplyAdd(d1, x0, g10);
            g11 = Fma.MultiplyAdd(d1, x1, g11);
            g20 = Fma.MultiplyAdd(d2, x0, g20);
            g21 = Fma.MultiplyAdd(d2, x1, g21);
            g30 = Fma.MultiplyAdd(d3, x0, g30);
            g31 = Fma.MultiplyAdd(d3, x1, g31);
        }

        g00.StoreUnsafe(ref g);
        g01.StoreUnsafe(ref g, Width);
        g10.StoreUnsafe(ref g, (nuint)k);
        g11.StoreUnsafe(ref g, (nuint)(k + Width));
        g20.StoreUnsafe(ref g, (nuint)(2 * k));
        g21.StoreUnsafe(ref g, (nuint)((2 * k) + Width));
        g30.StoreUnsafe(ref g, (nuint)(3 * k));
        g31.StoreUnsafe(ref g, (nuint)((3 * k) + Width));
    }

    /// <summary>G[j, c..c+16] = Σᵣ Δ[r, j]·A[r, c..c+16], for the neurons left over after blocks of 4.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void OuterBlock1x16(ref float delta, ref float a, ref float g, int n, int k, int m, int j)
    {
        Vector256<float> g0 = default, g1 = default;
        for (int r = 0; r < n; r++)
        {
            ref float row = ref Unsafe.Add(ref a, r * k);
            Vector256<float> d = Vector256.Create(Unsafe.Add(ref delta, (r * m) + j));
            g0 = Fma.MultiplyAdd(d, Vector256.LoadUnsafe(ref row), g0);
            g1 = Fma.MultiplyAdd(d, Vector256.LoadUnsafe(ref row, Width), g1);
        }

        g0.StoreUnsafe(ref g);
        g1.StoreUnsafe(ref g, Width);
    }

    private static void CheckLengths(int first, int firstNeeded, int second, int secondNeeded, int output, int outputNeeded)
    {
        if (first < firstNeeded || second < secondNeeded || output < outputNeeded)
        {
            throw new ArgumentException($"A matrix is too short for the shapes given: inputs hold {first} and {second} values (need {firstNeeded} and {secondNeeded}), the output {output} (needs {outputNeeded}).");
        }
    }
}
