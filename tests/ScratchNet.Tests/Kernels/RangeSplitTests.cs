using ScratchNet.Kernels;

namespace ScratchNet.Tests.Kernels;

/// <summary>
/// Passes large enough to split over the cores (<see cref="RangeSplit"/>: from 2¹⁸ values) give the bits of the
/// same pass one image, or one small piece, at a time on one thread — and of the scalar references.
/// </summary>
public sealed class RangeSplitTests
{
    // The ConvNet's second block at batch 64: 14×14×32 images, 3×3 patches with padding 1; pooling 28×28×32 → 14×14×32.
    private const int Batch = 64;
    private static readonly Geometry Convolution = new(14, 14, 32, 3, 1, 1);
    private static readonly PoolShape Pooling = new(28, 28, 32, 2, 2, 14, 14);

    [Fact]
    public void The_passes_here_are_large_enough_to_split()
    {
        Assert.True(Batch * ((long)Convolution.Height * Convolution.Width * Convolution.Channels) >= RangeSplit.MinValues);
        Assert.True(Batch * (long)Pooling.ImageSize >= RangeSplit.MinValues);
    }

    [Fact]
    public void Gathering_patches_of_a_large_batch_equals_the_reference_and_one_image_at_a_time()
    {
        Geometry g = Convolution;
        int imageSize = g.Height * g.Width * g.Channels, rowsPerImage = g.OutHeight * g.OutWidth * g.Patch;
        float[] images = TestNetworks.Random(1, -1, 1, Batch, g.Height, g.Width, g.Channels).Span.ToArray();
        float[] split = Enumerable.Repeat(float.NaN, Batch * rowsPerImage).ToArray();
        float[] reference = new float[Batch * rowsPerImage];
        float[] alone = new float[Batch * rowsPerImage];

        Im2Row.Gather(images, split, g);
        ReferenceKernels.Im2RowGather(images, reference, g);
        for (int n = 0; n < Batch; n++)
        {
            Im2Row.Gather(images.AsSpan(n * imageSize, imageSize), alone.AsSpan(n * rowsPerImage, rowsPerImage), g);
        }

        Assert.Equal(reference, split);
        Assert.Equal(alone, split);
    }

    [Fact]
    public void Scattering_row_gradients_of_a_large_batch_equals_one_image_at_a_time()
    {
        Geometry g = Convolution;
        int imageSize = g.Height * g.Width * g.Channels, rowsPerImage = g.OutHeight * g.OutWidth * g.Patch;
        float[] rows = TestNetworks.Random(2, -1, 1, Batch * rowsPerImage).Span.ToArray();
        float[] split = Enumerable.Repeat(float.NaN, Batch * imageSize).ToArray();   // cleared first, then summed into
        float[] alone = new float[Batch * imageSize];

        Im2Row.Scatter(rows, split, g);
        for (int n = 0; n < Batch; n++)
        {
            Im2Row.Scatter(rows.AsSpan(n * rowsPerImage, rowsPerImage), alone.AsSpan(n * imageSize, imageSize), g);
        }

        Assert.Equal(alone, split);
    }

    [Fact]
    public void Pooling_a_large_batch_and_routing_its_gradient_equal_the_window_by_window_reference()
    {
        PoolShape p = Pooling;
        float[] z = TestNetworks.Random(3, -1, 1, Batch * p.ImageSize).Span.ToArray().Select(v => MathF.Round(v * 4) / 4).ToArray();   // ties
        float[] a = new float[Batch * p.OutputSize], aReference = new float[Batch * p.OutputSize];
        int[] where = new int[Batch * p.OutputSize], whereReference = new int[Batch * p.OutputSize];

        PoolingKernels.Pool<MaxPool2D.Larger>(z, a, where, p);
        int rowStride = p.Width * p.Channels, o = 0;
        for (int n = 0; n < Batch; n++)
        {
            for (int y = 0; y < p.OutHeight; y++)
            {
                for (int x = 0; x < p.OutWidth; x++, o += p.Channels)
                {
                    int corner = (n * p.ImageSize) + (y * p.Stride * rowStride) + (x * p.Stride * p.Channels);
                    ReferenceKernels.SelectWindow<MaxPool2D.Larger>(z, corner, rowStride, p.Channels, p.Size, aReference.AsSpan(o, p.Channels), whereReference.AsSpan(o, p.Channels));
                }
            }
        }

        Assert.Equal(aReference, a);
        Assert.Equal(whereReference, where);

        float[] da = TestNetworks.Random(4, -1, 1, Batch * p.OutputSize).Span.ToArray();
        float[] dz = Enumerable.Repeat(float.NaN, Batch * p.ImageSize).ToArray();
        float[] dzReference = new float[Batch * p.ImageSize];
        PoolingKernels.Route(da, where, dz, p);
        for (int i = 0; i < da.Length; i++)
        {
            dzReference[where[i]] += da[i];
        }

        Assert.Equal(dzReference, dz);
    }

    [Theory]
    [InlineData(1 << 18)]
    [InlineData((1 << 18) + 13)]   // a tail: the last range ends where the span does, padded as in one piece
    [InlineData(1_000_003)]
    public void Element_wise_maps_of_long_spans_give_the_bits_of_the_same_map_in_small_pieces(int length)
    {
        float[] x = TestNetworks.Random(5, -8, 8, length).Span.ToArray();
        float[] d = TestNetworks.Random(6, -1, 1, length).Span.ToArray();
        float[] y = new float[length], yPieces = new float[length];
        float[] g = new float[length], gPieces = new float[length];

        ElementwiseKernels.Map(x, y, default(Sigmoid.Function));
        ElementwiseKernels.Map(x, d, g, default(Relu.Gradient));
        for (int start = 0; start < length; start += 4096)   // pieces of whole vectors, each below the split
        {
            int count = Math.Min(4096, length - start);
            ElementwiseKernels.Map(x.AsSpan(start, count), yPieces.AsSpan(start, count), default(Sigmoid.Function));
            ElementwiseKernels.Map(x.AsSpan(start, count), d.AsSpan(start, count), gPieces.AsSpan(start, count), default(Relu.Gradient));
        }

        Assert.Equal(yPieces, y);
        Assert.Equal(gPieces, g);
    }
}
