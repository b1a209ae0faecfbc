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

/// <summary>
/// The generic driver of pooling over channels-last images: one size × size window per call, 8 channels at
/// a time, keeping per channel the value a layer's <see cref="IWindowRule"/> selects and where it was. The
/// scalar twin is <see cref="ReferenceKernels.SelectWindow{TRule}"/>.
/// </summary>
internal static class PoolingKernels
{
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
