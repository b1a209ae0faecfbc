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

    [Theory]
    [InlineData(1, 14, 14, 32, 64, true)]   // one digit through the ConvNet's second convolution: split over the cores
    [InlineData(1, 7, 7, 64, 128, true)]    // and its third
    [InlineData(1, 28, 28, 1, 32, true)]    // the first: few inputs per row, all rows gathered first
    [InlineData(3, 9, 7, 5, 10, false)]     // odd sizes, training (weights that change)
    [InlineData(2, 14, 14, 32, 40, true)]   // filters off the multiples of 8
    public void Gathering_while_multiplying_equals_gathering_then_multiplying_bit_for_bit(int n, int height, int width, int channels, int filters, bool unchangedWeights)
    {
        var c = new Convolution(n, new Geometry(height, width, channels, 3, 1, 1), filters);

        Im2Row.Gather(c.Images, c.ExpectedRows, c.G);
        Gemm.MultiplyTransposedAddBias(c.ExpectedRows, c.W, c.B, c.Expected, c.Pixels, c.G.Patch, filters, unchangedWeights);
        Im2Row.GatherMultiplyTransposedAddBias(c.Images, c.ActualRows, c.G, c.W, c.B, c.Actual, filters, unchangedWeights);

        Assert.Equal(c.ExpectedRows, c.ActualRows);
        Assert.Equal(c.Expected, c.Actual);
    }

    [Theory]
    [InlineData(5, 14, 14, 32, 64)]   // a training batch through the ConvNet's second convolution: split over the cores, panels of rows
    [InlineData(2, 28, 28, 1, 32)]    // the first convolution
    [InlineData(3, 9, 7, 5, 16)]      // odd sizes, one thread, a last panel of a few rows
    public void Gathering_while_multiplying_by_outer_products_equals_gathering_then_multiplying_bit_for_bit(int n, int height, int width, int channels, int filters)
    {
        var c = new Convolution(n, new Geometry(height, width, channels, 3, 1, 1), filters);

        Im2Row.Gather(c.Images, c.ExpectedRows, c.G);
        Gemm.MultiplyByTransposeAddBias(c.ExpectedRows, c.W, c.B, new float[c.G.Patch * filters], c.Expected, c.Pixels, c.G.Patch, filters);
        Im2Row.GatherMultiplyByTransposeAddBias(c.Images, c.ActualRows, c.G, c.W, c.B, new float[c.G.Patch * filters], c.Actual, filters);

        Assert.Equal(c.ExpectedRows, c.ActualRows);
        Assert.Equal(c.Expected, c.Actual);
    }

    [Fact]
    public void Gathering_while_multiplying_into_too_few_rows_is_refused_with_both_counts()
    {
        var g = new Geometry(4, 4, 1, 3, 1, 1);

        var e = Assert.Throws<ArgumentException>(() => Im2Row.GatherMultiplyTransposedAddBias(new float[16], new float[100], g, new float[18], new float[2], new float[32], 2, unchangedWeights: true));

        Assert.Equal("The rows hold 100 values, but the patches of the images need 144.", e.Message);
        var outer = Assert.Throws<ArgumentException>(() => Im2Row.GatherMultiplyByTransposeAddBias(new float[16], new float[100], g, new float[144], new float[16], new float[144], new float[256], 16));
        Assert.Equal("The rows hold 100 values, but the patches of the images need 144.", outer.Message);
    }

    [Fact]
    public void Too_few_rows_for_the_patches_are_refused_with_both_counts()
    {
        var g = new Geometry(4, 4, 1, 3, 1, 1);

        var e = Assert.Throws<ArgumentException>(() => Im2Row.Gather(new float[16], new float[100], g));

        Assert.Equal("The rows hold 100 values, but the patches of the images need 144.", e.Message);
    }

    /// <summary>Random images, W and b for one convolution, with room for the rows and outputs of two ways to compute it (the actual rows start as NaN: every value must be written).</summary>
    private sealed class Convolution(int n, Geometry g, int filters)
    {
        public Geometry G { get; } = g;

        public int Pixels { get; } = n * g.OutHeight * g.OutWidth;

        public float[] Images { get; } = TestNetworks.Random(7, -1, 1, n, g.Height, g.Width, g.Channels).Span.ToArray();

        public float[] W { get; } = TestNetworks.Random(8, -1, 1, filters, g.Patch).Span.ToArray();

        public float[] B { get; } = TestNetworks.Random(9, -1, 1, filters).Span.ToArray();

        public float[] ExpectedRows { get; } = new float[n * g.OutHeight * g.OutWidth * g.Patch];

        public float[] ActualRows { get; } = Enumerable.Repeat(float.NaN, n * g.OutHeight * g.OutWidth * g.Patch).ToArray();

        public float[] Expected { get; } = new float[n * g.OutHeight * g.OutWidth * filters];

        public float[] Actual { get; } = new float[n * g.OutHeight * g.OutWidth * filters];
    }
}
