using System.Runtime.Intrinsics;
using ScratchNet.Kernels;
using static ScratchNet.Tests.Kernels.KernelTests;

namespace ScratchNet.Tests.Kernels;

/// <summary>
/// The 512-bit blocks (GemmWideBlocks.cs, GemmWideForwardBlocks.cs) against the 256-bit ones: the same bits on odd shapes, so a model
/// trains to the same bytes whichever a processor runs, and against the scalar reference.
/// </summary>
/// <remarks>
/// The tests switch <see cref="Gemm.WideBlocks"/> off and on again. Other tests that run at the same time
/// may take either blocks meanwhile, which changes none of their bits: that is what these tests prove.
/// </remarks>
[Collection(nameof(WideBlocksSwitch))]
public sealed class WideKernelTests
{
    public static TheoryData<int, int, int> WideShapes => new()
    {
        { 100, 784, 16 }, // the seed network's first layer at batch 100: row pairs in blocks of 4; slabs of 32 and one of 16
        { 11, 784, 16 },  // an odd row left for the 256-bit blocks
        { 9, 100, 13 },   // 8 neurons in 512-bit blocks, 5 left; a tail of 4 inputs, 3 slabs of 32 and 4 columns
        { 30, 48, 24 },   // rows past one panel of 24; a slab of 32 and one of 16
        { 300, 70, 12 },  // blocks of 128 rows that continue each other's sums
        { 2, 32, 8 },     // one pair, one group of neurons, one slab
        { 66, 288, 64 },  // the ConvNet's second convolution, 66 patches
        { 13, 200, 20 },  // input gradient: three slabs of 64 columns in 6-row blocks, then 8 columns one at a time; a row left
        { 100, 16, 16 },  // input gradient of the seed network's second layer at batch 100: narrow blocks of 12 rows × 7, then 8 + 8
        { 37, 20, 9 },    // narrow blocks of 12, 12, 6 and 7 rows of one 16-column slab, then 4 columns one at a time
        { 10, 24, 5 },    // one narrow block of 10 rows
        { 300, 900, 16 },  // weight gradient split by columns over the cores (A past 1 MB): 29 slabs, the middle one's neurons in two halves, the 4-column tail
    };

    [Theory]
    [MemberData(nameof(WideShapes))]
    [MemberData(nameof(KernelTests.Shapes), MemberType = typeof(KernelTests))]
    public void The_512_bit_blocks_give_the_bits_of_the_256_bit_blocks(int n, int k, int m)
    {
        (float[] a, float[] w, float[] b, float[] delta) = SparseOperands(n, k, m);

        (float[] Z, float[] G, float[] D) narrow = Products(wide: false, a, w, b, delta, n, k, m);
        (float[] Z, float[] G, float[] D) wide = Products(wide: Vector512.IsHardwareAccelerated, a, w, b, delta, n, k, m);

        Assert.Equal(narrow.Z, wide.Z);
        Assert.Equal(narrow.G, wide.G);
        Assert.Equal(narrow.D, wide.D);
        AssertClose(Run(n * m, z => ReferenceKernels.MultiplyTransposedAddBias(a, w, b, z, n, k, m)), wide.Z);
        AssertClose(Run(m * k, g => ReferenceKernels.TransposedMultiply(delta, a, g, n, k, m)), wide.G);
        AssertClose(Run(n * k, d => ReferenceKernels.Multiply(delta, w, d, n, k, m)), wide.D);
    }

    [Fact]
    public void The_products_take_the_512_bit_blocks_exactly_where_512_bit_vectors_are_fast()
    {
        Assert.Equal(Vector512.IsHardwareAccelerated && System.Runtime.Intrinsics.X86.Avx512DQ.IsSupported, Gemm.WideBlocks);
    }

    [Theory]
    [InlineData(16)]
    [InlineData(100)]
    [InlineData(13_002)] // the seed network's weights
    public void The_gradient_step_rounds_each_weight_the_same_way_wherever_it_sits(int length)
    {
        // One fused multiply-add per weight in the vector part (16 or 8 at a time), a rounded product then a sum in
        // the tail of fewer than 8: the same split with or without 512-bit vectors.
        float[] x = TestNetworks.Random(length, -1, 1, length).Span.ToArray();
        float[] y = TestNetworks.Random(length + 1, -1, 1, length).Span.ToArray();
        float[] actual = (float[])y.Clone();

        VectorMath.ScaleAxpy(0.9999f, -0.37f, x, actual);

        int vector = length / 8 * 8;
        for (int i = 0; i < length; i++)
        {
            float expected = i < vector
                ? MathF.FusedMultiplyAdd(-0.37f, x[i], 0.9999f * y[i])
                : (0.9999f * y[i]) + (-0.37f * x[i]);
            Assert.True(BitConverter.SingleToInt32Bits(expected) == BitConverter.SingleToInt32Bits(actual[i]), $"w[{i}]: expected {expected}, got {actual[i]}");
        }
    }

    private static (float[] Z, float[] G, float[] D) Products(bool wide, float[] a, float[] w, float[] b, float[] delta, int n, int k, int m)
    {
        bool before = Gemm.WideBlocks;
        Gemm.WideBlocks = wide;
        try
        {
            return (
                Run(n * m, z => Gemm.MultiplyTransposedAddBias(a, w, b, z, n, k, m)),
                Run(m * k, g => Gemm.TransposedMultiply(delta, a, g, n, k, m)),
                Run(n * k, d => Gemm.Multiply(delta, w, d, n, k, m)));
        }
        finally
        {
            Gemm.WideBlocks = before;
        }
    }

    /// <summary>Random operands whose inputs are blank in about half the blocks of 8 of a row, as MNIST's are, so the skips run too.</summary>
    private static (float[] A, float[] W, float[] B, float[] Delta) SparseOperands(int n, int k, int m)
    {
        float[] a = TestNetworks.Random(21, -1, 1, n, k).Span.ToArray();
        var random = new Random(22);
        for (int start = 0; start + 8 <= k; start += 8)
        {
            if (random.NextDouble() < 0.5)
            {
                for (int r = 0; r < n; r++)
                {
                    a.AsSpan((r * k) + start, 8).Clear();
                }
            }
        }

        return (a, TestNetworks.Random(23, -1, 1, m, k).Span.ToArray(), TestNetworks.Random(24, -1, 1, m).Span.ToArray(), TestNetworks.Random(25, -1, 1, n, m).Span.ToArray());
    }
}
