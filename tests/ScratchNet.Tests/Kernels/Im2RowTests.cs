using ScratchNet.Kernels;

namespace ScratchNet.Tests.Kernels;

/// <summary>im2row against its one-value-at-a-time twin, on geometries with padding, stride and odd channel counts.</summary>
public sealed class Im2RowTests
{
    [Theory]
    [InlineData(28, 28, 1, 3, 1, 1)] // the ConvNet's first convolution
    [InlineData(14, 14, 32, 3, 1, 1)]
    [InlineData(7, 9, 3, 5, 2, 2)]
    [InlineData(6, 5, 9, 3, 2, 0)]
    [InlineData(4, 4, 1, 5, 1, 2)]   // a kernel wider than the image is high
    public void Gathering_patches_equals_the_reference(int height, int width, int channels, int kernel, int stride, int padding)
    {
        var g = new Geometry(height, width, channels, kernel, stride, padding);
        float[] images = TestNetworks.Random(height + channels, -1, 1, 2, height, width, channels).Span.ToArray();
        int rows = 2 * g.OutHeight * g.OutWidth;
        float[] expected = new float[rows * g.Patch];
        float[] actual = Enumerable.Repeat(float.NaN, rows * g.Patch).ToArray(); // every value must be written

        ReferenceKernels.Im2RowGather(images, expected, g);
        Im2Row.Gather(images, actual, g);

        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Too_few_rows_for_the_patches_are_refused_with_both_counts()
    {
        var g = new Geometry(4, 4, 1, 3, 1, 1);

        var e = Assert.Throws<ArgumentException>(() => Im2Row.Gather(new float[16], new float[100], g));

        Assert.Equal("The rows hold 100 values, but the patches of the images need 144.", e.Message);
    }
}
