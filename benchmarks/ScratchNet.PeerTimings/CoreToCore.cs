using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

/// <summary>
/// What it costs to share a buffer between two cores, the measure that decides whether a small product is worth
/// splitting: the seed network's step moves its 313 KB batch, its 50 KB of weights and its 50 KB weight gradient,
/// and every one of them is written again at the next step. Three numbers, each the median of 2,000 rounds:
/// the round trip of a flag (a hand-off and its answer), the other core reading a buffer this one has just written,
/// and this core writing again a buffer the other core has read (each line must first be taken back from the other
/// core's cache), each against the same work on one core.
/// </summary>
internal static unsafe class CoreToCore
{
    private const int Rounds = 2_000;
    private const int Warmup = 200;

    /// <summary>The flag's round trip in microseconds, or NaN with one core.</summary>
    public static double RoundTrip()
    {
        if (Environment.ProcessorCount < 2)
        {
            return double.NaN;
        }

        var flag = new long[16];
        var partner = new Thread(() => Answer(flag, static () => { }));
        partner.Start();
        var times = new List<double>();
        for (int round = 0; round < 10 * Rounds; round++)
        {
            long start = Stopwatch.GetTimestamp();
            HandOff(flag, round);
            if (round >= Warmup)
            {
                times.Add(Stopwatch.GetElapsedTime(start).TotalMicroseconds);
            }
        }

        Stop(flag, partner);
        return Median(times);
    }

    /// <summary>
    /// For a buffer of <paramref name="bytes"/> bytes, in microseconds: the other core reading all of it right after
    /// this core wrote it (hand-off included), this core reading what it wrote itself, this core writing it again
    /// after the other core read it, and this core writing again what only it holds. NaN with one core.
    /// </summary>
    public static (double OtherReads, double SameReads, double RewriteShared, double RewriteOwn) Buffer(int bytes)
    {
        if (Environment.ProcessorCount < 2)
        {
            return (double.NaN, double.NaN, double.NaN, double.NaN);
        }

        var shared = new float[bytes / sizeof(float)];
        var own = new float[bytes / sizeof(float)];
        var flag = new long[16];
        var partner = new Thread(() => Answer(flag, () => Sum(shared)));
        partner.Start();
        List<double> otherReads = [], sameReads = [], rewriteShared = [], rewriteOwn = [];
        for (int round = 0; round < Rounds; round++)
        {
            bool keep = round >= Warmup;
            Time(keep ? rewriteShared : null, () => Fill(shared, round));
            Time(keep ? otherReads : null, () => HandOff(flag, round));
            Time(keep ? rewriteOwn : null, () => Fill(own, round));
            Time(keep ? sameReads : null, () => Sum(own));
        }

        Stop(flag, partner);
        return (Median(otherReads), Median(sameReads), Median(rewriteShared), Median(rewriteOwn));
    }

    /// <summary>Raises the flag to 2·round + 1 and spins until the partner answers with 2·round + 2.</summary>
    private static void HandOff(long[] flag, int round)
    {
        long go = (2L * round) + 1;
        Volatile.Write(ref flag[0], go);
        while (Volatile.Read(ref flag[0]) == go)
        {
        }
    }

    /// <summary>The partner: waits for each raised flag, runs <paramref name="work"/>, answers; stops at −1.</summary>
    private static void Answer(long[] flag, Action work)
    {
        long answered = 0;
        while (true)
        {
            long seen;
            while ((seen = Volatile.Read(ref flag[0])) == answered)
            {
            }

            if (seen < 0)
            {
                return;
            }

            work();
            answered = seen + 1;
            Volatile.Write(ref flag[0], answered);
        }
    }

    private static void Stop(long[] flag, Thread partner)
    {
        Volatile.Write(ref flag[0], -1);
        partner.Join();
    }

    private static void Time(List<double>? times, Action action)
    {
        long start = Stopwatch.GetTimestamp();
        action();
        times?.Add(Stopwatch.GetElapsedTime(start).TotalMicroseconds);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // measured from the first round, not after tiering
    private static void Fill(float[] values, int round)
    {
        var v = Vector256.Create((float)round);
        fixed (float* p = values)
        {
            for (int i = 0; i + Vector256<float>.Count <= values.Length; i += Vector256<float>.Count)
            {
                v.Store(p + i);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static float Sum(float[] values)
    {
        Vector256<float> s0 = Vector256<float>.Zero, s1 = s0, s2 = s0, s3 = s0;
        fixed (float* p = values)
        {
            for (int i = 0; i + (4 * Vector256<float>.Count) <= values.Length; i += 4 * Vector256<float>.Count)
            {
                s0 += Vector256.Load(p + i);
                s1 += Vector256.Load(p + i + 8);
                s2 += Vector256.Load(p + i + 16);
                s3 += Vector256.Load(p + i + 24);
            }
        }

        return Vector256.Sum((s0 + s1) + (s2 + s3));
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        return values[values.Count / 2];
    }
}
