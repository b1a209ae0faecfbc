using ScratchNet.Kernels;

namespace ScratchNet.Tests.Kernels;

/// <summary>The pooling driver with max pooling's rule against its scalar twin, with ties and odd channel counts.</summary>
public sealed class PoolingKernelTests
{
    [Theory]
    [InlineData(1, 2)]
    [InlineData(7, 2)]
    [InlineData(8, 3)]
    [InlineData(13, 2)]
    [InlineData(32, 2)]
    public void The_window_maximum_and_its_place_equal_the_scalar_version(int channels, int size)
    {
        // A 5×5 image; values rounded to a few levels so that windows hold ties.
        const int width = 5;
        float[] z = TestNetworks.Random(channels, -1, 1, 5 * width * channels).Span.ToArray().Select(v => MathF.Round(v * 2) / 2).ToArray();
        int rowStride = width * channels;
        foreach (int corner in new[] { 0, channels, rowStride + (2 * channels) })
        {
            float[] a = new float[channels], aReference = new float[channels];
            int[] where = new int[channels], whereReference = new int[channels];

            PoolingKernels.SelectWindow<MaxPool2D.Larger>(z, corner, rowStride, channels, size, a, where);
            ReferenceKernels.SelectWindow<MaxPool2D.Larger>(z, corner, rowStride, channels, size, aReference, whereReference);

            Assert.Equal(aReference, a);
            Assert.Equal(whereReference, where);
        }
    }

    [Fact]
    public void A_window_past_the_end_is_refused_with_its_place()
    {
        float[] z = new float[4 * 4 * 2];

        var e = Assert.Throws<ArgumentException>(() => PoolingKernels.SelectWindow<MaxPool2D.Larger>(z, 24, 8, 2, 2, new float[2], new int[2]));

        Assert.Equal("The window at 24 (2×2, 2 channels, rows 8 apart) does not fit the 32 values given.", e.Message);
    }
}
