using System.Diagnostics;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

/// <summary>
/// What the processor itself can do: ten independent chains of fused multiply-adds, enough to keep both FMA
/// units busy, on one thread and on every core at once; on 256-bit vectors, and on 512-bit ones where .NET
/// accelerates them. The larger is the ceiling for any float kernel: a Zen 5 core does two 512-bit
/// multiply-adds per cycle, twice the floats of two 256-bit ones (a Zen 4 core splits a 512-bit one in two).
/// </summary>
internal static class FmaPeak
{
    private const long Iterations = 50_000_000;

    /// <summary>
    /// GFLOP/s of the chains on <paramref name="threads"/> threads together (a multiply-add counts as 2), on
    /// 512-bit vectors when <paramref name="wide"/> (NaN where they are not accelerated), else on 256-bit ones.
    /// </summary>
    public static double Measure(int threads, bool wide = false)
    {
        if (wide ? !Vector512.IsHardwareAccelerated : !Fma.IsSupported)
        {
            return double.NaN;
        }

        Func<long, float> chains = wide ? Chains512 : Chains256;
        chains(1_000_000); // JIT
        long start = Stopwatch.GetTimestamp();
        var others = Enumerable.Range(1, threads - 1).Select(_ => new Thread(() => chains(Iterations))).ToList();
        others.ForEach(t => t.Start());
        chains(Iterations);
        others.ForEach(t => t.Join());
        double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        return threads * Iterations * 10 * (wide ? Vector512<float>.Count : Vector256<float>.Count) * 2 / seconds / 1e9;
    }

    private static float Chains256(long iterations)
    {
        Vector256<float> a0 = Vector256<float>.One, a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0, a8 = a0, a9 = a0;
        Vector256<float> m = Vector256.Create(0.9999999f), c = Vector256.Create(1e-7f);
        for (long i = 0; i < iterations; i++)
        {
            a0 = Fma.MultiplyAdd(a0, m, c);
            a1 = Fma.MultiplyAdd(a1, m, c);
            a2 = Fma.MultiplyAdd(a2, m, c);
            a3 = Fma.MultiplyAdd(a3, m, c);
            a4 = Fma.MultiplyAdd(a4, m, c);
            a5 = Fma.MultiplyAdd(a5, m, c);
            a6 = Fma.MultiplyAdd(a6, m, c);
            a7 = Fma.MultiplyAdd(a7, m, c);
            a8 = Fma.MultiplyAdd(a8, m, c);
            a9 = Fma.MultiplyAdd(a9, m, c);
        }

        return Vector256.Sum(a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9);
    }

    /// <summary>Ten chains of <paramref name="iterations"/> 512-bit multiply-adds each on this thread (also the peak row of the benchmarks' CacheResidencyBenchmarks).</summary>
    internal static float Chains512(long iterations)
    {
        Vector512<float> a0 = Vector512<float>.One, a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0, a8 = a0, a9 = a0;
        Vector512<float> m = Vector512.Create(0.9999999f), c = Vector512.Create(1e-7f);
        for (long i = 0; i < iterations; i++)
        {
            a0 = Vector512.FusedMultiplyAdd(a0, m, c);
            a1 = Vector512.FusedMultiplyAdd(a1, m, c);
            a2 = Vector512.FusedMultiplyAdd(a2, m, c);
            a3 = Vector512.FusedMultiplyAdd(a3, m, c);
            a4 = Vector512.FusedMultiplyAdd(a4, m, c);
            a5 = Vector512.FusedMultiplyAdd(a5, m, c);
            a6 = Vector512.FusedMultiplyAdd(a6, m, c);
            a7 = Vector512.FusedMultiplyAdd(a7, m, c);
            a8 = Vector512.FusedMultiplyAdd(a8, m, c);
            a9 = Vector512.FusedMultiplyAdd(a9, m, c);
        }

        return Vector512.Sum(a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9);
    }
}
