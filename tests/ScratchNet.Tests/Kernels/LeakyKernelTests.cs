using ScratchNet.Kernels;

namespace ScratchNet.Tests.Kernels;

/// <summary>The leaky ReLU kernels against the scalar rule, bit for bit, including 0, −0 and NaN.</summary>
public sealed class LeakyKernelTests
{
    [Theory]
    [MemberData(nameof(KernelTests.Lengths), MemberType = typeof(KernelTests))]
    public void The_leaky_ReLU_and_its_gradient_equal_the_scalar_rule(int length)
    {
        float[] z = TestNetworks.Random(length, -2, 2, length).Span.ToArray();
        float[] special = [0f, -0f, float.NaN, -1e-30f, 1e-30f];
        for (int i = 0; i < Math.Min(length, special.Length); i++)
        {
            z[(i * 3) % length] = special[i];
        }

        float[] delta = TestNetworks.Random(length + 1, -1, 1, length).Span.ToArray();
        float[] a = new float[length], aReference = new float[length], dz = new float[length], dzReference = new float[length];

        ElementwiseKernels.LeakyRectify(z, 0.01f, a);
        ReferenceKernels.LeakyPass(z, 0.01f, z, aReference);
        ElementwiseKernels.LeakyPass(z, 0.01f, delta, dz);
        ReferenceKernels.LeakyPass(z, 0.01f, delta, dzReference);

        Assert.Equal(aReference.Select(BitConverter.SingleToInt32Bits), a.Select(BitConverter.SingleToInt32Bits));
        Assert.Equal(dzReference.Select(BitConverter.SingleToInt32Bits), dz.Select(BitConverter.SingleToInt32Bits));
    }
}
