using ScratchNet.Kernels;

namespace ScratchNet.Tests.Kernels;

/// <summary>The vectorised Adam update against its scalar twin: equal bit for bit, step after step.</summary>
public sealed class OptimizerKernelTests
{
    [Theory]
    [MemberData(nameof(KernelTests.Lengths), MemberType = typeof(KernelTests))]
    public void The_Adam_update_equals_the_scalar_update(int length)
    {
        float[] w = TestNetworks.Random(length, -1, 1, length).Span.ToArray();
        float[] m = new float[length], v = new float[length];
        float[] wReference = (float[])w.Clone(), mReference = new float[length], vReference = new float[length];
        for (int t = 1; t <= 5; t++)
        {
            float[] gradient = TestNetworks.Random(100 + t, -3, 3, length).Span.ToArray();
            var step = new AdamStep(0.9f, 0.999f, 1f - MathF.Pow(0.9f, t), 1f - MathF.Pow(0.999f, t), 2e-3f, 1e-8f, 1f - (2e-3f * 1e-4f));

            OptimizerKernels.Adam(w, gradient, m, v, step);
            ReferenceKernels.Adam(wReference, gradient, mReference, vReference, step);

            Assert.Equal(wReference, w);
            Assert.Equal(mReference, m);
            Assert.Equal(vReference, v);
        }
    }
}
