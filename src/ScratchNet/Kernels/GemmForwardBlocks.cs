using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ScratchNet.Kernels;

/// <summary>
/// The forward product Z = A·Wᵀ + b: the loop that tiles it into register blocks of 3×4, 2×4 and 1×4
/// outputs, and the blocks themselves. Every output is one dot product of a row of A with a row of W,
/// summed in the same order whichever block computes it (one vector accumulator, its lanes summed, then
/// the scalar tail), so a row's result never depends on its place in the batch.
/// </summary>
internal static unsafe partial class Gemm
{
    /// <summary>Rows of A per panel of the forward product (a multiple of 3): 24 rows of a few hundred floats stay in L1 with one group of 4 rows of W.</summary>
    private const int PanelRows = 24;

    /// <summary>Rows [from, to) of Z = A·Wᵀ + b. (Job: A, W, Bias, Output = Z.)</summary>
    private static void ForwardRows(in Job job, int from, int to)
    {
        if (Portable)
        {
            ForwardRows128(job, from, to);
            return;
        }

        int pairs = WideBlocks && Blocked ? (to - from) / 2 * 2 : 0;
        int octets = job.M / 8 * 8;
        if (pairs > 0 && octets > 0)
        {
            // Pairs of rows × groups of 8 neurons on 512-bit vectors (GemmWideForwardBlocks.cs); the odd row and the
            // neurons after the last group of 8 on 256-bit ones. Every output is summed the same way in both.
            ForwardPairs(job, from, from + pairs, octets);
            ForwardRows(job, from, from + pairs, octets, job.M);
            ForwardRows(job, from + pairs, to, 0, job.M);
            return;
        }

        ForwardRows(job, from, to, 0, job.M);
    }

    /// <summary>Rows [from, to) of Z = A·Wᵀ + b for neurons [jFrom, jTo), on 256-bit vectors.</summary>
    private static void ForwardRows(in Job job, int from, int to, int jFrom, int jTo)
    {
        if (from >= to || jFrom >= jTo)
        {
            return;
        }

        int k = job.K, m = job.M;
        float* a = job.A, w = job.W, z = job.Output;
        int r = from;

        // Lists of the blocks of 8 inputs that are not zero in a register block's rows (GemmForwardSkips.cs).
        bool skips = Blocked && k >= MinSkipInputs && k / Width <= MaxSkipBlocks;
        int* lists = stackalloc int[skips ? (PanelRows / 3 * (k / Width)) : 0];
        skips = skips && ListingPays(a, from, to, k, lists);
        Span<int> counts = stackalloc int[PanelRows / 3];
        if (Blocked)
        {
            // Blocks of 3 rows, except that 4 rows left go as 2 + 2 rather than 3 + 1 (one row has half the
            // accumulators to hide the latency of its multiply-adds). The blocks of 3 go in panels of up to
            // 24 rows: each group of 4 rows of W is read into L1 once per panel, not once per 3 rows.
            int threes = (to - from) / 3;
            if ((to - from) % 3 == 1 && threes > 0)
            {
                threes--;
            }

            int threesEnd = from + (3 * threes);
            for (int panel = from; panel < threesEnd; panel += PanelRows)
            {
                int panelEnd = Math.Min(panel + PanelRows, threesEnd);
                for (r = panel; r < panelEnd; r += 3)
                {
                    int group = (r - panel) / 3;
                    counts[group] = skips ? ListNonZeroBlocks(a + (r * k), 3, k, lists + (group * (k / Width))) : -1;
                }

                int j = jFrom;
                for (; j + 4 <= jTo; j += 4)
                {
                    for (r = panel; r < panelEnd; r += 3)
                    {
                        int group = (r - panel) / 3;
                        if (skips && WorthSkipping(counts[group], k))
                        {
                            DotBlock3x4(a + (r * k), w + (j * k), k, z + (r * m) + j, m, new ListedBlocks(lists + (group * (k / Width)), counts[group]));
                        }
                        else
                        {
                            DotBlock3x4(a + (r * k), w + (j * k), k, z + (r * m) + j, m, new AllBlocks(k));
                        }
                    }
                }

                for (; j < jTo; j++)
                {
                    for (r = panel; r < panelEnd; r++)
                    {
                        z[(r * m) + j] = Dot(w + (j * k), a + (r * k), k);
                    }
                }
            }

            r = threesEnd;
            for (; r + 2 <= to; r += 2)
            {
                int count = skips ? ListNonZeroBlocks(a + (r * k), 2, k, lists) : -1;
                bool skip = skips && WorthSkipping(count, k);
                int j = jFrom;
                for (; j + 4 <= jTo; j += 4)
                {
                    if (skip)
                    {
                        DotBlock2x4(a + (r * k), w + (j * k), k, z + (r * m) + j, m, new ListedBlocks(lists, count));
                    }
                    else
                    {
                        DotBlock2x4(a + (r * k), w + (j * k), k, z + (r * m) + j, m, new AllBlocks(k));
                    }
                }

                for (; j < jTo; j++)
                {
                    z[(r * m) + j] = Dot(w + (j * k), a + (r * k), k);
                    z[((r + 1) * m) + j] = Dot(w + (j * k), a + ((r + 1) * k), k);
                }
            }
        }

        for (; r < to; r++)
        {
            // The last row of a batch (and the only one when a single digit is classified): 4 neurons at a
            // time still share each load of the row.
            int j = jFrom;
            if (Blocked)
            {
                int count = skips ? ListNonZeroBlocks(a + (r * k), 1, k, lists) : -1;
                bool skip = skips && WorthSkipping(count, k);
                for (; j + 4 <= jTo; j += 4)
                {
                    if (skip)
                    {
                        DotBlock1x4(a + (r * k), w + (j * k), k, z + (r * m) + j, new ListedBlocks(lists, count));
                    }
                    else
                    {
                        DotBlock1x4(a + (r * k), w + (j * k), k, z + (r * m) + j, new AllBlocks(k));
                    }
                }
            }

            for (; j < jTo; j++)
            {
                z[(r * m) + j] = Dot(w + (j * k), a + (r * k), k);
            }
        }

        for (r = from; r < to; r++)
        {
            VectorMath.Axpy(1f, new ReadOnlySpan<float>(job.Bias + jFrom, jTo - jFrom), new Span<float>(z + (r * m) + jFrom, jTo - jFrom));
        }
    }

    /// <summary>Every row of Z = A·Wᵀ + b for neurons [from, to), for a batch of a few rows. (Job: A, W, Bias, Output = Z.)</summary>
    private static void ForwardNeurons(in Job job, int from, int to)
    {
        int n = job.N, k = job.K, m = job.M;
        float* a = job.A, w = job.W, z = job.Output;
        for (int r = 0; r < n; r++)
        {
            int j = from;
            for (; j + 4 <= to; j += 4)
            {
                DotBlock1x4(a + (r * k), w + (j * k), k, z + (r * m) + j, new AllBlocks(k));
            }

            for (; j < to; j++)
            {
                z[(r * m) + j] = Dot(w + (j * k), a + (r * k), k);
            }

            VectorMath.Axpy(1f, new ReadOnlySpan<float>(job.Bias + from, to - from), new Span<float>(z + (r * m) + from, to - from));
        }
    }

    /// <summary>Σᵢ x[i]·y[i] in the same order as <see cref="DotBlock2x4{TBlocks}"/>: one vector accumulator, its lanes summed, then the tail.</summary>
    private static float Dot(float* x, float* y, int k) =>
        VectorMath.Dot(new ReadOnlySpan<float>(x, k), new ReadOnlySpan<float>(y, k));

    /// <summary>
    /// Z[0..3, 0..4] = dot products of 3 rows of A with 4 rows of W over the blocks of 8 that
    /// <paramref name="blocks"/> names: 12 accumulators, 7 loads per 12 multiply-adds. Each output keeps its
    /// own accumulator, its lanes are summed, then the scalar tail is added (<see cref="FinishRow"/>), as in
    /// <see cref="Dot"/>, so the bits do not depend on which block computes it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void DotBlock3x4<TBlocks>(float* a, float* w, int k, float* z, int m, TBlocks blocks)
        where TBlocks : struct, IInputBlocks
    {
        Vector256<float> s00 = default, s01 = default, s02 = default, s03 = default;
        Vector256<float> s10 = default, s11 = default, s12 = default, s13 = default;
        Vector256<float> s20 = default, s21 = default, s22 = default, s23 = default;
        float* a1 = a + k, a2 = a + (2 * k);
        float* w1 = w + k, w2 = w + (2 * k), w3 = w + (3 * k);
        for (int t = 0; t < blocks.Count; t++)
        {
            int i = blocks.Offset(t);
            Vector256<float> x0 = Vector256.Load(a + i);
            Vector256<float> x1 = Vector256.Load(a1 + i);
            Vector256<float> x2 = Vector256.Load(a2 + i);
            Vector256<float> v = Vector256.Load(w + i);
            s00 = Fma.MultiplyAdd(x0, v, s00);
            s10 = Fma.MultiplyAdd(x1, v, s10);
            s20 = Fma.MultiplyAdd(x2, v, s20);
            v = Vector256.Load(w1 + i);
            s01 = Fma.MultiplyAdd(x0, v, s01);
            s11 = Fma.MultiplyAdd(x1, v, s11);
            s21 = Fma.MultiplyAdd(x2, v, s21);
            v = Vector256.Load(w2 + i);
            s02 = Fma.MultiplyAdd(x0, v, s02);
            s12 = Fma.MultiplyAdd(x1, v, s12);
            s22 = Fma.MultiplyAdd(x2, v, s22);
            v = Vector256.Load(w3 + i);
            s03 = Fma.MultiplyAdd(x0, v, s03);
            s13 = Fma.MultiplyAdd(x1, v, s13);
            s23 = Fma.MultiplyAdd(x2, v, s23);
        }

        FinishRow(s00, s01, s02, s03, a, w, k, z);
        FinishRow(s10, s11, s12, s13, a1, w, k, z + m);
        FinishRow(s20, s21, s22, s23, a2, w, k, z + (2 * m));
    }

    /// <summary>Z[0..2, 0..4] = dot products of 2 rows of A with 4 rows of W over <paramref name="blocks"/> (bias added by the caller).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void DotBlock2x4<TBlocks>(float* a, float* w, int k, float* z, int m, TBlocks blocks)
        where TBlocks : struct, IInputBlocks
    {
        Vector256<float> s00 = default, s01 = default, s02 = default, s03 = default;
        Vector256<float> s10 = default, s11 = default, s12 = default, s13 = default;
        float* a1 = a + k, w1 = w + k, w2 = w + (2 * k), w3 = w + (3 * k);
        for (int t = 0; t < blocks.Count; t++)
        {
            int i = blocks.Offset(t);
            Vector256<float> x0 = Vector256.Load(a + i);
            Vector256<float> x1 = Vector256.Load(a1 + i);
            Vector256<float> v = Vector256.Load(w + i);
            s00 = Fma.MultiplyAdd(x0, v, s00);
            s10 = Fma.MultiplyAdd(x1, v, s10);
            v = Vector256.Load(w1 + i);
            s01 = Fma.MultiplyAdd(x0, v, s01);
            s11 = Fma.MultiplyAdd(x1, v, s11);
            v = Vector256.Load(w2 + i);
            s02 = Fma.MultiplyAdd(x0, v, s02);
            s12 = Fma.MultiplyAdd(x1, v, s12);
            v = Vector256.Load(w3 + i);
            s03 = Fma.MultiplyAdd(x0, v, s03);
            s13 = Fma.MultiplyAdd(x1, v, s13);
        }

        FinishRow(s00, s01, s02, s03, a, w, k, z);
        FinishRow(s10, s11, s12, s13, a1, w, k, z + m);
    }

    /// <summary>Z[0, 0..4] = dot products of one row of A with 4 rows of W over <paramref name="blocks"/>, in the same order as <see cref="Dot"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void DotBlock1x4<TBlocks>(float* a, float* w, int k, float* z, TBlocks blocks)
        where TBlocks : struct, IInputBlocks
    {
        Vector256<float> s0 = default, s1 = default, s2 = default, s3 = default;
        float* w1 = w + k, w2 = w + (2 * k), w3 = w + (3 * k);
        for (int t = 0; t < blocks.Count; t++)
        {
            int i = blocks.Offset(t);
            Vector256<float> x = Vector256.Load(a + i);
            s0 = Fma.MultiplyAdd(x, Vector256.Load(w + i), s0);
            s1 = Fma.MultiplyAdd(x, Vector256.Load(w1 + i), s1);
            s2 = Fma.MultiplyAdd(x, Vector256.Load(w2 + i), s2);
            s3 = Fma.MultiplyAdd(x, Vector256.Load(w3 + i), s3);
        }

        FinishRow(s0, s1, s2, s3, a, w, k, z);
    }

    /// <summary>
    /// One row of a block's outputs, Z[0, 0..4], from its four accumulators: each output's lanes summed, then the
    /// scalar tail after the last whole block of 8 (<see cref="AddTail"/>), for the 4 rows of W from <paramref name="w"/>.
    /// </summary>
    /// <remarks>
    /// The four sums in one go, with the pairs of <see cref="Vector256.Sum{T}(Vector256{T})"/>: two rounds of pairwise
    /// additions give ((s₀+s₁)+(s₂+s₃)) and ((s₄+s₅)+(s₆+s₇)) of every accumulator, one addition joins the halves.
    /// Those are the sums, in that grouping, that Vector256.Sum forms for one accumulator (and an addition of two
    /// floats is the same whichever comes first), so the bits are those of Vector256.Sum on each accumulator, in a
    /// fifth of the instructions (the seed's first layer 125 → 134 GFLOP/s at n = 100, conv2 218 → 265 on two threads).
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void FinishRow(Vector256<float> s0, Vector256<float> s1, Vector256<float> s2, Vector256<float> s3, float* a, float* w, int k, float* z)
    {
        Vector256<float> pairs = Avx.HorizontalAdd(Avx.HorizontalAdd(s0, s1), Avx.HorizontalAdd(s2, s3));
        Vector128<float> sums = pairs.GetLower() + pairs.GetUpper(); // [Σs0, Σs1, Σs2, Σs3]
        int tail = k - (k % Width);
        if (tail == k)
        {
            sums.Store(z);
            return;
        }

        AddTail(sums.GetElement(0), a, w, tail, k, z);
        AddTail(sums.GetElement(1), a, w + k, tail, k, z + 1);
        AddTail(sums.GetElement(2), a, w + (2 * k), tail, k, z + 2);
        AddTail(sums.GetElement(3), a, w + (3 * k), tail, k, z + 3);
    }

    /// <summary>Adds the scalar tail x[i..k)·y[i..k) to a summed accumulator and stores the dot product.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddTail(float sum, float* x, float* y, int i, int k, float* z)
    {
        for (; i < k; i++)
        {
            sum += x[i] * y[i];
        }

        *z = sum;
    }
}
