using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace ScratchNet.Kernels;

/// <summary>
/// D = Δ·W when D has 16 to 31 columns (one 512-bit slab of 16), as the forward by outer products of a layer of 16
/// neurons has (the seed network's 784 → 16): a slab that narrow gives each row one accumulator, so a block must take
/// many rows to keep both FMA units busy (4 cycles of latency × 2 units = 8 chains in flight). Blocks of 6 to 12
/// rows × 16 columns: per neuron j, one load of W[j, c..c+16] and a broadcast per row. Each D[r, c] is the same chain of
/// multiply-adds over j in order as in every other block, so the bits are theirs.
/// </summary>
internal static unsafe partial class Gemm
{
    /// <summary>
    /// How many of the <paramref name="left"/> rows the next narrow block takes: all of them up to 12, half of them up to
    /// 24 (so no block is left with fewer than 6), else 12; none below 6 (those go to the 256-bit blocks).
    /// </summary>
    private static int NarrowRows(int left) => left < 6 ? 0 : left <= 12 ? left : left <= 24 ? left / 2 : 12;

    /// <summary>
    /// Terms per pass of <see cref="CombineNarrowRows"/>: 256 rows of W (16 KB of a 16-wide slab) stay in L1 while every block
    /// of rows runs over them, instead of all of W streaming from L2 once per block.
    /// </summary>
    private const int NarrowTerms = 256;

    /// <summary>
    /// Rows [r, to) of D[·, c..c+16] in narrow blocks, as far as they go; returns the first row left. The sums run over
    /// j in passes of <see cref="NarrowTerms"/>, each block resuming from what it stored at the end of the last pass:
    /// still one chain per D[r, c], in order.
    /// </summary>
    private static int CombineNarrowRows(float* delta, float* w, float* d, int r, int to, int k, int m)
    {
        int first = r;
        for (int j = 0; j < m; j += NarrowTerms)
        {
            int terms = Math.Min(NarrowTerms, m - j);
            for (r = first; NarrowRows(to - r) > 0; r += NarrowRows(to - r))
            {
                CombineNarrowBlock(NarrowRows(to - r), delta + (r * m) + j, w + (j * k), d + (r * k), k, m, terms, resume: j > 0);
            }
        }

        return m > 0 ? r : first;
    }

    /// <summary>One narrow block of <paramref name="rows"/> (6 to 12) rows, compiled for that count.</summary>
    private static void CombineNarrowBlock(int rows, float* delta, float* w, float* d, int k, int m, int terms, bool resume)
    {
        switch (rows)
        {
            case 12:
                CombineNarrowBlock<Twelve>(delta, w, d, k, m, terms, resume);
                break;
            case 11:
                CombineNarrowBlock<Eleven>(delta, w, d, k, m, terms, resume);
                break;
            case 10:
                CombineNarrowBlock<Ten>(delta, w, d, k, m, terms, resume);
                break;
            case 9:
                CombineNarrowBlock<Nine>(delta, w, d, k, m, terms, resume);
                break;
            case 8:
                CombineNarrowBlock<Eight>(delta, w, d, k, m, terms, resume);
                break;
            case 7:
                CombineNarrowBlock<Seven>(delta, w, d, k, m, terms, resume);
                break;
            default:
                CombineNarrowBlock<Six>(delta, w, d, k, m, terms, resume);
                break;
        }
    }

    /// <summary>
    /// D[r..r+R, c..c+16] = Σⱼ Δ[r..r+R, j] ⊗ W[j, c..c+16] for R = <typeparamref name="TRows"/>'s count (6 to 12):
    /// R accumulators; the JIT compiles one copy per R and drops the rows past it.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)] // its own method, so its accumulators stay in registers
    private static void CombineNarrowBlock<TRows>(float* delta, float* w, float* d, int k, int m, int terms, bool resume)
        where TRows : struct, IRowCount
    {
        int rows = TRows.Count;
        nint K = k;
        Vector512<float> d0 = default, d1 = default, d2 = default, d3 = default, d4 = default, d5 = default;
        Vector512<float> d6 = default, d7 = default, d8 = default, d9 = default, d10 = default, d11 = default;
        if (resume)
        {
            d0 = Vector512.Load(d);
            d1 = Vector512.Load(d + K);
            d2 = Vector512.Load(d + (2 * K));
            d3 = Vector512.Load(d + (3 * K));
            d4 = Vector512.Load(d + (4 * K));
            d5 = Vector512.Load(d + (5 * K));
            d6 = rows > 6 ? Vector512.Load(d + (6 * K)) : default;
            d7 = rows > 7 ? Vector512.Load(d + (7 * K)) : default;
            d8 = rows > 8 ? Vector512.Load(d + (8 * K)) : default;
            d9 = rows > 9 ? Vector512.Load(d + (9 * K)) : default;
            d10 = rows > 10 ? Vector512.Load(d + (10 * K)) : default;
            d11 = rows > 11 ? Vector512.Load(d + (11 * K)) : default;
        }

        // Rows addressed from three bases (rows 0–4, 5–9, 10–11) plus 0, M, 2M, 3M or 4M, so the loop needs few registers.
        nint M = m, M3 = 3 * M;
        float* e = delta, f = delta + (5 * M), g = delta + (10 * M);
        for (int j = 0; j < terms; j++, e++, f++, g++)
        {
            Vector512<float> x = Vector512.Load(w + (j * k));
            d0 = Vector512.FusedMultiplyAdd(Vector512.Create(*e), x, d0);
            d1 = Vector512.FusedMultiplyAdd(Vector512.Create(e[M]), x, d1);
            d2 = Vector512.FusedMultiplyAdd(Vector512.Create(e[2 * M]), x, d2);
            d3 = Vector512.FusedMultiplyAdd(Vector512.Create(e[M3]), x, d3);
            d4 = Vector512.FusedMultiplyAdd(Vector512.Create(e[4 * M]), x, d4);
            d5 = Vector512.FusedMultiplyAdd(Vector512.Create(*f), x, d5);
            if (rows > 6)
            {
                d6 = Vector512.FusedMultiplyAdd(Vector512.Create(f[M]), x, d6);
            }

            if (rows > 7)
            {
                d7 = Vector512.FusedMultiplyAdd(Vector512.Create(f[2 * M]), x, d7);
            }

            if (rows > 8)
            {
                d8 = Vector512.FusedMultiplyAdd(Vector512.Create(f[M3]), x, d8);
            }

            if (rows > 9)
            {
                d9 = Vector512.FusedMultiplyAdd(Vector512.Create(f[4 * M]), x, d9);
            }

            if (rows > 10)
            {
                d10 = Vector512.FusedMultiplyAdd(Vector512.Create(*g), x, d10);
            }

            if (rows > 11)
            {
                d11 = Vector512.FusedMultiplyAdd(Vector512.Create(g[M]), x, d11);
            }
        }

        d0.Store(d);
        d1.Store(d + K);
        d2.Store(d + (2 * K));
        d3.Store(d + (3 * K));
        d4.Store(d + (4 * K));
        d5.Store(d + (5 * K));
        if (rows > 6)
        {
            d6.Store(d + (6 * K));
        }

        if (rows > 7)
        {
            d7.Store(d + (7 * K));
        }

        if (rows > 8)
        {
            d8.Store(d + (8 * K));
        }

        if (rows > 9)
        {
            d9.Store(d + (9 * K));
        }

        if (rows > 10)
        {
            d10.Store(d + (10 * K));
        }

        if (rows > 11)
        {
            d11.Store(d + (11 * K));
        }
    }

    /// <summary>A number of rows fixed at compile time, so a generic block is compiled once per count.</summary>
    private interface IRowCount
    {
        /// <summary>The number of rows.</summary>
        static abstract int Count { get; }
    }

    /// <summary>6 rows.</summary>
    private readonly struct Six : IRowCount
    {
        public static int Count => 6;
    }

    /// <summary>7 rows.</summary>
    private readonly struct Seven : IRowCount
    {
        public static int Count => 7;
    }

    /// <summary>8 rows.</summary>
    private readonly struct Eight : IRowCount
    {
        public static int Count => 8;
    }

    /// <summary>9 rows.</summary>
    private readonly struct Nine : IRowCount
    {
        public static int Count => 9;
    }

    /// <summary>10 rows.</summary>
    private readonly struct Ten : IRowCount
    {
        public static int Count => 10;
    }

    /// <summary>11 rows.</summary>
    private readonly struct Eleven : IRowCount
    {
        public static int Count => 11;
    }

    /// <summary>12 rows.</summary>
    private readonly struct Twelve : IRowCount
    {
        public static int Count => 12;
    }
}
