using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ScratchNet.Kernels;

/// <summary>The sizes of one convolution: input H×W×C, a k×k filter, stride s, padding p, and what follows from them.</summary>
internal readonly record struct Geometry(int Height, int Width, int Channels, int Kernel, int Stride, int Padding)
{
    public int OutHeight => ((Height + (2 * Padding) - Kernel) / Stride) + 1;

    public int OutWidth => ((Width + (2 * Padding) - Kernel) / Stride) + 1;

    /// <summary>The values one output pixel sees: k·k·C.</summary>
    public int Patch => Kernel * Kernel * Channels;
}

/// <summary>
/// Turns a convolution into a matrix product. <see cref="Gather"/> copies, for every output pixel, the
/// k×k×C input values its filter sees into one row (zeros outside the image); <see cref="Scatter"/> is its
/// transpose, adding each row's gradient back onto the pixels it came from. Images are channels-last.
/// </summary>
internal static unsafe class Im2Row
{
    /// <summary>rows[(n, y, x), (u, v, c)] = a[n, y·s + u − p, x·s + v − p, c], or 0 outside the image; large batches split by samples over the cores (<see cref="RangeSplit"/>).</summary>
    public static void Gather(ReadOnlySpan<float> images, Span<float> rows, Geometry g)
    {
        fixed (float* source = images, target = rows)
        {
            BySamples(source, images.Length, target, rows.Length, g, scatter: false);
        }
    }

    /// <summary>
    /// The forward product of a convolution from its images: the patch rows gathered into <paramref name="rows"/> (as
    /// <see cref="Gather"/>) and Z = R·Wᵀ + b by <see cref="Gemm.MultiplyTransposedAddBias"/>'s dot products, where each
    /// core gathers the rows it then multiplies. The rows are left in <paramref name="rows"/> for the backward pass.
    /// </summary>
    public static void GatherMultiplyTransposedAddBias(ReadOnlySpan<float> images, Span<float> rows, Geometry g, ReadOnlySpan<float> w, ReadOnlySpan<float> b, Span<float> z, int filters, bool unchangedWeights)
    {
        int pixels = CheckRows(images.Length, rows.Length, g);
        fixed (float* source = images, target = rows)
        {
            Gemm.MultiplyTransposedAddBias(new PatchRows(source, target, g), rows, w, b, z, pixels, g.Patch, filters, unchangedWeights);
        }
    }

    /// <summary>
    /// The training forward of a convolution from its images: the patch rows gathered into <paramref name="rows"/> (as
    /// <see cref="Gather"/>) a panel at a time by the core that then multiplies them by outer products
    /// (<see cref="Gemm.MultiplyByTransposeAddBias"/>, W transposed into <paramref name="transposed"/>). The rows are
    /// left in <paramref name="rows"/> for the backward pass.
    /// </summary>
    public static void GatherMultiplyByTransposeAddBias(ReadOnlySpan<float> images, Span<float> rows, Geometry g, ReadOnlySpan<float> w, ReadOnlySpan<float> b, Span<float> transposed, Span<float> z, int filters)
    {
        int pixels = CheckRows(images.Length, rows.Length, g);
        fixed (float* source = images, target = rows)
        {
            Gemm.MultiplyByTransposeAddBias(new PatchRows(source, target, g), rows, w, b, transposed, z, pixels, g.Patch, filters, unchangedWeights: false);
        }
    }

    /// <summary>gradient[n, iy, ix, c] = Σ of rowGradient over every (output pixel, u, v) that read that input value; large batches split by samples.</summary>
    public static void Scatter(ReadOnlySpan<float> rowGradient, Span<float> gradient, Geometry g)
    {
        fixed (float* rowsAt = rowGradient, imagesAt = gradient)
        {
            BySamples(imagesAt, gradient.Length, rowsAt, rowGradient.Length, g, scatter: true);
        }
    }

    /// <summary>A gather or a scatter of the whole images in <paramref name="imagesLength"/> values, once the rows are known to hold their patches.</summary>
    private static void BySamples(float* images, int imagesLength, float* rows, int rowsLength, Geometry g, bool scatter)
    {
        CheckRows(imagesLength, rowsLength, g);
        int imageSize = g.Height * g.Width * g.Channels;
        int n = imagesLength / imageSize;
        int rowsPerImage = g.OutHeight * g.OutWidth * g.Patch;
        RangeSplit.Run(new Samples(images, rows, imageSize, rowsPerImage, g, scatter), n, imageSize + rowsPerImage);
    }

    /// <summary>The output pixels (patch rows) of the images in <paramref name="imagesLength"/> values, once rows of <paramref name="rowsLength"/> values are known to hold their patches.</summary>
    private static int CheckRows(int imagesLength, int rowsLength, Geometry g)
    {
        int pixels = imagesLength / (g.Height * g.Width * g.Channels) * g.OutHeight * g.OutWidth;
        return rowsLength >= pixels * g.Patch
            ? pixels
            : throw new ArgumentException($"The rows hold {rowsLength} values, but the patches of the images need {pixels * g.Patch}.");
    }

    /// <summary>The patch rows of pinned images, gathered range by range as a product asks for them.</summary>
    private readonly struct PatchRows(float* images, float* rows, Geometry g) : IRowSource
    {
        public void Fill(int from, int to) => GatherRows(ref *images, ref *rows, g, from, to);
    }

    /// <summary>Samples [from, to) of a gather or a scatter: each sample's image and patch rows are its own.</summary>
    private readonly struct Samples(float* images, float* rows, int imageSize, int rowsPerImage, Geometry g, bool scatter) : IRangeWork
    {
        public void Run(int from, int to)
        {
            var image = new Span<float>(images + ((long)from * imageSize), (to - from) * imageSize);
            var patches = new Span<float>(rows + ((long)from * rowsPerImage), (to - from) * rowsPerImage);
            if (scatter)
            {
                ScatterSamples(patches, image, g);
            }
            else
            {
                GatherSamples(image, patches, g);
            }
        }
    }

    /// <summary><see cref="Gather"/> on this thread: <paramref name="rows"/> holds the patches of exactly the images given.</summary>
    private static void GatherSamples(ReadOnlySpan<float> images, Span<float> rows, Geometry g)
    {
        int n = images.Length / (g.Height * g.Width * g.Channels);
        GatherRows(ref MemoryMarshal.GetReference(images), ref MemoryMarshal.GetReference(rows), g, 0, n * g.OutHeight * g.OutWidth);
    }

    /// <summary>Rows [from, to) of the patches, counted over all the images (row = (n·H′ + y)·W′ + x), on this thread.</summary>
    private static void GatherRows(ref float source, ref float target, Geometry g, int from, int to)
    {
        int imageSize = g.Height * g.Width * g.Channels;
        int pixels = g.OutHeight * g.OutWidth;
        int lineLength = g.Kernel * g.Channels;
        for (int row = from; row < to; row++)
        {
            int sample = row / pixels, y = (row - (sample * pixels)) / g.OutWidth, x = row - (sample * pixels) - (y * g.OutWidth);
            int image = sample * imageSize;
            int patch = row * g.Patch;

            // Columns v in [first, last) fall inside the image; the others read padding zeros.
            int ix = (x * g.Stride) - g.Padding;
            int first = Math.Max(0, -ix), last = Math.Min(g.Kernel, g.Width - ix);
            for (int u = 0; u < g.Kernel; u++)
            {
                int iy = (y * g.Stride) + u - g.Padding;
                ref float line = ref Unsafe.Add(ref target, patch + (u * lineLength));
                if ((uint)iy >= (uint)g.Height || last <= first)
                {
                    Fill(ref line, 0, lineLength);
                    continue;
                }

                Fill(ref line, 0, first * g.Channels);
                Copy(ref Unsafe.Add(ref source, image + (((iy * g.Width) + ix + first) * g.Channels)), ref Unsafe.Add(ref line, first * g.Channels), (last - first) * g.Channels);
                Fill(ref line, last * g.Channels, lineLength - (last * g.Channels));
            }
        }
    }

    /// <summary>Copies <paramref name="count"/> floats; a few (a 3×3 patch of a one-channel image) by a loop, which beats a memmove call.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Copy(ref float from, ref float to, int count)
    {
        if (count <= 8)
        {
            for (int i = 0; i < count; i++)
            {
                Unsafe.Add(ref to, i) = Unsafe.Add(ref from, i);
            }
        }
        else
        {
            MemoryMarshal.CreateReadOnlySpan(ref from, count).CopyTo(MemoryMarshal.CreateSpan(ref to, count));
        }
    }

    /// <summary>Zeros <paramref name="count"/> floats from <paramref name="start"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Fill(ref float line, int start, int count)
    {
        for (int i = 0; i < count; i++)
        {
            Unsafe.Add(ref line, start + i) = 0f;
        }
    }

    /// <summary><see cref="Scatter"/> on this thread, for exactly the images of <paramref name="gradient"/>.</summary>
    private static void ScatterSamples(ReadOnlySpan<float> rowGradient, Span<float> gradient, Geometry g)
    {
        gradient.Clear();
        int imageSize = g.Height * g.Width * g.Channels;
        int n = gradient.Length / imageSize;
        int row = 0;
        for (int sample = 0; sample < n; sample++)
        {
            Span<float> image = gradient.Slice(sample * imageSize, imageSize);
            for (int y = 0; y < g.OutHeight; y++)
            {
                for (int x = 0; x < g.OutWidth; x++, row++)
                {
                    ReadOnlySpan<float> patch = rowGradient.Slice(row * g.Patch, g.Patch);
                    for (int u = 0; u < g.Kernel; u++)
                    {
                        int iy = (y * g.Stride) + u - g.Padding;
                        if ((uint)iy >= (uint)g.Height)
                        {
                            continue;
                        }

                        int ix = (x * g.Stride) - g.Padding;
                        int first = Math.Max(0, -ix), last = Math.Min(g.Kernel, g.Width - ix);
                        if (last > first)
                        {
                            int count = (last - first) * g.Channels;
                            VectorMath.Axpy(
                                1f,
                                patch.Slice(((u * g.Kernel) + first) * g.Channels, count),
                                image.Slice(((iy * g.Width) + ix + first) * g.Channels, count));
                        }
                    }
                }
            }
        }
    }
}
