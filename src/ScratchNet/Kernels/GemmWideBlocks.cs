using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ScratchNet.Kernels;

/// <summary>
/// Register blocks on 512-bit vectors for the forward product and both gradients, for processors whose
/// FMA units take them at full width (AMD Zen 5 does two 512-bit multiply-adds per cycle, twice the floats
/// of two 256-bit ones). They give the same bits as the 256-bit blocks, so a model trains to the same bytes
/// on either kind of processor.
/// </summary>
/// <remarks>
/// <para>
/// Forward: each output Z[r, j] keeps the 256-bit blocks' 8-lane accumulator; a 512-bit register holds two of
/// them, for rows r and r + 1 of the same neuron, so one multiply-add serves both rows with W's block of 8
/// loaded once into both halves. Each half is then finished exactly as in <see cref="Finish"/>.
/// </para>
/// <para>
/// Input gradient: blocks of 6 rows × 32 columns of D, each D[r, c] one chain of fused multiply-adds over
/// the neurons j in order, as in the 256-bit blocks.
/// </para>
/// <para>
/// Weight gradient: a slab is 32 columns of G, two vectors; a block holds 8, 4 or 1 neurons of it. Each
/// G[j, c] is still one chain of fused multiply-adds over the rows r in order, started at +0 or at what the
/// previous block of rows left in G: the width only decides how many columns share a load, never the order
/// of a sum.
/// </para>
/// </remarks>
internal static unsafe partial class Gemm
{
    private const int WideWidth = 16; // floats per Vector512

    /// <summary>
    /// Whether the weight gradient takes the 512-bit blocks: on by default where <see cref="Vector512"/> is
    /// accelerated. The tests turn it off to run the 256-bit blocks everywhere; both give the same bits.
    /// </summary>
    internal static bool WideBlocks { get; set; } = Vector512.IsHardwareAccelerated && Avx512DQ.IsSupported;

    /// <summary>True when the first 16 or the last 16 of the 32 floats from <paramref name="a"/> are ±0 in each of <paramref name="rows"/> rows, k floats apart.</summary>
    private static bool HalfOfWideSlabIsZero(float* a, int rows, int k)
    {
        Vector512<float> first = Vector512<float>.Zero, second = Vector512<float>.Zero;
        for (int r = 0; r < rows; r++)
        {
            first |= Vector512.Load(a + (r * k));
            second |= Vector512.Load(a + (r * k) + WideWidth);
            if (!IsZero(first) && !IsZero(second))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>True when every lane of <paramref name="v"/> is +0 or −0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool IsZero(Vector512<float> v) => (v.AsInt32() & Vector512.Create(0x7FFFFFFF)) == Vector512<int>.Zero;

    /// <summary>Neurons [from, to) of G[·, c..c+32] (+)= Σᵣ Δ[r, ·] ⊗ A[r, c..c+32], for the rows of one block. <paramref name="a"/> and <paramref name="g"/> point at column c.</summary>
    private static void WideSlab(float* delta, float* a, float* g, int rows, int k, int m, int from, int to, bool first)
    {
        int j = from;
        for (; j + 8 <= to; j += 8)
        {
            OuterBlock8x32(delta + j, a, g + (j * k), rows, k, m, first);
        }

        for (; j + 4 <= to; j += 4)
        {
            OuterBlock4x32(delta + j, a, g + (j * k), rows, k, m, first);
        }

        for (; j < to; j++)
        {
            OuterBlock1x32(delta + j, a, g + (j * k), rows, k, m, first);
        }
    }

    /// <summary>G[j..j+8, c..c+32] (+)= Σᵣ Δ[r, j..j+8] ⊗ A[r, c..c+32]: 16 accumulators, 2 loads and 8 broadcasts per 16 multiply-adds.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)] // its own method, so its 16 accumulators stay in registers
    private static void OuterBlock8x32(float* delta, float* a, float* g, int n, int k, int m, bool first)
    {
        Vector512<float> g00 = default, g01 = default, g10 = default, g11 = default, g20 = default, g21 = default, g30 = default, g31 = default;
        Vector512<float> g40 = default, g41 = default, g50 = default, g51 = default, g60 = default, g61 = default, g70 = default, g71 = default;
        if (!first)
        {
            g00 = Vector512.Load(g);
            g01 = Vector512.Load(g + WideWidth);
            g10 = Vector512.Load(g + k);
            g11 = Vector512.Load(g + k + WideWidth);
            g20 = Vector512.Load(g + (2 * k));
            g21 = Vector512.Load(g + (2 * k) + WideWidth);
            g30 = Vector512.Load(g + (3 * k));
            g31 = Vector512.Load(g + (3 * k) + WideWidth);
            g40 = Vector512.Load(g + (4 * k));
            g41 = Vector512.Load(g + (4 * k) + WideWidth);
            g50 = Vector512.Load(g + (5 * k));
            g51 = Vector512.Load(g + (5 * k) + WideWidth);
            g60 = Vector512.Load(g + (6 * k));
            g61 = Vector512.Load(g + (6 * k) + WideWidth);
            g70 = Vector512.Load(g + (7 * k));
            g71 = Vector512.Load(g + (7 * k) + WideWidth);
        }

        for (int r = 0; r < n; r++)
        {
            float* row = a + (r * k);
            Vector512<float> x0 = Vector512.Load(row);
            Vector512<float> x1 = Vector512.Load(row + WideWidth);
            float* d = delta + (r * m);
            Vector512<float> e = Vector512.Create(d[0]);
            g00 = Vector512.FusedMultiplyAdd(e, x0, g00);
            g01 = Vector512.FusedMultiplyAdd(e, x1, g01);
            e = Vector512.Create(d[1]);
            g10 = Vector512.FusedMultiplyAdd(e, x0, g10);
            g11 = Vector512.FusedMultiplyAdd(e, x1, g11);
            e = Vector512.Create(d[2]);
            g20 = Vector512.FusedMultiplyAdd(e, x0, g20);
            g21 = Vector512.FusedMultiplyAdd(e, x1, g21);
            e = Vector512.Create(d[3]);
            g30 = Vector512.FusedMultiplyAdd(e, x0, g30);
            g31 = Vector512.FusedMultiplyAdd(e, x1, g31);
            e = Vector512.Create(d[4]);
            g40 = Vector512.FusedMultiplyAdd(e, x0, g40);
            g41 = Vector512.FusedMultiplyAdd(e, x1, g41);
            e = Vector512.Create(d[5]);
            g50 = Vector512.FusedMultiplyAdd(e, x0, g50);
            g51 = Vector512.FusedMultiplyAdd(e, x1, g51);
            e = Vector512.Create(d[6]);
            g60 = Vector512.FusedMultiplyAdd(e, x0, g60);
            g61 = Vector512.FusedMultiplyAdd(e, x1, g61);
            e = Vector512.Create(d[7]);
            g70 = Vector512.FusedMultiplyAdd(e, x0, g70);
            g71 = Vector512.FusedMultiplyAdd(e, x1, g71);
        }

        g00.Store(g);
        g01.Store(g + WideWidth);
        g10.Store(g + k);
        g11.Store(g + k + WideWidth);
        g20.Store(g + (2 * k));
        g21.Store(g + (2 * k) + WideWidth);
        g30.Store(g + (3 * k));
        g31.Store(g + (3 * k) + WideWidth);
        g40.Store(g + (4 * k));
        g41.Store(g + (4 * k) + WideWidth);
        g50.Store(g + (5 * k));
        g51.Store(g + (5 * k) + WideWidth);
        g60.Store(g + (6 * k));
        g61.Store(g + (6 * k) + WideWidth);
        g70.Store(g + (7 * k));
        g71.Store(g + (7 * k) + WideWidth);
    }

    /// <summary>G[j..j+4, c..c+32] (+)= Σᵣ Δ[r, j..j+4] ⊗ A[r, c..c+32]: 8 accumulators.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void OuterBlock4x32(float* delta, float* a, float* g, int n, int k, int m, bool first)
    {
        Vector512<float> g00 = default, g01 = default, g10 = default, g11 = default, g20 = default, g21 = default, g30 = default, g31 = default;
        if (!first)
        {
            g00 = Vector512.Load(g);
            g01 = Vector512.Load(g + WideWidth);
            g10 = Vector512.Load(g + k);
            g11 = Vector512.Load(g + k + WideWidth);
            g20 = Vector512.Load(g + (2 * k));
            g21 = Vector512.Load(g + (2 * k) + WideWidth);
            g30 = Vector512.Load(g + (3 * k));
            g31 = Vector512.Load(g + (3 * k) + WideWidth);
        }

        for (int r = 0; r < n; r++)
        {
            float* row = a + (r * k);
            Vector512<float> x0 = Vector512.Load(row);
            Vector512<float> x1 = Vector512.Load(row + WideWidth);
            float* d = delta + (r * m);
            Vector512<float> d0 = Vector512.Create(d[0]);
            Vector512<float> d1 = Vector512.Create(d[1]);
            Vector512<float> d2 = Vector512.Create(d[2]);
            Vector512<float> d3 = Vector512.Create(d[3]);
            g00 = Vector512.FusedMultiplyAdd(d0, x0, g00);
            g01 = Vector512.FusedMultiplyAdd(d0, x1, g01);
            g10 = Vector512.FusedMultiplyAdd(d1, x0, g10);
            g11 = Vector512.FusedMultiplyAdd(d1, x1, g11);
            g20 = Vector512.FusedMultiplyAdd(d2, x0, g20);
            g21 = Vector512.FusedMultiplyAdd(d2, x1, g21);
            g30 = Vector512.FusedMultiplyAdd(d3, x0, g30);
            g31 = Vector512.FusedMultiplyAdd(d3, x1, g31);
        }

        g00.Store(g);
        g01.Store(g + WideWidth);
        g10.Store(g + k);
        g11.Store(g + k + WideWidth);
        g20.Store(g + (2 * k));
        g21.Store(g + (2 * k) + WideWidth);
        g30.Store(g + (3 * k));
        g31.Store(g + (3 * k) + WideWidth);
    }

    /// <summary>G[j, c..c+32] (+)= Σᵣ Δ[r, j]·A[r, c..c+32], for the neurons left over after blocks of 4.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void OuterBlock1x32(float* delta, float* a, float* g, int n, int k, int m, bool first)
    {
        Vector512<float> g0 = first ? default : Vector512.Load(g);
        Vector512<float> g1 = first ? default : Vector512.Load(g + WideWidth);
        for (int r = 0; r < n; r++)
        {
            float* row = a + (r * k);
            Vector512<float> d = Vector512.Create(delta[r * m]);
            g0 = Vector512.FusedMultiplyAdd(d, Vector512.Load(row), g0);
            g1 = Vector512.FusedMultiplyAdd(d, Vector512.Load(row + WideWidth), g1);
        }

        g0.Store(g);
        g1.Store(g + WideWidth);
    }

    /// <summary>Rows [from, to) (an even count) of Z = A·Wᵀ + b for neurons [0, octets) (a multiple of 8), in panels of rows as <see cref="ForwardRows(in Job, int, int)"/>.</summary>
    private static void ForwardPairs(in Job job, int from, int to, int octets)
    {
        int k = job.K, m = job.M;
        float* a = job.A, w = job.W, z = job.Output;
        bool skips = k >= MinSkipInputs && k / Width <= MaxSkipBlocks;
        int* lists = stackalloc int[skips ? (PanelRows / 4 * (k / Width)) : 0];
        Span<int> counts = stackalloc int[PanelRows / 4];
        for (int panel = from; panel < to; panel += PanelRows)
        {
            int panelEnd = Math.Min(panel + PanelRows, to);
            int group = 0;
            for (int r = panel; r < panelEnd; r += PairRows(panelEnd - r), group++)
            {
                counts[group] = skips ? ListNonZeroBlocks(a + (r * k), PairRows(panelEnd - r), k, lists + (group * (k / Width))) : -1;
            }

            for (int j = 0; j < octets; j += 8)
            {
                group = 0;
                for (int r = panel; r < panelEnd; r += PairRows(panelEnd - r), group++)
                {
                    if (skips && WorthSkipping(counts[group], k))
                    {
                        DotPairs(PairRows(panelEnd - r), a + (r * k), w + (j * k), k, z + (r * m) + j, m, new ListedBlocks(lists + (group * (k / Width)), counts[group]));
                    }
                    else
                    {
                        DotPairs(PairRows(panelEnd - r), a + (r * k), w + (j * k), k, z + (r * m) + j, m, new AllBlocks(k));
                    }
                }
            }
        }

        for (int r = from; r < to; r++)
        {
            VectorMath.Axpy(1f, new ReadOnlySpan<float>(job.Bias, octets), new Span<float>(z + (r * m), octets));
        }
    }

    /// <summary>
    /// How many of the <paramref name="left"/> rows (an even number) the next block of the forward takes: 4, and 6
    /// where 4 + 2 would be left (the 2-row block reads 9 vectors per 8 multiply-adds). Not 6 throughout: the
    /// blank blocks common to 6 MNIST digits are too few to skip, and at n = 100 that cost 28%.
    /// </summary>
    private static int PairRows(int left) => left == 6 ? 6 : Math.Min(4, left);

    /// <summary>Z[0..rows, 0..8] over <paramref name="blocks"/> for 6, 4 or 2 rows.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void DotPairs<TBlocks>(int rows, float* a, float* w, int k, float* z, int m, TBlocks blocks)
        where TBlocks : struct, IInputBlocks
    {
        switch (rows)
        {
            case 6:
                DotBlockPairs6x8(a, w, k, z, m, blocks);
                break;
            case 4:
                DotBlockPairs4x8(a, w, k, z, m, blocks);
                break;
            default:
                DotBlockPair2x8(a, w, k, z, m, blocks);
                break;
        }
    }

    /// <summary>
    /// Z[0..6, 0..8] over <paramref name="blocks"/>: three pairs of rows, each sharing one register per neuron
    /// (24 accumulators); per block of 8 inputs, 3 pairs of row loads and 8 loads of W feed 24 multiply-adds of 16 lanes.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)] // its own method, so its accumulators stay in registers
    private static void DotBlockPairs6x8<TBlocks>(float* a, float* w, int k, float* z, int m, TBlocks blocks)
        where TBlocks : struct, IInputBlocks
    {
        Vector512<float> p0 = default, p1 = default, p2 = default, p3 = default, p4 = default, p5 = default, p6 = default, p7 = default;
        Vector512<float> q0 = default, q1 = default, q2 = default, q3 = default, q4 = default, q5 = default, q6 = default, q7 = default;
        Vector512<float> u0 = default, u1 = default, u2 = default, u3 = default, u4 = default, u5 = default, u6 = default, u7 = default;
        float* a1 = a + k, a2 = a + (2 * k), a3 = a + (3 * k), a4 = a + (4 * k), a5 = a + (5 * k);
        float* w1 = w + k, w2 = w + (2 * k), w3 = w + (3 * k), w4 = w + (4 * k), w5 = w + (5 * k), w6 = w + (6 * k), w7 = w + (7 * k);
        for (int t = 0; t < blocks.Count; t++)
        {
            int i = blocks.Offset(t);
            Vector512<float> x01 = Pair(a + i, a1 + i);
            Vector512<float> x23 = Pair(a2 + i, a3 + i);
            Vector512<float> x45 = Pair(a4 + i, a5 + i);
            Vector512<float> v = Avx512DQ.BroadcastVector256ToVector512(w + i);
            p0 = Vector512.FusedMultiplyAdd(x01, v, p0);
            q0 = Vector512.FusedMultiplyAdd(x23, v, q0);
            u0 = Vector512.FusedMultiplyAdd(x45, v, u0);
            v = Avx512DQ.BroadcastVector256ToVector512(w1 + i);
            p1 = Vector512.FusedMultiplyAdd(x01, v, p1);
            q1 = Vector512.FusedMultiplyAdd(x23, v, q1);
            u1 = Vector512.FusedMultiplyAdd(x45, v, u1);
            v = Avx512DQ.BroadcastVector256ToVector512(w2 + i);
            p2 = Vector512.FusedMultiplyAdd(x01, v, p2);
            q2 = Vector512.FusedMultiplyAdd(x23, v, q2);
            u2 = Vector512.FusedMultiplyAdd(x45, v, u2);
            v = Avx512DQ.BroadcastVector256ToVector512(w3 + i);
            p3 = Vector512.FusedMultiplyAdd(x01, v, p3);
            q3 = Vector512.FusedMultiplyAdd(x23, v, q3);
            u3 = Vector512.FusedMultiplyAdd(x45, v, u3);
            v = Avx512DQ.BroadcastVector256ToVector512(w4 + i);
            p4 = Vector512.FusedMultiplyAdd(x01, v, p4);
            q4 = Vector512.FusedMultiplyAdd(x23, v, q4);
            u4 = Vector512.FusedMultiplyAdd(x45, v, u4);
            v = Avx512DQ.BroadcastVector256ToVector512(w5 + i);
            p5 = Vector512.FusedMultiplyAdd(x01, v, p5);
            q5 = Vector512.FusedMultiplyAdd(x23, v, q5);
            u5 = Vector512.FusedMultiplyAdd(x45, v, u5);
            v = Avx512DQ.BroadcastVector256ToVector512(w6 + i);
            p6 = Vector512.FusedMultiplyAdd(x01, v, p6);
            q6 = Vector512.FusedMultiplyAdd(x23, v, q6);
            u6 = Vector512.FusedMultiplyAdd(x45, v, u6);
            v = Avx512DQ.BroadcastVector256ToVector512(w7 + i);
            p7 = Vector512.FusedMultiplyAdd(x01, v, p7);
            q7 = Vector512.FusedMultiplyAdd(x23, v, q7);
            u7 = Vector512.FusedMultiplyAdd(x45, v, u7);
        }

        FinishPair(p0, p1, p2, p3, a, w, k, z, m);
        FinishPair(p4, p5, p6, p7, a, w4, k, z + 4, m);
        FinishPair(q0, q1, q2, q3, a2, w, k, z + (2 * m), m);
        FinishPair(q4, q5, q6, q7, a2, w4, k, z + (2 * m) + 4, m);
        FinishPair(u0, u1, u2, u3, a4, w, k, z + (4 * m), m);
        FinishPair(u4, u5, u6, u7, a4, w4, k, z + (4 * m) + 4, m);
    }

    /// <summary>
    /// Z[0..4, 0..8] over <paramref name="blocks"/>: rows 0 and 1 share one register per neuron, rows 2 and 3
    /// another (16 accumulators of two 8-lane halves); per block of 8 inputs, 2 pairs of row loads and 8 loads
    /// of W feed 16 multiply-adds of 16 lanes.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)] // its own method, so its accumulators stay in registers
    private static void DotBlockPairs4x8<TBlocks>(float* a, float* w, int k, float* z, int m, TBlocks blocks)
        where TBlocks : struct, IInputBlocks
    {
        Vector512<float> p0 = default, p1 = default, p2 = default, p3 = default, p4 = default, p5 = default, p6 = default, p7 = default;
        Vector512<float> q0 = default, q1 = default, q2 = default, q3 = default, q4 = default, q5 = default, q6 = default, q7 = default;
        float* a1 = a + k, a2 = a + (2 * k), a3 = a + (3 * k);
        float* w1 = w + k, w2 = w + (2 * k), w3 = w + (3 * k), w4 = w + (4 * k), w5 = w + (5 * k), w6 = w + (6 * k), w7 = w + (7 * k);
        for (int t = 0; t < blocks.Count; t++)
        {
            int i = blocks.Offset(t);
            Vector512<float> x01 = Pair(a + i, a1 + i);
            Vector512<float> x23 = Pair(a2 + i, a3 + i);
            Vector512<float> v = Avx512DQ.BroadcastVector256ToVector512(w + i);
            p0 = Vector512.FusedMultiplyAdd(x01, v, p0);
            q0 = Vector512.FusedMultiplyAdd(x23, v, q0);
            v = Avx512DQ.BroadcastVector256ToVector512(w1 + i);
            p1 = Vector512.FusedMultiplyAdd(x01, v, p1);
            q1 = Vector512.FusedMultiplyAdd(x23, v, q1);
            v = Avx512DQ.BroadcastVector256ToVector512(w2 + i);
            p2 = Vector512.FusedMultiplyAdd(x01, v, p2);
            q2 = Vector512.FusedMultiplyAdd(x23, v, q2);
            v = Avx512DQ.BroadcastVector256ToVector512(w3 + i);
            p3 = Vector512.FusedMultiplyAdd(x01, v, p3);
            q3 = Vector512.FusedMultiplyAdd(x23, v, q3);
            v = Avx512DQ.BroadcastVector256ToVector512(w4 + i);
            p4 = Vector512.FusedMultiplyAdd(x01, v, p4);
            q4 = Vector512.FusedMultiplyAdd(x23, v, q4);
            v = Avx512DQ.BroadcastVector256ToVector512(w5 + i);
            p5 = Vector512.FusedMultiplyAdd(x01, v, p5);
            q5 = Vector512.FusedMultiplyAdd(x23, v, q5);
            v = Avx512DQ.BroadcastVector256ToVector512(w6 + i);
            p6 = Vector512.FusedMultiplyAdd(x01, v, p6);
            q6 = Vector512.FusedMultiplyAdd(x23, v, q6);
            v = Avx512DQ.BroadcastVector256ToVector512(w7 + i);
            p7 = Vector512.FusedMultiplyAdd(x01, v, p7);
            q7 = Vector512.FusedMultiplyAdd(x23, v, q7);
        }

        FinishPair(p0, p1, p2, p3, a, w, k, z, m);
        FinishPair(p4, p5, p6, p7, a, w + (4 * k), k, z + 4, m);
        FinishPair(q0, q1, q2, q3, a2, w, k, z + (2 * m), m);
        FinishPair(q4, q5, q6, q7, a2, w + (4 * k), k, z + (2 * m) + 4, m);
    }

    /// <summary>Z[0..2, 0..8] over <paramref name="blocks"/>: rows 0 and 1 share one register per neuron (8 accumulators).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)] // its own method, so its accumulators stay in registers
    private static void DotBlockPair2x8<TBlocks>(float* a, float* w, int k, float* z, int m, TBlocks blocks)
        where TBlocks : struct, IInputBlocks
    {
        Vector512<float> p0 = default, p1 = default, p2 = default, p3 = default, p4 = default, p5 = default, p6 = default, p7 = default;
        float* a1 = a + k;
        float* w1 = w + k, w2 = w + (2 * k), w3 = w + (3 * k), w4 = w + (4 * k), w5 = w + (5 * k), w6 = w + (6 * k), w7 = w + (7 * k);
        for (int t = 0; t < blocks.Count; t++)
        {
            int i = blocks.Offset(t);
            Vector512<float> x01 = Pair(a + i, a1 + i);
            p0 = Vector512.FusedMultiplyAdd(x01, Avx512DQ.BroadcastVector256ToVector512(w + i), p0);
            p1 = Vector512.FusedMultiplyAdd(x01, Avx512DQ.BroadcastVector256ToVector512(w1 + i), p1);
            p2 = Vector512.FusedMultiplyAdd(x01, Avx512DQ.BroadcastVector256ToVector512(w2 + i), p2);
            p3 = Vector512.FusedMultiplyAdd(x01, Avx512DQ.BroadcastVector256ToVector512(w3 + i), p3);
            p4 = Vector512.FusedMultiplyAdd(x01, Avx512DQ.BroadcastVector256ToVector512(w4 + i), p4);
            p5 = Vector512.FusedMultiplyAdd(x01, Avx512DQ.BroadcastVector256ToVector512(w5 + i), p5);
            p6 = Vector512.FusedMultiplyAdd(x01, Avx512DQ.BroadcastVector256ToVector512(w6 + i), p6);
            p7 = Vector512.FusedMultiplyAdd(x01, Avx512DQ.BroadcastVector256ToVector512(w7 + i), p7);
        }

        FinishPair(p0, p1, p2, p3, a, w, k, z, m);
        FinishPair(p4, p5, p6, p7, a, w + (4 * k), k, z + 4, m);
    }

    /// <summary>
    /// Z[0..2, 0..4] from four paired accumulators (row 0 in the lower halves, row 1 in the upper): each half
    /// finished as the 256-bit blocks finish theirs (<see cref="FinishRow"/>), for the 4 rows of W from <paramref name="w"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void FinishPair(Vector512<float> s0, Vector512<float> s1, Vector512<float> s2, Vector512<float> s3, float* a, float* w, int k, float* z, int m)
    {
        FinishRow(s0.GetLower(), s1.GetLower(), s2.GetLower(), s3.GetLower(), a, w, k, z);
        FinishRow(s0.GetUpper(), s1.GetUpper(), s2.GetUpper(), s3.GetUpper(), a + k, w, k, z + m);
    }

    /// <summary>The 8 floats at <paramref name="lower"/> and the 8 at <paramref name="upper"/> in one 512-bit register (a load and an insert).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Pair(float* lower, float* upper) =>
        Avx512DQ.InsertVector256(Vector256.Load(lower).ToVector512Unsafe(), Vector256.Load(upper), 1);

    /// <summary>D[r..r+6, c..c+32] = Σⱼ Δ[r..r+6, j] ⊗ W[j, c..c+32]: 12 accumulators, 2 loads and 6 broadcasts per 12 multiply-adds.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)] // its own method, so its 12 accumulators stay in registers
    private static void CombineBlock6x32(float* delta, float* w, float* d, int k, int m)
    {
        Vector512<float> d00 = default, d01 = default, d10 = default, d11 = default, d20 = default, d21 = default;
        Vector512<float> d30 = default, d31 = default, d40 = default, d41 = default, d50 = default, d51 = default;
        for (int j = 0; j < m; j++)
        {
            float* row = w + (j * k);
            Vector512<float> x0 = Vector512.Load(row);
            Vector512<float> x1 = Vector512.Load(row + WideWidth);
            Vector512<float> e = Vector512.Create(delta[j]);
            d00 = Vector512.FusedMultiplyAdd(e, x0, d00);
            d01 = Vector512.FusedMultiplyAdd(e, x1, d01);
            e = Vector512.Create(delta[m + j]);
            d10 = Vector512.FusedMultiplyAdd(e, x0, d10);
            d11 = Vector512.FusedMultiplyAdd(e, x1, d11);
            e = Vector512.Create(delta[(2 * m) + j]);
            d20 = Vector512.FusedMultiplyAdd(e, x0, d20);
            d21 = Vector512.FusedMultiplyAdd(e, x1, d21);
            e = Vector512.Create(delta[(3 * m) + j]);
            d30 = Vector512.FusedMultiplyAdd(e, x0, d30);
            d31 = Vector512.FusedMultiplyAdd(e, x1, d31);
            e = Vector512.Create(delta[(4 * m) + j]);
            d40 = Vector512.FusedMultiplyAdd(e, x0, d40);
            d41 = Vector512.FusedMultiplyAdd(e, x1, d41);
            e = Vector512.Create(delta[(5 * m) + j]);
            d50 = Vector512.FusedMultiplyAdd(e, x0, d50);
            d51 = Vector512.FusedMultiplyAdd(e, x1, d51);
        }

        d00.Store(d);
        d01.Store(d + WideWidth);
        d10.Store(d + k);
        d11.Store(d + k + WideWidth);
        d20.Store(d + (2 * k));
        d21.Store(d + (2 * k) + WideWidth);
        d30.Store(d + (3 * k));
        d31.Store(d + (3 * k) + WideWidth);
        d40.Store(d + (4 * k));
        d41.Store(d + (4 * k) + WideWidth);
        d50.Store(d + (5 * k));
        d51.Store(d + (5 * k) + WideWidth);
    }
}
