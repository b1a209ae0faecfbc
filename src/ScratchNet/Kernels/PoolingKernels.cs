using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace ScratchNet.Kernels;

/// <summary>
/// A pooling layer's rule: whether a candidate value replaces the one kept so far in its window, in a
/// scalar form and an 8-lane form that must agree (max pooling: strictly larger).
/// </summary>
internal interface IWindowRule
{
    /// <summary>Whether <paramref name="candidate"/> replaces <paramref name="kept"/>.</summary>
    static abstract bool Replaces(float candidate, float kept);

    /// <summary>The same, lane by lane: all bits set where the candidate replaces the kept value.</summary>
    static abstract Vector256<float> Replaces(Vector256<float> candidate, Vector256<float> kept);
}

/// <summary>The sizes of one pooling: input images H×W×C, a size × size window every stride pixels, and the output H′×W′×C.</summary>
internal readonly record struct PoolShape(int Height, int Width, int Channels, int Size, int Stride, int OutHeight, int OutWidth)
{
    /// <summary>The values of one input image.</summary>
    public int ImageSize => Height * Width * Channels;

    /// <summary>The values of one output image.</summary>
    public int OutputSize => OutHeight * OutWidth * Channels;
}

/// <summary>
/// The generic driver of pooling over channels-last images: one size × size window per call, 8 channels at
/// a time, keeping per channel the value a layer's <see cref="IWindowRule"/> selects and where it was. The
/// scalar twin is <see cref="ReferenceKernels.SelectWindow{TRule}"/>.
/// </summary>
internal static unsafe class PoolingKernels
{
    /// <summary>
    /// Pools a batch of channels-last images: for every output pixel (y, x) of every image, the window of
    /// size × size from (y·stride, x·stride) through <see cref="SelectWindow{TRule}"/>,
    /// writing the values kept to <paramref name="output"/> and their indices in <paramref name="input"/> to
    /// <paramref name="argMax"/>. Large batches split by images over the cores (<see cref="RangeSplit"/>).
    /// </summary>
    public static void Pool<TRule>(ReadOnlySpan<float> input, Span<float> output, Span<int> argMax, PoolShape shape)
        where TRule : IWindowRule
    {
        int batch = input.Length / shape.ImageSize;
        int outputs = batch * shape.OutputSize;
        if (output.Length < outputs || argMax.Length < outputs)
        {
            throw new ArgumentException($"The pooling of {batch} images writes {outputs} values, but the output holds {output.Length} and the winners {argMax.Length}.");
        }

        fixed (float* z = input, a = output)
        fixed (int* at = argMax)
        {
            RangeSplit.Run(new Images<TRule>(z, input.Length, a, at, shape), batch, shape.ImageSize + (2L * shape.OutputSize));
        }
    }

    /// <summary>
    /// The backward pass of a pooling: dz = 0, then dz[argMax[o]] += da[o] for every output o in order (each
    /// image's winners lie in its own image); large batches split by images.
    /// </summary>
    public static void Route(ReadOnlySpan<float> da, ReadOnlySpan<int> argMax, Span<float> dz, PoolShape shape)
    {
        int batch = dz.Length / shape.ImageSize;
        if (da.Length != batch * shape.OutputSize || argMax.Length < da.Length)
        {
            throw new ArgumentException($"The gradient holds {da.Length} values and the winners {argMax.Length}, but {batch} images pool to {batch * shape.OutputSize}.");
        }

        fixed (float* pda = da, pdz = dz)
        fixed (int* at = argMax)
        {
            RangeSplit.Run(new Routes(pda, at, pdz, shape), batch, shape.ImageSize + (2L * shape.OutputSize));
        }
    }

    /// <summary>Images [from, to) of <see cref="Pool{TRule}"/>.</summary>
    private readonly struct Images<TRule>(float* z, int length, float* a, int* argMax, PoolShape shape) : IRangeWork
        where TRule : IWindowRule
    {
        public void Run(int from, int to)
        {
            var input = new ReadOnlySpan<float>(z, length);
            int channels = shape.Channels, rowStride = shape.Width * channels;
            int o = from * shape.OutputSize;
            for (int n = from; n < to; n++)
            {
                int image = n * shape.ImageSize;
                for (int y = 0; y < shape.OutHeight; y++)
                {
                    for (int x = 0; x < shape.OutWidth; x++, o += channels)
                    {
                        int corner = image + (y * shape.Stride * rowStride) + (x * shape.Stride * channels);
                        SelectWindow<TRule>(input, corner, rowStride, channels, shape.Size, new Span<float>(a + o, channels), new Span<int>(argMax + o, channels));
                    }
                }
            }
        }
    }

    /// <summary>Images [from, to) of <see cref="Route"/>.</summary>
    private readonly struct Routes(float* da, int* argMax, float* dz, PoolShape shape) : IRangeWork
    {
        public void Run(int from, int to)
        {
            new Span<float>(dz + ((long)from * shape.ImageSize), (to - from) * shape.ImageSize).Clear();
            for (int o = from * shape.OutputSize, end = to * shape.OutputSize; o < end; o++)
            {
                dz[argMax[o]] += da[o];
            }
        }
    }

    /// <summary>
    /// For every channel, the value of one size × size window that <typeparamref name="TRule"/> keeps (the
    /// first value, then each later one that replaces it), and the index in <paramref name="z"/> where it was.
    /// The window's top-left value of channel c is z[corner + c]; rows of the image are <paramref name="rowStride"/> apart.
    /// </summary>
    public static void SelectWindow<TRule>(ReadOnlySpan<float> z, int corner, int rowStride, int channels, int size, Span<float> a, Span<int> argMax)
        where TRule : IWindowRule
    {
        int last = corner + ((size - 1) * rowStride) + ((size - 1) * channels) + channels;
        if (last > z.Length || a.Length < channels || argMax.Length < channels)
        {
            throw new ArgumentException($"The window at {corner} ({size}×{size}, {channels} channels, rows {rowStride} apart) does not fit the {z.Length} values given.");
        }

        ref float pz = ref MemoryMarshal.GetReference(z);
        int c = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            Vector256<int> lanes = Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7);
            for (; c + 8 <= channels; c += 8)
            {
                Vector256<float> kept = Vector256.LoadUnsafe(ref pz, (nuint)(corner + c));
                Vector256<int> where = Vector256.Create(corner + c) + lanes;
                for (int u = 0; u < size; u++)
                {
                    for (int v = 0; v < size; v++)
                    {
                        int i = corner + (u * rowStride) + (v * channels) + c;
                        Vector256<float> candidate = Vector256.LoadUnsafe(ref pz, (nuint)i);
                        Vector256<float> replaces = TRule.Replaces(candidate, kept);
                        kept = Vector256.ConditionalSelect(replaces, candidate, kept);
                        where = Vector256.ConditionalSelect(replaces.AsInt32(), Vector256.Create(i) + lanes, where);
                    }
                }

                kept.CopyTo(a[c..]);
                where.CopyTo(argMax[c..]);
            }
        }

        // The channels left over after blocks of 8, one at a time.
        ReferenceKernels.SelectWindow<TRule>(z, corner, rowStride, channels, size, a, argMax, firstChannel: c);
    }
}
