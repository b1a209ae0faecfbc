using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace ScratchNet.Kernels;

/// <summary>Hints to the processor to load data into its caches before it is needed; changes no value.</summary>
internal static class CachePrefetch
{
    /// <summary>
    /// Starts loading into L1 the <paramref name="count"/> consecutive floats from <paramref name="start"/>: for the
    /// matrix products, the next block's rows of the matrix they broadcast from (Gemm's input gradient, and its forward
    /// by outer products), when that matrix is larger than L2 and its rows are read in an order the hardware's
    /// prefetchers follow late. Measured in one harness alternating with and without, two threads: conv2
    /// (12,544 × 288 × 64) forward by outer products 284–287 → 292–300 GFLOP/s, input gradient 288–290 → 305–307;
    /// conv3 (3,136 × 576 × 128) 285–287 → 307–309 and 300–301 → 315–317; one thread 6–9% faster.
    /// </summary>
    public static unsafe void Lines(float* start, int count)
    {
        if (!Sse.IsSupported || count <= 0)
        {
            return;
        }

        for (int i = 0; i < count; i += 16)
        {
            Sse.Prefetch0(start + i);
        }

        Sse.Prefetch0(start + count - 1); // the last line, when the floats do not start on a line's boundary
    }

    /// <summary>
    /// Starts loading into L1 the first <paramref name="count"/> floats of each of <paramref name="rows"/> rows that start
    /// <paramref name="stride"/> floats apart: for the weight gradient, the next 32 columns of A's rows, which are k
    /// floats apart, a stride the hardware's prefetchers follow late. Measured on conv2 (12,544 × 288 × 64, two
    /// threads, one harness alternating): 202–224 → 219–243 GFLOP/s.
    /// </summary>
    public static unsafe void Strided(float* start, int rows, int stride, int count)
    {
        for (int r = 0; r < rows; r++)
        {
            Lines(start + ((long)r * stride), count);
        }
    }

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
