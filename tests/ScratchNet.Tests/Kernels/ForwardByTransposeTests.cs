using ScratchNet.Kernels;
using static ScratchNet.Tests.Kernels.KernelTests;

namespace ScratchNet.Tests.Kernels;

/// <summary>
/// The forward by outer products, Z = A·(Wᵀ) + b (<see cref="Gemm.MultiplyByTransposeAddBias"/>), that convolutions train
/// with: its order of sums, written out in scalar code, and its independence from the batch and the threads.
/// </summary>
public sealed class ForwardByTransposeTests
{
    public static TheoryData<int, int, int> Shapes => new()
    {
        { 1, 9, 32 },      // one pixel of a first convolution
        { 7, 15, 16 },     // a tail of terms, one slab of 16 neurons
        { 13, 200, 64 },   // two blocks of 6 rows and one row left; one slab of 64
        { 8, 288, 48 },    // 4 + 4 rows; a slab of 32 and one of 16
        { 66, 288, 64 },   // the ConvNet's second convolution, 66 patches
        { 50, 576, 128 },  // its third, two slabs of 64
        { 1000, 144, 32 }, // the --fast recipe's second convolution: past the threshold where the rows split over the cores
        { 100, 196, 16 },  // batch 100 through 16 neurons, as the seed network's first layer: narrow blocks of 12 rows × 7, then 8 + 8
        { 23, 50, 16 },    // narrow blocks of 11 and 12 rows
        { 37, 20, 16 },    // narrow blocks of 12, 12, 6 and 7 rows
        { 9, 16, 16 },     // the seed network's second layer, one narrow block of 9 rows
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Each_output_is_one_chain_of_fused_multiply_adds_over_the_patch_in_order_then_the_bias(int n, int k, int m)
    {
        (float[] a, float[] w, float[] b) = Operands(n, k, m);

        float[] z = Run(n * m, z => Gemm.MultiplyByTransposeAddBias(a, w, b, new float[k * m], z, n, k, m));

        Assert.Equal(Chains(a, w, b, n, k, m), z);
        AssertClose(Run(n * m, z => ReferenceKernels.MultiplyTransposedAddBias(a, w, b, z, n, k, m)), z);
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void A_row_gets_the_same_bits_alone_as_in_the_batch_and_in_inference(int n, int k, int m)
    {
        (float[] a, float[] w, float[] b) = Operands(n, k, m);

        float[] batch = Run(n * m, z => Gemm.MultiplyByTransposeAddBias(a, w, b, new float[k * m], z, n, k, m));
        float[] inference = Run(n * m, z => Gemm.MultiplyByTransposeAddBias(a, w, b, new float[k * m], z, n, k, m, unchangedWeights: true));

        Assert.Equal(batch, inference);
        for (int r = 0; r < n; r += Math.Max(1, n / 7))
        {
            Assert.Equal(batch.AsSpan(r * m, m).ToArray(), Run(m, row => Gemm.MultiplyByTransposeAddBias(a.AsSpan(r * k, k), w, b, new float[k * m], row, 1, k, m)));
        }
    }

    [Fact]
    public void Too_little_room_for_the_transposed_weights_is_refused()
    {
        var exception = Assert.Throws<ArgumentException>(() => Gemm.MultiplyByTransposeAddBias(new float[6], new float[12], new float[4], new float[11], new float[8], 2, 3, 4));

        Assert.Equal("The bias has 4 values for 4 outputs and the room for Wᵀ 11 for 12.", exception.Message);
    }

    /// <summary>z[r, j] = (((0 + a₀w₀) + a₁w₁) + …) + b[j], each step one fused multiply-add: the order the blocks keep.</summary>
    private static float[] Chains(float[] a, float[] w, float[] b, int n, int k, int m)
    {
        float[] z = new float[n * m];
        for (int r = 0; r < n; r++)
        {
            for (int j = 0; j < m; j++)
            {
                float sum = 0f;
                for (int i = 0; i < k; i++)
                {
                    sum = MathF.FusedMultiplyAdd(a[(r * k) + i], w[(j * k) + i], sum);
                }

                z[(r * m) + j] = sum + b[j];
            }
        }

        return z;
    }

    /// <summary>Inputs with a third of their values zero (as after a ReLU), weights and biases in [−1, 1].</summary>
    private static (float[] A, float[] W, float[] B) Operands(int n, int k, int m)
    {
        float[] a = TestNetworks.Random(n + (3 * k), -1, 1, n, k).Span.ToArray();
        for (int i = 0; i < a.Length; i += 3)
        {
            a[i] = 0f;
        }

        return (a, TestNetworks.Random(m + k, -1, 1, m, k).Span.ToArray(), TestNetworks.Random(m, -1, 1, m).Span.ToArray());
    }
}
