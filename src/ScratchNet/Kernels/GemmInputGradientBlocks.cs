using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ScratchNet.Kernels;

/// <summary>
/// The input gradient D = Δ·W: the loop over blocks of rows and slabs of 16 columns, and the register
/// blocks of 6, 4 and 1 rows × 16 columns (6 × 32 and 6 × 64 on 512-bit vectors, GemmWideBlocks.cs). Every
/// D[r, c] is summed over j in order, whichever block computes it.
/// </summary>
internal static unsafe partial class Gemm
{
    /// <summary>Rows [from, to) of D = Δ·W. (Job: W, Delta = Δ, Output = D.)</summary>
    private static void InputGradientRows(in Job job, int from, int to)
    {
        if (Portable)
        {
            InputGradientRows128(job, from, to);
            return;
        }

        int k = job.K, m = job.M;
        float* w = job.W, delta = job.Delta, d = job.Output;
        int c = 0;
        if (Blocked)
        {
            // Rows outside, column slabs inside: 6 (or 4) rows of Δ stay in L1 while W streams from L2.
            int slabs = k / (2 * Width) * (2 * Width);
            int r = from;
            if (WideBlocks && slabs == 2 * Width)
            {
                r = CombineNarrowRows(delta, w, d, r, to, k, m);   // GemmNarrowBlocks.cs
            }

            // Δ larger than a core's L2 (a convolution's, or its patches when this computes a forward): the next block's
            // 6 rows start coming into L1 while this block runs.
            bool prefetch = (long)job.N * m >= ColumnSplitInputs;
            for (; r + 6 <= to && to - r != 8; r += 6) // 8 rows left go as 4 + 4, not 6 + 1 + 1
            {
                if (prefetch && r + 12 <= to)
                {
                    CachePrefetch.Lines(delta + ((r + 6) * m), 6 * m);
                }

                c = 0;
                for (; WideBlocks && c + (8 * Width) <= slabs; c += 8 * Width)
                {
                    CombineBlock6x64(delta + (r * m), w + c, d + (r * k) + c, k, m);   // GemmWideBlocks.cs
                }

                for (; WideBlocks && c + (4 * Width) <= slabs; c += 4 * Width)
                {
                    CombineBlock6x32(delta + (r * m), w + c, d + (r * k) + c, k, m);   // GemmWideBlocks.cs
                }

                for (; c < slabs; c += 2 * Width)
                {
                    CombineBlock6x16(delta + (r * m), w + c, d + (r * k) + c, k, m);
                }
            }

            for (; r + 4 <= to; r += 4)
            {
                for (c = 0; c < slabs; c += 2 * Width)
                {
                    CombineBlock4x16(delta + (r * m), w + c, d + (r * k) + c, k, m);
                }
            }

            for (; r < to; r++)
            {
                for (c = 0; c < slabs; c += 2 * Width)
                {
                    CombineBlock1x16(delta + (r * m), w + c, d + (r * k) + c, k, m);
                }
            }

            c = slabs;
        }

        for (; c < k; c++)
        {
            for (int r = from; r < to; r++)
            {
                float sum = 0f;
                for (int j = 0; j < m; j++)
                {
                    sum += delta[(r * m) + j] * w[(j * k) + c];
                }

                d[(r * k) + c] = sum;
            }
        }
    }

    /// <summary>D[r..r+6, c..c+16] = Σⱼ Δ[r..r+6, j] ⊗ W[j, c..c+16]: 12 accumulators, 2 loads and 6 broadcasts per 12 multiply-adds.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)] // its own method, so its 12 accumulators stay in registers
    private static void CombineBlock6x16(float* delta, float* w, float* d, int k, int m)
    {
        Vector256<float> d00 = default, d01 = default, d10 = default, d11 = default, d20 = default, d21 = default;
        Vector256<float> d30 = default, d31 = default, d40 = default, d41 = default, d50 = default, d51 = default;
        for (int j = 0; j < m; j++)
        {
            float* row = w + (j * k);
            Vector256<float> x0 = Vector256.Load(row);
            Vector256<float> x1 = Vector256.Load(row + Width);
            Vector256<float> e = Vector256.Create(delta[j]);
            d00 = Fma.MultiplyAdd(e, x0, d00);
            d01 = Fma.MultiplyAdd(e, x1, d01);
            e = Vector256.Create(delta[m + j]);
            d10 = Fma.MultiplyAdd(e, x0, d10);
            d11 = Fma.MultiplyAdd(e, x1, d11);
            e = Vector256.Create(delta[(2 * m) + j]);
            d20 = Fma.MultiplyAdd(e, x0, d20);
            d21 = Fma.MultiplyAdd(e, x1, d21);
            e = Vector256.Create(delta[(3 * m) + j]);
            d30 = Fma.MultiplyAdd(e, x0, d30);
            d31 = Fma.MultiplyAdd(e, x1, d31);
            e = Vector256.Create(delta[(4 * m) + j]);
            d40 = Fma.MultiplyAdd(e, x0, d40);
            d41 = Fma.MultiplyAdd(e, x1, d41);
            e = Vector256.Create(delta[(5 * m) + j]);
            d50 = Fma.MultiplyAdd(e, x0, d50);
            d51 = Fma.MultiplyAdd(e, x1, d51);
        }

        d00.Store(d);
        d01.Store(d + Width);
        d10.Store(d + k);
        d11.Store(d + k + Width);
        d20.Store(d + (2 * k));
        d21.Store(d + (2 * k) + Width);
        d30.Store(d + (3 * k));
        d31.Store(d + (3 * k) + Width);
        d40.Store(d + (4 * k));
        d41.Store(d + (4 * k) + Width);
        d50.Store(d + (5 * k));
        d51.Store(d + (5 * k) + Width);
    }

    /// <summary>D[r..r+4, c..c+16] = Σⱼ Δ[r..r+4, j] ⊗ W[j, c..c+16].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CombineBlock4x16(float* delta, float* w, float* d, int k, int m)
    {
        Vector256<float> d00 = default, d01 = default, d10 = default, d11 = default;
        Vector256<float> d20 = default, d21 = default, d30 = default, d31 = default;
        for (int j = 0; j < m; j++)
        {
            float* row = w + (j * k);
            Vector256<float> x0 = Vector256.Load(row);
            Vector256<float> x1 = Vector256.Load(row + Width);
            Vector256<float> e0 = Vector256.Create(delta[j]);
            Vector256<float> e1 = Vector256.Create(delta[m + j]);
            Vector256<float> e2 = Vector256.Create(delta[(2 * m) + j]);
            Vector256<float> e3 = Vector256.Create(delta[(3 * m) + j]);
            d00 = Fma.MultiplyAdd(e0, x0, d00);
            d01 = Fma.MultiplyAdd(e0, x1, d01);
            d10 = Fma.MultiplyAdd(e1, x0, d10);
            d11 = Fma.MultiplyAdd(e1, x1, d11);
            d20 = Fma.MultiplyAdd(e2, x0, d20);
            d21 = Fma.MultiplyAdd(e2, x1, d21);
            d30 = Fma.MultiplyAdd(e3, x0, d30);
            d31 = Fma.MultiplyAdd(e3, x1, d31);
        }

        d00.Store(d);
        d01.Store(d + Width);
        d10.Store(d + k);
        d11.Store(d + k + Width);
        d20.Store(d + (2 * k));
        d21.Store(d + (2 * k) + Width);
        d30.Store(d + (3 * k));
        d31.Store(d + (3 * k) + Width);
    }

    /// <summary>D[r, c..c+16] = Σⱼ Δ[r, j]·W[j, c..c+16], for the rows left over after blocks of 4 (same order of sums).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CombineBlock1x16(float* delta, float* w, float* d, int k, int m)
    {
        Vector256<float> d0 = default, d1 = default;
        for (int j = 0; j < m; j++)
        {
            float* row = w + (j * k);
            Vector256<float> e = Vector256.Create(delta[j]);
            d0 = Fma.MultiplyAdd(e, Vector256.Load(row), d0);
            d1 = Fma.MultiplyAdd(e, Vector256.Load(row + Width), d1);
        }

        d0.Store(d);
        d1.Store(d + Width);
    }
}
