using ScratchNet.Kernels;

namespace ScratchNet.Tests.Kernels;

/// <summary>The update driver with Adam's rule against the rule's scalar form alone: equal bit for bit, step after step.</summary>
public sealed class OptimizerKernelTests
{
    [Theory]
    [MemberData(nameof(KernelTests.Lengths), MemberType = typeof(KernelTests))]
    public void The_vector_and_scalar_forms_of_the_Adam_rule_agree_bit_for_bit(int length)
    {
        float[] w = TestNetworks.Random(length, -1, 1, length).Span.ToArray();
        float[] m = new float[length], v = new float[length];
        float[] wReference = (float[])w.Clone(), mReference = new float[length], vReference = new float[length];
        for (int t = 1; t <= 5; t++)
        {
            float[] gradient = TestNetworks.Random(100 + t, -3, 3, length).Span.ToArray();
            var step = new Adam.Rule(0.9f, 0.999f, 1f - MathF.Pow(0.9f, t), 1f - MathF.Pow(0.999f, t), 2e-3f, 1e-8f, 1f - (2e-3f * 1e-4f));

            OptimizerKernels.Update(w, gradient, m, v, step);
            ReferenceKernels.Update(wReference, gradient, mReference, vReference, step);

            Assert.Equal(wReference, w);
            Assert.Equal(mReference, m);
            Assert.Equal(vReference, v);
        }
    }
}
