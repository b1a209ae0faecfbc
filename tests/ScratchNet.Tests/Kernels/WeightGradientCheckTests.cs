using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using FsCheck.Xunit;
using ScratchNet.Kernels;

namespace ScratchNet.Tests.Kernels;

/// <summary>
/// The weight-gradient product says whether it found every value of G finite as it wrote it (its register blocks
/// add up what they store into a probe that turns NaN on an infinity or a NaN); the training guard trusts a "yes"
/// and reads G itself otherwise. A "yes" must never come with a value that is not finite, on either width of blocks.
/// </summary>
/// <remarks>As in <see cref="WideKernelTests"/>, the tests switch <see cref="Gemm.WideBlocks"/>; both widths give the same bits.</remarks>
[Collection(nameof(WideBlocksSwitch))]
public sealed class WeightGradientCheckTests
{
    /// <summary>Where the 256- or 512-bit blocks run (x86 with AVX2 and FMA); the 128-bit blocks of ARM64 check nothing and always say "not checked".</summary>
    private static bool Checks => Vector256.IsHardwareAccelerated && Fma.IsSupported;

    [Theory]
    [MemberData(nameof(WideKernelTests.WideShapes), MemberType = typeof(WideKernelTests))]
    [MemberData(nameof(KernelTests.Shapes), MemberType = typeof(KernelTests))]
    public void Finite_operands_give_a_gradient_checked_finite(int n, int k, int m)
    {
        float[] a = TestNetworks.Random(n + k, -1, 1, n, k).Span.ToArray();
        float[] delta = TestNetworks.Random(n * m, -1, 1, n, m).Span.ToArray();
        foreach (bool wide in (bool[])[false, Vector512.IsHardwareAccelerated])
        {
            float[] g = new float[m * k];
            Assert.Equal(Checks, WithWidth(wide, () => Gemm.TransposedMultiply(delta, a, g, n, k, m)));
        }
    }

    [Theory]
    [InlineData(70)]  // a column in the first core's range of slabs
    [InlineData(460)] // in slab 14 of 29, whose neurons the two ranges split: 0–7 in the first, 8–15 in the second
    [InlineData(899)] // the tail's last column, in the last range
    public void A_gradient_split_by_columns_says_so_when_a_column_is_not_finite(int column)
    {
        const int n = 300, k = 900, m = 16; // A past 1 MB: the cores take columns
        float[] a = TestNetworks.Random(8, -1, 1, n, k).Span.ToArray();
        float[] delta = TestNetworks.Random(9, -1, 1, n, m).Span.ToArray();
        a[(290 * k) + column] = float.PositiveInfinity;
        float[] g = new float[m * k];

        bool checkedFinite = Gemm.TransposedMultiply(delta, a, g, n, k, m);

        Assert.False(checkedFinite);
        Assert.False(float.IsFinite(g[column]));
        Assert.True(float.IsFinite(g[column == 70 ? 71 : 0]));
    }

    [Property]
    public void A_gradient_said_to_be_finite_is_finite(int seed, byte rows, byte columns, byte neurons, byte poisons)
    {
        // Shapes across the blocks of 32, 16 and the tail, one or several blocks of 128 rows; up to 3 values of Δ or A
        // made infinite, NaN or huge (sums that overflow), where a slab may be skipped as blank or not.
        var random = new Random(seed);
        int n = 1 + (rows % 150) + (rows > 200 ? 128 : 0), k = 1 + (columns % 100), m = 1 + (neurons % 40);
        float[] a = TestNetworks.Random(seed, -1, 1, n, k).Span.ToArray();
        float[] delta = TestNetworks.Random(seed + 1, -1, 1, n, m).Span.ToArray();
        for (int c = 0; c + 16 <= k; c += 16)
        {
            if (random.Next(3) == 0)
            {
                for (int r = 0; r < n; r++)
                {
                    a.AsSpan((r * k) + c, 16).Clear();
                }
            }
        }

        float[] kinds = [float.NaN, float.PositiveInfinity, float.NegativeInfinity, 3e38f, -3e38f];
        for (int p = 0; p < poisons % 4; p++)
        {
            float[] target = random.Next(2) == 0 ? a : delta;
            target[random.Next(target.Length)] = kinds[random.Next(kinds.Length)];
        }

        foreach (bool wide in (bool[])[false, Vector512.IsHardwareAccelerated])
        {
            float[] g = new float[m * k];
            bool checkedFinite = WithWidth(wide, () => Gemm.TransposedMultiply(delta, a, g, n, k, m));

            Assert.True(!checkedFinite || g.All(float.IsFinite), $"n {n}, k {k}, m {m}, wide {wide}: said finite, but G holds {g.FirstOrDefault(v => !float.IsFinite(v))}");
            // Within one block of rows (≤ 128) a finite G of moderate values is always said finite; past it, a slab blank in
            // the last block keeps sums no probe saw, and the product says "not checked" (the guard reads G then).
            bool moderate = g.All(v => float.IsFinite(v) && Math.Abs(v) <= 1e37f);
            Assert.True(checkedFinite || !Checks || !moderate || n > 128, $"n {n}, k {k}, m {m}, wide {wide}: a finite G of moderate values not said finite");
        }
    }

    private static bool WithWidth(bool wide, Func<bool> product)
    {
        bool before = Gemm.WideBlocks;
        Gemm.WideBlocks = wide;
        try
        {
            return product();
        }
        finally
        {
            Gemm.WideBlocks = before;
        }
    }
}
