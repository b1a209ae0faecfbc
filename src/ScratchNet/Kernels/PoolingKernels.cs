using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace ScratchNet.Kernels;

/// <summary>Max pooling over channels-last images, 8 channels at a time, with a scalar twin in <see cref="ReferenceKernels"/>.</summary>
internal static class PoolingKernels
{
    /// <summary>
    /// The maximum of one size × size window for every channel, and the index in <paramref name="z"/> where
    /// it was. The window's top-left value of channel c is z[corner + c]; rows of the image are
    /// <paramref name="rowStride"/> apart. A later value wins only if strictly larger, so ties keep the first.
    /// </summary>
    public static void MaxWindow(ReadOnlySpan<float> z, int corner, int rowStride, int channels, int size, Span<float> a, Span<int> argMax)
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
                Vector256<float> best = Vector256.LoadUnsafe(ref pz, (nuint)(corner + c));
                Vector256<int> where = Vector256.Create(corner + c) + lanes;
                for (int u = 0; u < size; u++)
                {
                    for (int v = 0; v < size; v++)
                    {
                        int i = corner + (u * rowStride) + (v * channels) + c;
                        Vector256<float> candidate = Vector256.LoadUnsafe(ref pz, (nuint)i);
                        Vector256<float> larger = Vector256.GreaterThan(candidate, best);
                        best = Vector256.ConditionalSelect(larger, candidate, best);
                        where = Vector256.ConditionalSelect(larger.AsInt32(), Vector256.Create(i) + lanes, where);
                    }
                }

                best.CopyTo(a[c..]);
                where.CopyTo(argMax[c..]);
            }
        }

        // The channels left over after blocks of 8, one at a time.
        ReferenceKernels.MaxWindow(z, corner, rowStride, channels, size, a, argMax, firstChannel: c);
    }
}
