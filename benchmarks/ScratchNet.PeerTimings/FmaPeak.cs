using System.Diagnostics;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

/// <summary>
/// What the processor itself can do: ten independent chains of 256-bit fused multiply-adds, enough to
/// keep both FMA units busy, on one thread and on every core at once. The ceiling for any float kernel.
/// </summary>
internal static class FmaPeak
{
    private const long Iterations = 50_000_000;

    /// <summary>GFLOP/s of the chains on <paramref name="threads"/> threads together (a multiply-add counts as 2).</summary>
    public static double Measure(int threads)
    {
        if (!Fma.IsSupported)
        {
            return double.NaN;
        }

        Chains(1_000_000); // JIT
        long start = Stopwatch.GetTimestamp();
        var others = Enumerable.Range(1, threads - 1).Select(_ => new Thread(() => Chains(Iterations))).ToList();
        others.ForEach(t => t.Start());
        Chains(Iterations);
        others.ForEach(t => t.Join());
        double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        return threads * Iterations * 10 * Vector256<float>.Count * 2 / seconds / 1e9;
    }

    private static float Chains(long iterations)
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
}
