using ScratchNet.Kernels;
using static ScratchNet.Tests.Kernels.KernelTests;

namespace ScratchNet.Tests.Kernels;

/// <summary>
/// The 128-bit kernels that ARM64 runs (GemmPortableBlocks.cs), run here on x86 through the same portable API:
/// against the scalar reference on odd shapes, and against the order of sums they promise, bit for bit.
/// </summary>
public sealed class PortableKernelTests
{
    [Theory]
    [MemberData(nameof(KernelTests.Shapes), MemberType = typeof(KernelTests))]
    [InlineData(6, 12, 7)]   // 3 whole vectors of k, 1 neuron after a block of 4, rows in pairs
    [InlineData(5, 21, 9)]   // a tail of 5 columns after two 8-column slabs, a last odd row
    [InlineData(300, 70, 6)] // 3 blocks of 128 rows that continue each other's sums
    public void The_portable_products_match_the_reference(int n, int k, int m)
    {
        (float[] a, float[] w, float[] b, float[] delta) = Operands(n, k, m);

        AssertClose(Run(n * m, z => ReferenceKernels.MultiplyTransposedAddBias(a, w, b, z, n, k, m)), Run(n * m, z => Gemm.MultiplyTransposedAddBias128(a, w, b, z, n, k, m)));
        AssertClose(Run(m * k, g => ReferenceKernels.TransposedMultiply(delta, a, g, n, k, m)), Run(m * k, g => Gemm.TransposedMultiply128(delta, a, g, n, k, m)));
        AssertClose(Run(n * k, d => ReferenceKernels.Multiply(delta, w, d, n, k, m)), Run(n * k, d => Gemm.Multiply128(delta, w, d, n, k, m)));
    }

    [Theory]
    [InlineData(10, 784, 16)]
    [InlineData(5, 21, 9)]
    [InlineData(300, 70, 6)]
    public void Every_output_is_summed_in_the_promised_order_so_a_row_gets_the_same_bits_anywhere(int n, int k, int m)
    {
        (float[] a, float[] w, float[] b, float[] delta) = Operands(n, k, m);
        float[] z = Run(n * m, z => Gemm.MultiplyTransposedAddBias128(a, w, b, z, n, k, m));
        float[] g = Run(m * k, g => Gemm.TransposedMultiply128(delta, a, g, n, k, m));
        float[] d = Run(n * k, d => Gemm.Multiply128(delta, w, d, n, k, m));
        int slabs = k / 8 * 8;
        for (int r = 0; r < n; r++)
        {
            // Forward: one row alone (a block of 1) gives the bits it gets inside a block of 2.
            float[] alone = Run(m, zr => Gemm.MultiplyTransposedAddBias128(a.AsSpan(r * k, k), w, b, zr, 1, k, m));
            for (int j = 0; j < m; j++)
            {
                AssertBits(alone[j], z[(r * m) + j], $"Z[{r}, {j}]");
            }

            // Input gradient: one fused multiply-add per neuron, in order, in the slabs of 8 and in the tail alike.
            for (int c = 0; c < k; c++)
            {
                float sum = 0f;
                for (int j = 0; j < m; j++)
                {
                    sum = MathF.FusedMultiplyAdd(delta[(r * m) + j], w[(j * k) + c], sum);
                }

                AssertBits(sum, d[(r * k) + c], $"D[{r}, {c}]");
            }
        }

        // Weight gradient: one fused multiply-add per row, in row order, across the blocks of 128 rows.
        for (int j = 0; j < m; j++)
        {
            for (int c = 0; c < k; c++)
            {
                float sum = 0f;
                for (int r = 0; r < n; r++)
                {
                    sum = MathF.FusedMultiplyAdd(delta[(r * m) + j], a[(r * k) + c], sum);
                }

                AssertBits(sum, g[(j * k) + c], $"G[{j}, {c}] (slabs end at {slabs})");
            }
        }
    }

    [Fact]
    public void The_portable_products_overwrite_what_the_output_held_before()
    {
        float[] z = [99, 99], g = Enumerable.Repeat(99f, 6).ToArray(), d = Enumerable.Repeat(99f, 3).ToArray();

        Gemm.MultiplyTransposedAddBias128([1, 1, 1], [1, 2, 3, 4, 5, 6], [10, 20], z, 1, 3, 2);
        Gemm.TransposedMultiply128([1, 2], [1, 1, 1], g, 1, 3, 2);
        Gemm.Multiply128([1, 2], [1, 2, 3, 4, 5, 6], d, 1, 3, 2);

        Assert.Equal([16, 35], z);
        Assert.Equal([1, 1, 1, 2, 2, 2], g);
        Assert.Equal([9, 12, 15], d);
    }

    [Theory]
    [InlineData(1, 784, 16)]     // one seed digit
    [InlineData(2 * 196, 288, 64)] // the ConvNet's second convolution, two digits
    [InlineData(16, 1152, 256)]  // its first dense layer, the last batch of an evaluation
    [InlineData(16, 256, 10)]    // its last layer: 2 neurons after two blocks of 4
    [InlineData(7, 33, 9)]       // every tail at once
    [InlineData(5, 3, 1)]        // fewer columns than a vector
    public void The_portable_products_write_nothing_past_their_outputs(int n, int k, int m)
    {
        // Pointer arithmetic in the blocks: a write past an output (on ARM64, where these run, it would land in
        // whatever object the heap put next) shows here as a changed sentinel after the output's last value.
        const int Guard = 64;
        const float Sentinel = 12345f;
        (float[] a, float[] w, float[] b, float[] delta) = Operands(n, k, m);
        float[] z = Guarded(n * m), g = Guarded(m * k), d = Guarded(n * k);

        Gemm.MultiplyTransposedAddBias128(a, w, b, z.AsSpan(0, n * m), n, k, m);
        Gemm.TransposedMultiply128(delta, a, g.AsSpan(0, m * k), n, k, m);
        Gemm.Multiply128(delta, w, d.AsSpan(0, n * k), n, k, m);

        Assert.All(z[(n * m)..], v => Assert.Equal(Sentinel, v));
        Assert.All(g[(m * k)..], v => Assert.Equal(Sentinel, v));
        Assert.All(d[(n * k)..], v => Assert.Equal(Sentinel, v));

        static float[] Guarded(int length) => [.. new float[length], .. Enumerable.Repeat(Sentinel, Guard)];
    }

    private static (float[] A, float[] W, float[] B, float[] Delta) Operands(int n, int k, int m) =>
        (TestNetworks.Random(n + k, -1, 1, n, k).Span.ToArray(), TestNetworks.Random(m + k, -1, 1, m, k).Span.ToArray(),
         TestNetworks.Random(m, -1, 1, m).Span.ToArray(), TestNetworks.Random(n * m, -1, 1, n, m).Span.ToArray());

    private static void AssertBits(float expected, float actual, string what) =>
        Assert.True(BitConverter.SingleToInt32Bits(expected) == BitConverter.SingleToInt32Bits(actual), $"{what}: expected {expected}, got {actual}");
}
