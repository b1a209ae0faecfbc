using ScratchNet.Kernels;

namespace ScratchNet.Tests.Kernels;

/// <summary>Every fast kernel against its scalar reference, on shapes that are not multiples of the vector width.</summary>
public sealed class KernelTests
{
    public static TheoryData<int, int, int> Shapes => new()
    {
        { 1, 1, 1 }, { 1, 7, 3 }, { 3, 17, 5 }, { 10, 784, 16 }, { 13, 31, 11 }, { 2, 8, 9 }, { 7, 33, 1 }, { 5, 16, 4 }, { 9, 48, 13 }, { 64, 288, 64 }, { 50, 9, 32 }, { 300, 9, 64 }, { 600, 48, 8 }, { 7, 15, 16 },
    };

    /// <summary>Vector lengths around the width of a vector (8): a tail alone, a whole vector, vector and tail, many.</summary>
    public static TheoryData<int> Lengths => new() { 1, 7, 8, 17, 100 };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Matrix_products_match_the_reference(int n, int k, int m)
    {
        float[] a = TestNetworks.Random(n + k, -1, 1, n, k).Span.ToArray();
        float[] w = TestNetworks.Random(m + k, -1, 1, m, k).Span.ToArray();
        float[] b = TestNetworks.Random(m, -1, 1, m).Span.ToArray();
        float[] delta = TestNetworks.Random(n * m, -1, 1, n, m).Span.ToArray();

        AssertClose(Run(n * m, z => ReferenceKernels.MultiplyTransposedAddBias(a, w, b, z, n, k, m)), Run(n * m, z => Gemm.MultiplyTransposedAddBias(a, w, b, z, n, k, m)));
        AssertClose(Run(m * k, g => ReferenceKernels.TransposedMultiply(delta, a, g, n, k, m)), Run(m * k, g => Gemm.TransposedMultiply(delta, a, g, n, k, m)));
        AssertClose(Run(n * k, d => ReferenceKernels.Multiply(delta, w, d, n, k, m)), Run(n * k, d => Gemm.Multiply(delta, w, d, n, k, m)));
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Vector_operations_match_the_reference(int length)
    {
        float[] x = TestNetworks.Random(length, -1, 1, length).Span.ToArray();
        float[] y = TestNetworks.Random(length + 1, -1, 1, length).Span.ToArray();

        Assert.Equal(ReferenceKernels.Dot(x, y), VectorMath.Dot(x, y), 4);
        float[] expected = (float[])y.Clone();
        float[] actual = (float[])y.Clone();
        ReferenceKernels.Axpy(0.3f, x, expected);
        VectorMath.Axpy(0.3f, x, actual);
        AssertClose(expected, actual);
        ReferenceKernels.ScaleAxpy(0.99f, -1.5f, x, expected);
        VectorMath.ScaleAxpy(0.99f, -1.5f, x, actual);
        AssertClose(expected, actual);
    }

    [Theory]
    [InlineData(196, 288, 64)] // the ConvNet's second convolution for one digit, 3.6 M multiply-adds: split by rows in inference only
    [InlineData(1, 1152, 256)] // its dense layer for one digit: split by neurons (each core keeps half of W) in inference only
    [InlineData(3, 1000, 70)]
    public void Inference_splits_smaller_products_over_the_cores_and_gets_the_same_bits(int n, int k, int m)
    {
        float[] a = TestNetworks.Random(5, -1, 1, n, k).Span.ToArray();
        float[] w = TestNetworks.Random(6, -1, 1, m, k).Span.ToArray();
        float[] b = TestNetworks.Random(7, -1, 1, m).Span.ToArray();

        float[] training = Run(n * m, z => Gemm.MultiplyTransposedAddBias(a, w, b, z, n, k, m));
        float[] inference = Run(n * m, z => Gemm.MultiplyTransposedAddBias(a, w, b, z, n, k, m, unchangedWeights: true));

        Assert.Equal(training, inference);
        AssertClose(Run(n * m, z => ReferenceKernels.MultiplyTransposedAddBias(a, w, b, z, n, k, m)), inference);
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void The_one_pass_gradient_step_gives_the_bits_of_scaling_then_adding(int length)
    {
        // Sgd relies on it: switching from two passes to one did not change a trained weight.
        float[] x = TestNetworks.Random(length, -1, 1, length).Span.ToArray();
        float[] y = TestNetworks.Random(length + 1, -1, 1, length).Span.ToArray();
        float[] twoPasses = y.Select(v => 0.9999f * v).ToArray();
        VectorMath.Axpy(-0.37f, x, twoPasses);
        float[] onePass = (float[])y.Clone();

        VectorMath.ScaleAxpy(0.9999f, -0.37f, x, onePass);

        Assert.Equal(twoPasses, onePass);
    }

    [Theory]
    [InlineData(301, 300, 70)]  // past the threshold where the products run in parallel chunks; G split by neurons
    [InlineData(300, 900, 16)]  // A past 1 MB: G split by columns, 29 slabs of 32 (the last the 4 columns of the tail): slab 14's neurons in two halves of 8
    [InlineData(1000, 288, 64)] // conv2's 9 slabs of 32 columns: one range per core, the middle slab's neurons 0–31 on one, 32–63 on the other
    public void A_large_product_split_over_the_cores_gives_the_same_bits_as_each_row_or_neuron_alone(int n, int k, int m)
    {
        float[] a = TestNetworks.Random(1, -1, 1, n, k).Span.ToArray();
        float[] w = TestNetworks.Random(2, -1, 1, m, k).Span.ToArray();
        float[] b = TestNetworks.Random(3, -1, 1, m).Span.ToArray();
        float[] delta = TestNetworks.Random(4, -1, 1, n, m).Span.ToArray();

        float[] z = Run(n * m, z => Gemm.MultiplyTransposedAddBias(a, w, b, z, n, k, m));
        float[] d = Run(n * k, d => Gemm.Multiply(delta, w, d, n, k, m));
        float[] g = Run(m * k, g => Gemm.TransposedMultiply(delta, a, g, n, k, m));

        for (int r = 0; r < n; r += 37)
        {
            Assert.Equal(z.AsSpan(r * m, m).ToArray(), Run(m, row => Gemm.MultiplyTransposedAddBias(a.AsSpan(r * k, k), w, b, row, 1, k, m)));
            Assert.Equal(d.AsSpan(r * k, k).ToArray(), Run(k, row => Gemm.Multiply(delta.AsSpan(r * m, m), w, row, 1, k, m)));
        }

        for (int j = 0; j < m; j += 9)
        {
            float[] column = Enumerable.Range(0, n).Select(r => delta[(r * m) + j]).ToArray();
            Assert.Equal(g.AsSpan(j * k, k).ToArray(), Run(k, row => Gemm.TransposedMultiply(column, a, row, n, k, 1)));
        }
    }

    [Theory]
    [InlineData(10, 784, 16)] // the seed network's first layer at batch 10: blocks of 3, 3, 2, 2 rows
    [InlineData(1, 784, 16)]  // one digit
    [InlineData(25, 101, 9)]  // a tail of 5 inputs after the blocks of 8, and neurons left after blocks of 4
    [InlineData(7, 64, 70)]
    [InlineData(2100, 72, 16, 0.95)]  // one chunk of ≥ 256 rows: sampled first (Gemm.ListingPays), and listed
    [InlineData(2100, 72, 16, 0.0)]   // the same, dense: sampled, and not listed
    [InlineData(2048, 288, 16, 0.7)]  // chunks of 256 rows on two cores, some groups worth their list and some not
    public void Skipping_zero_blocks_of_the_input_changes_no_bit(int n, int k, int m, double blank = 0.7)
    {
        // Inputs like MNIST's: most blocks of 8 are 0 (some −0), the rest not; every row also alone, and all dense.
        float[] a = TestNetworks.Random(8, -1, 1, n, k).Span.ToArray();
        var random = new Random(9);
        for (int start = 0; start + 8 <= k; start += 8)
        {
            for (int r = 0; r < n; r++)
            {
                if (random.NextDouble() < blank)
                {
                    a.AsSpan((r * k) + start, 8).Fill(random.NextDouble() < 0.2 ? -0f : 0f);
                }
            }
        }

        float[] w = TestNetworks.Random(10, -1, 1, m, k).Span.ToArray();
        float[] b = TestNetworks.Random(11, -1, 1, m).Span.ToArray();

        float[] z = Run(n * m, z => Gemm.MultiplyTransposedAddBias(a, w, b, z, n, k, m));

        // The order every output is summed in, whatever block computes it: one vector dot product, then the bias.
        float[] expected = new float[n * m];
        for (int r = 0; r < n; r++)
        {
            for (int j = 0; j < m; j++)
            {
                expected[(r * m) + j] = VectorMath.Dot(w.AsSpan(j * k, k), a.AsSpan(r * k, k));
            }

            VectorMath.Axpy(1f, b, expected.AsSpan(r * m, m));
        }

        Assert.Equal(expected, z);
        for (int r = 0; r < n; r++)
        {
            Assert.Equal(expected.AsSpan(r * m, m).ToArray(), Run(m, row => Gemm.MultiplyTransposedAddBias(a.AsSpan(r * k, k), w, b, row, 1, k, m)));
        }
    }

    [Theory]
    [InlineData(10, 784, 16)]   // the seed network's first layer at batch 10
    [InlineData(300, 70, 13)]   // blocks of 128 rows that continue each other's sums, some blank in a slab and some not
    [InlineData(7, 40, 6)]
    public void The_weight_gradient_skips_blank_slabs_of_the_input_and_gets_the_bits_of_summing_every_row_in_order(int n, int k, int m)
    {
        // Slabs of 16 columns that are 0 (or −0) in every row of a block, as MNIST's blank borders are; the rest random.
        float[] a = TestNetworks.Random(12, -1, 1, n, k).Span.ToArray();
        var random = new Random(13);
        for (int start = 0; start + 16 <= k; start += 16)
        {
            for (int r0 = 0; r0 < n; r0 += 128)
            {
                if (random.NextDouble() < 0.5)
                {
                    for (int r = r0; r < Math.Min(n, r0 + 128); r++)
                    {
                        a.AsSpan((r * k) + start, 16).Fill(random.NextDouble() < 0.2 ? -0f : 0f);
                    }
                }
            }
        }

        float[] delta = TestNetworks.Random(14, -1, 1, n, m).Span.ToArray();

        float[] g = Run(m * k, g => Gemm.TransposedMultiply(delta, a, g, n, k, m));

        // Each G[j, c] of a slab: one fused multiply-add per row, in row order; the columns after the slabs, plainly.
        int slabs = k / 16 * 16;
        for (int j = 0; j < m; j++)
        {
            for (int c = 0; c < k; c++)
            {
                float sum = 0f;
                for (int r = 0; r < n; r++)
                {
                    sum = c < slabs ? MathF.FusedMultiplyAdd(delta[(r * m) + j], a[(r * k) + c], sum) : sum + (delta[(r * m) + j] * a[(r * k) + c]);
                }

                Assert.True(BitConverter.SingleToInt32Bits(sum) == BitConverter.SingleToInt32Bits(g[(j * k) + c]), $"G[{j}, {c}]: expected {sum}, got {g[(j * k) + c]}");
            }
        }
    }

    [Fact]
    public void Products_overwrite_what_the_output_held_before()
    {
        float[] g = Enumerable.Repeat(99f, 6).ToArray();

        Gemm.TransposedMultiply([1, 2], [1, 1, 1], g, 1, 3, 2);

        Assert.Equal([1, 1, 1, 2, 2, 2], g);
    }

    /// <summary>The kernel's output, from a buffer of NaN (so a value it does not write shows).</summary>
    internal static float[] Run(int length, Action<float[]> kernel)
    {
        float[] result = Enumerable.Repeat(float.NaN, length).ToArray();
        kernel(result);
        return result;
    }

    /// <summary>Equal within a relative 10⁻⁵: another order of sums.</summary>
    internal static void AssertClose(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-5f * Math.Max(1f, Math.Abs(expected[i])), $"index {i}: expected {expected[i]}, got {actual[i]}");
        }
    }

    [Fact]
    public void IndexOfNonFinite_finds_the_first_NaN_or_infinity_at_every_position_as_the_reference_does()
    {
        foreach (int length in new[] { 0, 1, 7, 15, 16, 17, 33, 100 })
        {
            float[] x = TestNetworks.Random(length, -3, 3, Math.Max(length, 1)).Span[..length].ToArray();
            Assert.Equal(-1, VectorMath.IndexOfNonFinite(x));
            foreach (float bad in new[] { float.NaN, float.PositiveInfinity, float.NegativeInfinity })
            {
                for (int at = 0; at < length; at++)
                {
                    float[] y = (float[])x.Clone();
                    y[at] = bad;
                    if (at + 3 < length)
                    {
                        y[at + 3] = float.NaN;   // a later one must not hide the first
                    }

                    Assert.Equal(at, VectorMath.IndexOfNonFinite(y));
                    Assert.Equal(ReferenceKernels.IndexOfNonFinite(y, out _), VectorMath.IndexOfNonFinite(y));
                }
            }
        }

        Assert.Equal(-1, VectorMath.IndexOfNonFinite([float.MaxValue, float.MinValue, float.Epsilon, -0f]));
    }

    [Fact]
    public void IndexOfNonFinite_tells_whether_every_value_is_zero_as_the_reference_does()
    {
        foreach (int length in new[] { 0, 1, 15, 16, 17, 40, 64, 100 })
        {
            float[] zeros = new float[length];
            Assert.Equal(-1, VectorMath.IndexOfNonFinite(zeros, out bool allZero));
            Assert.True(allZero);
            for (int at = 0; at < length; at++)
            {
                foreach (float value in new[] { -0f, float.Epsilon, -1e-30f, 3f })
                {
                    float[] x = new float[length];
                    x[at] = value;
                    VectorMath.IndexOfNonFinite(x, out bool vector);
                    ReferenceKernels.IndexOfNonFinite(x, out bool reference);
                    Assert.Equal(reference, vector);
                    Assert.Equal(value == 0f, vector);
                }
            }
        }
    }
}
