using ScratchNet.Kernels;

namespace ScratchNet.Tests.Kernels;

/// <summary>
/// The element-wise drivers with each activation's rule against the rule's scalar form run by the plain
/// reference driver, on lengths around the vector width, with 0, −0, NaN and tiny values mixed in.
/// </summary>
public sealed class ElementwiseKernelTests
{
    [Theory]
    [MemberData(nameof(KernelTests.Lengths), MemberType = typeof(KernelTests))]
    public void Forward_rules_that_round_alike_give_the_scalar_bits_including_the_padded_tail(int length)
    {
        float[] z = Inputs(length);

        AssertBits(Run(length, a => ReferenceKernels.Map<Relu.Function>(z, a)), Run(length, a => ElementwiseKernels.Map<Relu.Function>(z, a)));
        AssertBits(Run(length, a => ReferenceKernels.Map(z, a, new LeakyRelu.Function(0.01f))), Run(length, a => ElementwiseKernels.Map(z, a, new LeakyRelu.Function(0.01f))));
    }

    [Theory]
    [MemberData(nameof(KernelTests.Lengths), MemberType = typeof(KernelTests))]
    public void Backward_rules_give_the_scalar_bits_on_the_vector_part_and_the_tail(int length)
    {
        float[] z = Inputs(length);
        float[] a = TestNetworks.Random(length + 3, 0, 1, length).Span.ToArray();
        float[] d = TestNetworks.Random(length + 7, -1, 1, length).Span.ToArray();

        AssertBits(Run(length, g => ReferenceKernels.Map<Relu.Gradient>(z, d, g)), Run(length, g => ElementwiseKernels.Map<Relu.Gradient>(z, d, g)));
        AssertBits(Run(length, g => ReferenceKernels.Map(z, d, g, new LeakyRelu.Gradient(0.01f))), Run(length, g => ElementwiseKernels.Map(z, d, g, new LeakyRelu.Gradient(0.01f))));
        AssertBits(Run(length, g => ReferenceKernels.Map<Sigmoid.Gradient>(a, d, g)), Run(length, g => ElementwiseKernels.Map<Sigmoid.Gradient>(a, d, g)));
    }

    [Theory]
    [MemberData(nameof(KernelTests.Lengths), MemberType = typeof(KernelTests))]
    public void The_vector_sigmoid_stays_within_a_few_ulps_of_the_scalar_one_and_saturates_without_nan(int length)
    {
        // Vector256.Exp and MathF.Exp may differ in the last bits: hence Map's padded tail, and a tolerance here.
        float[] z = TestNetworks.Random(length, -6, 6, length).Span.ToArray();
        z[0] = -1000f;
        z[^1] = 1000f;

        float[] expected = Run(length, a => ReferenceKernels.Map<Sigmoid.Function>(z, a));
        float[] actual = Run(length, a => ElementwiseKernels.Map<Sigmoid.Function>(z, a));

        for (int i = 0; i < length; i++)
        {
            Assert.Equal(expected[i], actual[i], 1e-6f);
        }

        Assert.Equal(1f, actual[^1]);
        Assert.Equal(length == 1 ? 1f : 0f, actual[0]);
    }

    [Fact]
    public void A_sample_gets_the_same_bits_wherever_it_sits_in_the_batch()
    {
        float[] z = TestNetworks.Random(3, -6, 6, 19).Span.ToArray();
        float[] all = Run(19, a => ElementwiseKernels.Map<Sigmoid.Function>(z, a));

        for (int start = 0; start < 19; start++)
        {
            float[] one = Run(1, a => ElementwiseKernels.Map<Sigmoid.Function>(z.AsSpan(start, 1), a));
            Assert.Equal(BitConverter.SingleToInt32Bits(all[start]), BitConverter.SingleToInt32Bits(one[0]));
        }
    }

    [Fact]
    public void Spans_of_different_lengths_are_refused()
    {
        Assert.Throws<ArgumentException>(() => ElementwiseKernels.Map<Relu.Gradient>(new float[9], new float[8], new float[9]));
        Assert.Throws<ArgumentException>(() => ElementwiseKernels.Map<Relu.Function>(new float[9], new float[10]));
    }

    private static float[] Inputs(int length)
    {
        float[] z = TestNetworks.Random(length, -2, 2, length).Span.ToArray();
        float[] special = [0f, -0f, float.NaN, -1e-30f, 1e-30f];
        for (int i = 0; i < Math.Min(length, special.Length); i++)
        {
            z[(i * 3) % length] = special[i];
        }

        return z;
    }

    private static void AssertBits(float[] expected, float[] actual) =>
        Assert.Equal(expected.Select(BitConverter.SingleToInt32Bits), actual.Select(BitConverter.SingleToInt32Bits));

    private static float[] Run(int length, SpanAction kernel)
    {
        var output = new float[length];
        kernel(output);
        return output;
    }

    private delegate void SpanAction(Span<float> output);
}
