using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace ScratchNet.Kernels;

/// <summary>Hints to the processor to load data into its caches before it is needed; changes no value.</summary>
internal static class CachePrefetch
{
    /// <summary>Starts loading rows <paramref name="rows"/> (each <paramref name="rowLength"/> elements) of <paramref name="data"/> into the L2 cache.</summary>
    public static unsafe void Rows<T>(ReadOnlySpan<T> data, int rowLength, ReadOnlySpan<int> rows)
        where T : unmanaged
    {
        // Checked on every processor, so a caller's bad row shows on Arm too, where nothing is prefetched.
        int rowCount = data.Length / rowLength;
        foreach (int n in rows)
        {
            if ((uint)n >= (uint)rowCount)
            {
                throw new ArgumentOutOfRangeException(nameof(rows), n, $"Row {n} is outside the {rowCount} rows given.");
            }
        }

        if (!Sse.IsSupported)
        {
            return;
        }

        int rowBytes = rowLength * sizeof(T);
        fixed (T* start = &MemoryMarshal.GetReference(data))
        {
            foreach (int n in rows)
            {
                // Every cache line the row touches: a short row (a 10-float target) may straddle two.
                byte* row = (byte*)start + ((long)n * rowBytes);
                for (byte* line = (byte*)((nuint)row & ~(nuint)63); line < row + rowBytes; line += 64)
                {
                    Sse.Prefetch1(line);
                }
            }
        }
    }
}
