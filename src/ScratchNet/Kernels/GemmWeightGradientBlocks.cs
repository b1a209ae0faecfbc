using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ScratchNet.Kernels;

/// <summary>
/// The weight gradient G = Δᵀ·A: the loop that tiles it into slabs of 16 columns and blocks of rows, and
/// the register blocks of 6, 4 and 1 neurons × 16 columns. Each block continues the sums the previous
/// block of rows left in G, so every G[j, c] is summed over r in order, whichever block computes it.
/// </summary>
/// <remarks>
/// A slab whose 16 columns are 0 in every row of a block is skipped: each of its rows would add Δ·0 = ±0
/// to sums that start at +0 and only add products, so are never −0, and adding ±0 leaves them as they were.
/// The first layer of a network on MNIST digits meets many: the first and last four rows of pixels (7 slabs
/// each of the 49) are blank in nearly every digit. As with the forward product's skips (GemmForwardSkips.cs),
/// the one difference would be a non-finite Δ times 0, and the trainer refuses non-finite gradients before
/// they reach the weights.
/// </remarks>
internal static unsafe partial class Gemm
{
    /// <summary>
    /// Rows of A per block of the weight gradient: 128, so that what one group of 6 neurons reads for one
    /// slab of 16 columns (128 rows of A's slab and of Δ, ≈ 16 KB) stays in L1. Measured at the ConvNet's
    /// shapes on one core: 62 → 71 GFLOP/s for conv2, 62 → 66 for conv3, against blocks of 256 rows.
    /// </summary>
    private const int RowBlock = 128;

    /// <summary>
    /// Neurons [from, to) of G = Δᵀ·A. (Job: A, Delta = Δ, Output = G, Unchecked.) The register blocks of the last block
    /// of rows also add up the sums they store, still in registers, into a probe (FiniteProbe) that is NaN when one of
    /// them is infinite or NaN; then, or when a sum was left unchecked, *Unchecked is set to 1. Otherwise the training
    /// guard need not read G again (see TransposedMultiply).
    /// </summary>
    private static void WeightGradientNeurons(in Job job, int from, int to)
    {
        if (Portable)
        {
            WeightGradientNeurons128(job, from, to);
            return; // *Unchecked was set to 1 before: the 128-bit path checks nothing
        }

        WeightGradientBlock(job, from, to, 0, job.K);
    }

    /// <summary>
    /// Half-slabs [from, to) of G = Δᵀ·A: half-slab 2s is columns [32s, 32s + 32) (the last slab may be narrower) for the
    /// first half of the neurons (rounded up to a group of 8), half-slab 2s + 1 the same columns for the rest. A range's
    /// whole slabs go in one call, a half at either end in its own. (Job as for <see cref="WeightGradientNeurons"/>; not
    /// on the 128-bit path.)
    /// </summary>
    private static void WeightGradientHalfSlabs(in Job job, int from, int to)
    {
        int m = job.M, half = Math.Min(m, ((m / 2) + 7) / 8 * 8);
        int h = from;
        if (h % 2 == 1)
        {
            WeightGradientBlock(job, half, m, SlabStart(job, h / 2), SlabStart(job, (h / 2) + 1));
            h++;
        }

        int wholeEnd = h + ((to - h) / 2 * 2);
        if (wholeEnd > h)
        {
            WeightGradientBlock(job, 0, m, SlabStart(job, h / 2), SlabStart(job, wholeEnd / 2));
        }

        if (wholeEnd < to)
        {
            WeightGradientBlock(job, 0, half, SlabStart(job, wholeEnd / 2), SlabStart(job, (wholeEnd / 2) + 1));
        }
    }

    /// <summary>The first column of 32-column slab <paramref name="slab"/>, at most k.</summary>
    private static int SlabStart(in Job job, int slab) => Math.Min(job.K, slab * 2 * WideWidth);

    /// <summary>Neurons [from, to) × columns [columnFrom, columnTo) of G = Δᵀ·A, on 256- and 512-bit vectors.</summary>
    private static void WeightGradientBlock(in Job job, int from, int to, int columnFrom, int columnTo)
    {
        int n = job.N, k = job.K, m = job.M;
        float* a = job.A, delta = job.Delta, g = job.Output;
        Vector256<float> narrow = Vector256<float>.Zero; // the blocks' probes (FiniteProbe): ±0 while every sum stored is finite
        Vector512<float> wide = Vector512<float>.Zero;
        bool verified = true;
        bool prefetch = (long)n * k >= ColumnSplitInputs;
        int c = 0;
        if (Blocked)
        {
            // Columns of G in slabs of two vectors, rows of A in blocks that stay in cache while every group
            // of 6 (or 4) neurons reads them. Each block continues the sums the previous one left in G, so the
            // order of the multiply-adds is the same as without blocking.
            int slabs = Math.Min(columnTo, k / (2 * Width) * (2 * Width));
            for (int r0 = 0; r0 < n; r0 += RowBlock)
            {
                int rows = Math.Min(RowBlock, n - r0);
                bool first = r0 == 0, last = r0 + rows == n;
                float* aBlock = a + (r0 * k);
                float* dBlock = delta + (r0 * m);
                for (c = columnFrom; c < slabs; c += 2 * Width)
                {
                    if (WideBlocks && c + (4 * Width) <= slabs && !HalfOfWideSlabIsZero(aBlock + c, rows, k))
                    {
                        // When A is larger than a core's L2: while these 32 columns are summed, the rows of the next
                        // ones start coming into L1 (the next 32 columns of this block, or this range's first of the
                        // next block of rows). A smaller A (a dense layer's batch) is in L2 already.
                        if (prefetch && c + (8 * Width) <= Math.Min(slabs, columnTo))
                        {
                            CachePrefetch.Strided(aBlock + c + (4 * Width), rows, k, 4 * Width);
                        }
                        else if (prefetch && !last)
                        {
                            CachePrefetch.Strided(aBlock + (rows * k) + columnFrom, Math.Min(RowBlock, n - r0 - rows), k, 4 * Width);
                        }

                        wide += WideSlab(dBlock, aBlock + c, g + c, rows, k, m, from, to, first, last);
                        c += 2 * Width;
                        continue;
                    }

                    if (SlabIsZero(aBlock + c, rows, k))
                    {
                        // Every row adds Δ·0 = ±0, which changes no sum (see the remarks): the block's rows are
                        // skipped, and a first block writes the zeros its sums would have been.
                        for (int j0 = from; first && j0 < to; j0++)
                        {
                            Vector256<float>.Zero.Store(g + (j0 * k) + c);
                            Vector256<float>.Zero.Store(g + (j0 * k) + c + Width);
                        }

                        verified &= first || !last; // a later block leaves the sums as they were, unchecked: the guard reads them
                        continue;
                    }

                    int j = from;
                    for (; j + 6 <= to && to - j != 8; j += 6) // 8 neurons left go as 4 + 4, not 6 + 1 + 1
                    {
                        narrow += OuterBlock6x16(dBlock + j, aBlock + c, g + (j * k) + c, rows, k, m, first, last);
                    }

                    for (; j + 4 <= to; j += 4)
                    {
                        narrow += OuterBlock4x16(dBlock + j, aBlock + c, g + (j * k) + c, rows, k, m, first, last);
                    }

                    for (; j < to; j++)
                    {
                        narrow += OuterBlock1x16(dBlock + j, aBlock + c, g + (j * k) + c, rows, k, m, first, last);
                    }
                }
            }

            c = Math.Max(columnFrom, slabs);
        }

        // The remaining columns (fewer than 16), one at a time.
        for (c = Math.Max(c, columnFrom); c < columnTo; c++)
        {
            for (int j = from; j < to; j++)
            {
                float sum = 0f;
                for (int r = 0; r < n; r++)
                {
                    sum += delta[(r * m) + j] * a[(r * k) + c];
                }

                g[(j * k) + c] = sum;
                verified &= float.IsFinite(sum);
            }
        }

        if (!verified || !Vector256.EqualsAll(narrow, Vector256<float>.Zero) || !Vector512.EqualsAll(wide, Vector512<float>.Zero))
        {
            *job.Unchecked = 1;
        }
    }

    /// <summary>True when the 16 floats from <paramref name="a"/> are ±0 in each of <paramref name="rows"/> rows, k floats apart.</summary>
    private static bool SlabIsZero(float* a, int rows, int k)
    {
        for (int r = 0; r < rows; r++)
        {
            if (!IsZero(Vector256.Load(a + (r * k)) | Vector256.Load(a + (r * k) + Width)))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>G[j..j+6, c..c+16] (+)= Σᵣ Δ[r, j..j+6] ⊗ A[r, c..c+16]: 12 accumulators, 2 loads and 6 broadcasts per row.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)] // its own method, so its 12 accumulators stay in registers
    private static Vector256<float> OuterBlock6x16(float* delta, float* a, float* g, int n, int k, int m, bool first, bool check)
    {
        Vector256<float> g00 = default, g01 = default, g10 = default, g11 = default, g20 = default, g21 = default;
        Vector256<float> g30 = default, g31 = default, g40 = default, g41 = default, g50 = default, g51 = default;
        if (!first)
        {
            g00 = Vector256.Load(g);
            g01 = Vector256.Load(g + Width);
            g10 = Vector256.Load(g + k);
            g11 = Vector256.Load(g + k + Width);
            g20 = Vector256.Load(g + (2 * k));
            g21 = Vector256.Load(g + (2 * k) + Width);
            g30 = Vector256.Load(g + (3 * k));
            g31 = Vector256.Load(g + (3 * k) + Width);
            g40 = Vector256.Load(g + (4 * k));
            g41 = Vector256.Load(g + (4 * k) + Width);
            g50 = Vector256.Load(g + (5 * k));
            g51 = Vector256.Load(g + (5 * k) + Width);
        }

        for (int r = 0; r < n; r++)
        {
            float* row = a + (r * k);
            Vector256<float> x0 = Vector256.Load(row);
            Vector256<float> x1 = Vector256.Load(row + Width);
            float* d = delta + (r * m);
            Vector256<float> e = Vector256.Create(d[0]);
            g00 = Fma.MultiplyAdd(e, x0, g00);
            g01 = Fma.MultiplyAdd(e, x1, g01);
            e = Vector256.Create(d[1]);
            g10 = Fma.MultiplyAdd(e, x0, g10);
            g11 = Fma.MultiplyAdd(e, x1, g11);
            e = Vector256.Create(d[2]);
            g20 = Fma.MultiplyAdd(e, x0, g20);
            g21 = Fma.MultiplyAdd(e, x1, g21);
            e = Vector256.Create(d[3]);
            g30 = Fma.MultiplyAdd(e, x0, g30);
            g31 = Fma.MultiplyAdd(e, x1, g31);
            e = Vector256.Create(d[4]);
            g40 = Fma.MultiplyAdd(e, x0, g40);
            g41 = Fma.MultiplyAdd(e, x1, g41);
            e = Vector256.Create(d[5]);
            g50 = Fma.MultiplyAdd(e, x0, g50);
            g51 = Fma.MultiplyAdd(e, x1, g51);
        }

        g00.Store(g);
        g01.Store(g + Width);
        g10.Store(g + k);
        g11.Store(g + k + Width);
        g20.Store(g + (2 * k));
        g21.Store(g + (2 * k) + Width);
        g30.Store(g + (3 * k));
        g31.Store(g + (3 * k) + Width);
        g40.Store(g + (4 * k));
        g41.Store(g + (4 * k) + Width);
        g50.Store(g + (5 * k));
        g51.Store(g + (5 * k) + Width);
        return check ? FiniteProbe(((g00 + g01) + (g10 + g11)) + ((g20 + g21) + ((g30 + g31) + ((g40 + g41) + (g50 + g51))))) : default;
    }

    /// <summary>G[j..j+4, c..c+16] = Σᵣ Δ[r, j..j+4] ⊗ A[r, c..c+16]: 8 accumulators, 2 loads and 4 broadcasts per row.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> OuterBlock4x16(float* delta, float* a, float* g, int n, int k, int m, bool first, bool check)
    {
        Vector256<float> g00 = default, g01 = default, g10 = default, g11 = default;
        Vector256<float> g20 = default, g21 = default, g30 = default, g31 = default;
        if (!first)
        {
            g00 = Vector256.Load(g);
            g01 = Vector256.Load(g + Width);
            g10 = Vector256.Load(g + k);
            g11 = Vector256.Load(g + k + Width);
            g20 = Vector256.Load(g + (2 * k));
            g21 = Vector256.Load(g + (2 * k) + Width);
            g30 = Vector256.Load(g + (3 * k));
            g31 = Vector256.Load(g + (3 * k) + Width);
        }

        for (int r = 0; r < n; r++)
        {
            float* row = a + (r * k);
            Vector256<float> x0 = Vector256.Load(row);
            Vector256<float> x1 = Vector256.Load(row + Width);
            float* d = delta + (r * m);
            Vector256<float> d0 = Vector256.Create(d[0]);
            Vector256<float> d1 = Vector256.Create(d[1]);
            Vector256<float> d2 = Vector256.Create(d[2]);
            Vector256<float> d3 = Vector256.Create(d[3]);
            g00 = Fma.MultiplyAdd(d0, x0, g00);
            g01 = Fma.MultiplyAdd(d0, x1, g01);
            g10 = Fma.MultiplyAdd(d1, x0, g10);
            g11 = Fma.MultiplyAdd(d1, x1, g11);
            g20 = Fma.MultiplyAdd(d2, x0, g20);
            g21 = Fma.MultiplyAdd(d2, x1, g21);
            g30 = Fma.MultiplyAdd(d3, x0, g30);
            g31 = Fma.MultiplyAdd(d3, x1, g31);
        }

        g00.Store(g);
        g01.Store(g + Width);
        g10.Store(g + k);
        g11.Store(g + k + Width);
        g20.Store(g + (2 * k));
        g21.Store(g + (2 * k) + Width);
        g30.Store(g + (3 * k));
        g31.Store(g + (3 * k) + Width);
        return check ? FiniteProbe(((g00 + g01) + (g10 + g11)) + ((g20 + g21) + (g30 + g31))) : default;
    }

    /// <summary>G[j, c..c+16] = Σᵣ Δ[r, j]·A[r, c..c+16], for the neurons left over after blocks of 4.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> OuterBlock1x16(float* delta, float* a, float* g, int n, int k, int m, bool first, bool check)
    {
        Vector256<float> g0 = first ? default : Vector256.Load(g);
        Vector256<float> g1 = first ? default : Vector256.Load(g + Width);
        for (int r = 0; r < n; r++)
        {
            float* row = a + (r * k);
            Vector256<float> d = Vector256.Create(delta[r * m]);
            g0 = Fma.MultiplyAdd(d, Vector256.Load(row), g0);
            g1 = Fma.MultiplyAdd(d, Vector256.Load(row + Width), g1);
        }

        g0.Store(g);
        g1.Store(g + Width);
        return check ? FiniteProbe(g0 + g1) : default;
    }

    /// <summary>The 256-bit <see cref="FiniteProbe(Vector512{float})"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> FiniteProbe(Vector256<float> sum) => sum * Vector256<float>.Zero;
}
