using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ScratchNet.Kernels;

/// <summary>
/// Register blocks on 512-bit vectors, for processors whose FMA units take them at full width (AMD Zen 5 does
/// two 512-bit multiply-adds per cycle, twice the floats of two 256-bit ones): when they run, and the blocks of
/// both gradients; the forward product's are in GemmWideForwardBlocks.cs. They give the same bits as the 256-bit
/// blocks, so a model trains to the same bytes on either kind of processor.
/// </summary>
/// <remarks>
/// <para>
/// Weight gradient: a slab is 32 columns of G, two vectors; a block holds 8 neurons of it, or 1 for those
/// left over. Each G[j, c] is still one chain of fused multiply-adds over the rows r in order, started at +0
/// or at what the previous block of rows left in G: the width only decides how many columns share a load,
/// never the order of a sum.
/// </para>
/// <para>
/// Input gradient: blocks of 6 rows × 64 columns of D, then 6 × 32, each D[r, c] one chain of fused multiply-adds
/// over the neurons j in order, as in the 256-bit blocks.
/// </para>
/// </remarks>
internal static unsafe partial class Gemm
{
    private const int WideWidth = 16; // floats per Vector512

    /// <summary>
    /// Whether the products take the 512-bit blocks: on by default where <see cref="Vector512"/> is accelerated
    /// (and AVX-512DQ, for the forward's inserts, exists). The tests turn it off to run the 256-bit blocks
    /// everywhere; both give the same bits.
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

    /// <summary>
    /// Neurons [from, to) of G[·, c..c+32] (+)= Σᵣ Δ[r, ·] ⊗ A[r, c..c+32], for the rows of one block. <paramref name="a"/> and
    /// <paramref name="g"/> point at column c. With <paramref name="check"/> (the last block of rows), returns ±0 in every lane
    /// when all the sums it stored are finite, and NaN in some lane, it may be, when one is not (see <see cref="FiniteProbe(Vector512{float})"/>).
    /// </summary>
    private static Vector512<float> WideSlab(float* delta, float* a, float* g, int rows, int k, int m, int from, int to, bool first, bool check)
    {
        Vector512<float> probe = Vector512<float>.Zero;
        int j = from;
        for (; j + 8 <= to; j += 8)
        {
            probe += OuterBlock8x32(delta + j, a, g + (j * k), rows, k, m, first, check);
        }

        for (; j < to; j++) // the networks here leave 0 or 2 neurons after the groups of 8 (ConvNet's 256 → 10)
        {
            probe += OuterBlock1x32(delta + j, a, g + (j * k), rows, k, m, first, check);
        }

        return probe;
    }

    /// <summary>
    /// ±0 in every lane when every value summed is finite; NaN in a lane where one of them is infinite or NaN (x·0 is
    /// NaN for those), or where the sum itself overflowed. The last is a false alarm only: the guard then reads the
    /// gradient value by value, as it would without the probe. The additions run beside the multiply-adds.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> FiniteProbe(Vector512<float> sum) => sum * Vector512<float>.Zero;

    /// <summary>
    /// G[j..j+8, c..c+32] (+)= Σᵣ Δ[r, j..j+8] ⊗ A[r, c..c+32]: 16 accumulators, 2 loads and 8 broadcasts per 16 multiply-adds.
    /// With <paramref name="check"/>, returns the <see cref="FiniteProbe(Vector512{float})"/> of the 16 vectors it stored.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)] // its own method, so its 16 accumulators stay in registers
    private static Vector512<float> OuterBlock8x32(float* delta, float* a, float* g, int n, int k, int m, bool first, bool check)
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
        return check ? FiniteProbe((((g00 + g01) + (g10 + g11)) + ((g20 + g21) + (g30 + g31))) + (((g40 + g41) + (g50 + g51)) + ((g60 + g61) + (g70 + g71)))) : default;
    }

    /// <summary>G[j, c..c+32] (+)= Σᵣ Δ[r, j]·A[r, c..c+32], for the neurons left over after the groups of 8; with <paramref name="check"/>, the <see cref="FiniteProbe(Vector512{float})"/> of what it stored.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> OuterBlock1x32(float* delta, float* a, float* g, int n, int k, int m, bool first, bool check)
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
        return check ? FiniteProbe(g0 + g1) : default;
    }

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

    /// <summary>
    /// D[r..r+6, c..c+64] = Σⱼ Δ[r..r+6, j] ⊗ W[j, c..c+64]: 24 accumulators, 4 loads and 6 broadcasts per 24 multiply-adds
    /// (a broadcast for every 4 multiply-adds instead of every 2). Each D[r, c] is the same chain of multiply-adds over j as in
    /// the smaller blocks, so the bits are theirs.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)] // its own method, so its 24 accumulators stay in registers
    private static void CombineBlock6x64(float* delta, float* w, float* d, int k, int m)
    {
        Vector512<float> d00 = default, d01 = default, d02 = default, d03 = default;
        Vector512<float> d10 = default, d11 = default, d12 = default, d13 = default;
        Vector512<float> d20 = default, d21 = default, d22 = default, d23 = default;
        Vector512<float> d30 = default, d31 = default, d32 = default, d33 = default;
        Vector512<float> d40 = default, d41 = default, d42 = default, d43 = default;
        Vector512<float> d50 = default, d51 = default, d52 = default, d53 = default;
        for (int j = 0; j < m; j++)
        {
            float* row = w + (j * k);
            Vector512<float> x0 = Vector512.Load(row);
            Vector512<float> x1 = Vector512.Load(row + WideWidth);
            Vector512<float> x2 = Vector512.Load(row + (2 * WideWidth));
            Vector512<float> x3 = Vector512.Load(row + (3 * WideWidth));
            Vector512<float> e;
            e = Vector512.Create(delta[j]);
            d00 = Vector512.FusedMultiplyAdd(e, x0, d00);
            d01 = Vector512.FusedMultiplyAdd(e, x1, d01);
            d02 = Vector512.FusedMultiplyAdd(e, x2, d02);
            d03 = Vector512.FusedMultiplyAdd(e, x3, d03);
            e = Vector512.Create(delta[m + j]);
            d10 = Vector512.FusedMultiplyAdd(e, x0, d10);
            d11 = Vector512.FusedMultiplyAdd(e, x1, d11);
            d12 = Vector512.FusedMultiplyAdd(e, x2, d12);
            d13 = Vector512.FusedMultiplyAdd(e, x3, d13);
            e = Vector512.Create(delta[(2 * m) + j]);
            d20 = Vector512.FusedMultiplyAdd(e, x0, d20);
            d21 = Vector512.FusedMultiplyAdd(e, x1, d21);
            d22 = Vector512.FusedMultiplyAdd(e, x2, d22);
            d23 = Vector512.FusedMultiplyAdd(e, x3, d23);
            e = Vector512.Create(delta[(3 * m) + j]);
            d30 = Vector512.FusedMultiplyAdd(e, x0, d30);
            d31 = Vector512.FusedMultiplyAdd(e, x1, d31);
            d32 = Vector512.FusedMultiplyAdd(e, x2, d32);
            d33 = Vector512.FusedMultiplyAdd(e, x3, d33);
            e = Vector512.Create(delta[(4 * m) + j]);
            d40 = Vector512.FusedMultiplyAdd(e, x0, d40);
            d41 = Vector512.FusedMultiplyAdd(e, x1, d41);
            d42 = Vector512.FusedMultiplyAdd(e, x2, d42);
            d43 = Vector512.FusedMultiplyAdd(e, x3, d43);
            e = Vector512.Create(delta[(5 * m) + j]);
            d50 = Vector512.FusedMultiplyAdd(e, x0, d50);
            d51 = Vector512.FusedMultiplyAdd(e, x1, d51);
            d52 = Vector512.FusedMultiplyAdd(e, x2, d52);
            d53 = Vector512.FusedMultiplyAdd(e, x3, d53);
        }

        d00.Store(d);
        d01.Store(d + WideWidth);
        d02.Store(d + (2 * WideWidth));
        d03.Store(d + (3 * WideWidth));
        d10.Store(d + k);
        d11.Store(d + k + WideWidth);
        d12.Store(d + k + (2 * WideWidth));
        d13.Store(d + k + (3 * WideWidth));
        d20.Store(d + (2 * k));
        d21.Store(d + (2 * k) + WideWidth);
        d22.Store(d + (2 * k) + (2 * WideWidth));
        d23.Store(d + (2 * k) + (3 * WideWidth));
        d30.Store(d + (3 * k));
        d31.Store(d + (3 * k) + WideWidth);
        d32.Store(d + (3 * k) + (2 * WideWidth));
        d33.Store(d + (3 * k) + (3 * WideWidth));
        d40.Store(d + (4 * k));
        d41.Store(d + (4 * k) + WideWidth);
        d42.Store(d + (4 * k) + (2 * WideWidth));
        d43.Store(d + (4 * k) + (3 * WideWidth));
        d50.Store(d + (5 * k));
        d51.Store(d + (5 * k) + WideWidth);
        d52.Store(d + (5 * k) + (2 * WideWidth));
        d53.Store(d + (5 * k) + (3 * WideWidth));
    }
}
