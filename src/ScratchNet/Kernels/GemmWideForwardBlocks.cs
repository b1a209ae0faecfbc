using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ScratchNet.Kernels;

/// <summary>
/// The forward product's 512-bit blocks (see <see cref="WideBlocks"/> and GemmWideBlocks.cs for when they run):
/// each output Z[r, j] keeps the 256-bit blocks' 8-lane accumulator; a 512-bit register holds two of them, for
/// rows r and r + 1 of the same neuron, so one multiply-add serves both rows with W's block of 8 loaded once into
/// both halves. Each half is then finished exactly as <see cref="FinishRow"/> finishes the 256-bit accumulators, so
/// the bits are those of the 256-bit blocks.
/// </summary>
internal static unsafe partial class Gemm
{
    /// <summary>Rows [from, to) (an even count) of Z = A·Wᵀ + b for neurons [0, octets) (a multiple of 8), in panels of rows as <see cref="ForwardRows(in Job, int, int)"/>.</summary>
    private static void ForwardPairs(in Job job, int from, int to, int octets)
    {
        int k = job.K, m = job.M;
        float* a = job.A, w = job.W, z = job.Output;
        bool skips = k >= MinSkipInputs && k / Width <= MaxSkipBlocks;
        int* lists = stackalloc int[skips ? (PanelRows / 4 * (k / Width)) : 0];
        skips = skips && ListingPays(a, from, to, k, lists);
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
        nint K = k, K3 = 3 * K;   // rows addressed as in DotBlockPairs4x8
        for (int t = 0; t < blocks.Count; t++)
        {
            int i = blocks.Offset(t);
            float* ai = a + i, ai4 = a + i + (4 * K), wi = w + i, wi4 = w + i + (4 * K);
            Vector512<float> x01 = Pair(ai, ai + K);
            Vector512<float> x23 = Pair(ai + (2 * K), ai + K3);
            Vector512<float> x45 = Pair(ai4, ai4 + K);
            Vector512<float> v = Avx512DQ.BroadcastVector256ToVector512(wi);
            p0 = Vector512.FusedMultiplyAdd(x01, v, p0);
            q0 = Vector512.FusedMultiplyAdd(x23, v, q0);
            u0 = Vector512.FusedMultiplyAdd(x45, v, u0);
            v = Avx512DQ.BroadcastVector256ToVector512(wi + K);
            p1 = Vector512.FusedMultiplyAdd(x01, v, p1);
            q1 = Vector512.FusedMultiplyAdd(x23, v, q1);
            u1 = Vector512.FusedMultiplyAdd(x45, v, u1);
            v = Avx512DQ.BroadcastVector256ToVector512(wi + (2 * K));
            p2 = Vector512.FusedMultiplyAdd(x01, v, p2);
            q2 = Vector512.FusedMultiplyAdd(x23, v, q2);
            u2 = Vector512.FusedMultiplyAdd(x45, v, u2);
            v = Avx512DQ.BroadcastVector256ToVector512(wi + K3);
            p3 = Vector512.FusedMultiplyAdd(x01, v, p3);
            q3 = Vector512.FusedMultiplyAdd(x23, v, q3);
            u3 = Vector512.FusedMultiplyAdd(x45, v, u3);
            v = Avx512DQ.BroadcastVector256ToVector512(wi4);
            p4 = Vector512.FusedMultiplyAdd(x01, v, p4);
            q4 = Vector512.FusedMultiplyAdd(x23, v, q4);
            u4 = Vector512.FusedMultiplyAdd(x45, v, u4);
            v = Avx512DQ.BroadcastVector256ToVector512(wi4 + K);
            p5 = Vector512.FusedMultiplyAdd(x01, v, p5);
            q5 = Vector512.FusedMultiplyAdd(x23, v, q5);
            u5 = Vector512.FusedMultiplyAdd(x45, v, u5);
            v = Avx512DQ.BroadcastVector256ToVector512(wi4 + (2 * K));
            p6 = Vector512.FusedMultiplyAdd(x01, v, p6);
            q6 = Vector512.FusedMultiplyAdd(x23, v, q6);
            u6 = Vector512.FusedMultiplyAdd(x45, v, u6);
            v = Avx512DQ.BroadcastVector256ToVector512(wi4 + K3);
            p7 = Vector512.FusedMultiplyAdd(x01, v, p7);
            q7 = Vector512.FusedMultiplyAdd(x23, v, q7);
            u7 = Vector512.FusedMultiplyAdd(x45, v, u7);
        }

        FinishPair(p0, p1, p2, p3, a, w, k, z, m);
        FinishPair(p4, p5, p6, p7, a, w + (4 * k), k, z + 4, m);
        FinishPair(q0, q1, q2, q3, a + (2 * k), w, k, z + (2 * m), m);
        FinishPair(q4, q5, q6, q7, a + (2 * k), w + (4 * k), k, z + (2 * m) + 4, m);
        FinishPair(u0, u1, u2, u3, a + (4 * k), w, k, z + (4 * m), m);
        FinishPair(u4, u5, u6, u7, a + (4 * k), w + (4 * k), k, z + (4 * m) + 4, m);
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
        // Rows are addressed as base + i + a multiple of k (K, 2K, 3K) rather than by 11 pointers of their own,
        // which the JIT could not all keep in registers: it reloaded them from the stack on every pass.
        nint K = k, K3 = 3 * K;
        for (int t = 0; t < blocks.Count; t++)
        {
            int i = blocks.Offset(t);
            float* ai = a + i, wi = w + i, wi4 = w + i + (4 * K);
            Vector512<float> x01 = Pair(ai, ai + K);
            Vector512<float> x23 = Pair(ai + (2 * K), ai + K3);
            Vector512<float> v = Avx512DQ.BroadcastVector256ToVector512(wi);
            p0 = Vector512.FusedMultiplyAdd(x01, v, p0);
            q0 = Vector512.FusedMultiplyAdd(x23, v, q0);
            v = Avx512DQ.BroadcastVector256ToVector512(wi + K);
            p1 = Vector512.FusedMultiplyAdd(x01, v, p1);
            q1 = Vector512.FusedMultiplyAdd(x23, v, q1);
            v = Avx512DQ.BroadcastVector256ToVector512(wi + (2 * K));
            p2 = Vector512.FusedMultiplyAdd(x01, v, p2);
            q2 = Vector512.FusedMultiplyAdd(x23, v, q2);
            v = Avx512DQ.BroadcastVector256ToVector512(wi + K3);
            p3 = Vector512.FusedMultiplyAdd(x01, v, p3);
            q3 = Vector512.FusedMultiplyAdd(x23, v, q3);
            v = Avx512DQ.BroadcastVector256ToVector512(wi4);
            p4 = Vector512.FusedMultiplyAdd(x01, v, p4);
            q4 = Vector512.FusedMultiplyAdd(x23, v, q4);
            v = Avx512DQ.BroadcastVector256ToVector512(wi4 + K);
            p5 = Vector512.FusedMultiplyAdd(x01, v, p5);
            q5 = Vector512.FusedMultiplyAdd(x23, v, q5);
            v = Avx512DQ.BroadcastVector256ToVector512(wi4 + (2 * K));
            p6 = Vector512.FusedMultiplyAdd(x01, v, p6);
            q6 = Vector512.FusedMultiplyAdd(x23, v, q6);
            v = Avx512DQ.BroadcastVector256ToVector512(wi4 + K3);
            p7 = Vector512.FusedMultiplyAdd(x01, v, p7);
            q7 = Vector512.FusedMultiplyAdd(x23, v, q7);
        }

        FinishPair(p0, p1, p2, p3, a, w, k, z, m);
        FinishPair(p4, p5, p6, p7, a, w + (4 * k), k, z + 4, m);
        FinishPair(q0, q1, q2, q3, a + (2 * k), w, k, z + (2 * m), m);
        FinishPair(q4, q5, q6, q7, a + (2 * k), w + (4 * k), k, z + (2 * m) + 4, m);
    }

    /// <summary>Z[0..2, 0..8] over <paramref name="blocks"/>: rows 0 and 1 share one register per neuron (8 accumulators).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)] // its own method, so its accumulators stay in registers
    private static void DotBlockPair2x8<TBlocks>(float* a, float* w, int k, float* z, int m, TBlocks blocks)
        where TBlocks : struct, IInputBlocks
    {
        Vector512<float> p0 = default, p1 = default, p2 = default, p3 = default, p4 = default, p5 = default, p6 = default, p7 = default;
        nint K = k, K3 = 3 * K;   // rows addressed as in DotBlockPairs4x8
        for (int t = 0; t < blocks.Count; t++)
        {
            int i = blocks.Offset(t);
            float* ai = a + i, wi = w + i, wi4 = w + i + (4 * K);
            Vector512<float> x01 = Pair(ai, ai + K);
            p0 = Vector512.FusedMultiplyAdd(x01, Avx512DQ.BroadcastVector256ToVector512(wi), p0);
            p1 = Vector512.FusedMultiplyAdd(x01, Avx512DQ.BroadcastVector256ToVector512(wi + K), p1);
            p2 = Vector512.FusedMultiplyAdd(x01, Avx512DQ.BroadcastVector256ToVector512(wi + (2 * K)), p2);
            p3 = Vector512.FusedMultiplyAdd(x01, Avx512DQ.BroadcastVector256ToVector512(wi + K3), p3);
            p4 = Vector512.FusedMultiplyAdd(x01, Avx512DQ.BroadcastVector256ToVector512(wi4), p4);
            p5 = Vector512.FusedMultiplyAdd(x01, Avx512DQ.BroadcastVector256ToVector512(wi4 + K), p5);
            p6 = Vector512.FusedMultiplyAdd(x01, Avx512DQ.BroadcastVector256ToVector512(wi4 + (2 * K)), p6);
            p7 = Vector512.FusedMultiplyAdd(x01, Avx512DQ.BroadcastVector256ToVector512(wi4 + K3), p7);
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
}
