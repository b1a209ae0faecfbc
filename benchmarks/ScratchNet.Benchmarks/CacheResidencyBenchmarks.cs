using System.Runtime.Intrinsics;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;

namespace ScratchNet.Benchmarks;

/// <summary>
/// A product's shape for <see cref="CacheResidencyBenchmarks"/>: conv2's k and m with as many rows as make A and Δ
/// fit in a core's L2, or not, so the table shows what fetching them costs the same register blocks.
/// </summary>
/// <param name="Where">Where A and Δ live while the calls repeat: "L2", or "past-L2" (the shared L3 and memory).</param>
/// <param name="N">Rows of A and Δ.</param>
public sealed record ResidencyShape(string Where, int N) : IFlopCount
{
    /// <summary>Columns of A: conv2's 3·3·32 patch values.</summary>
    public const int K = 288;

    /// <summary>Rows of W: conv2's 64 filters.</summary>
    public const int M = 64;

    /// <inheritdoc />
    public double Flops(string method) => method == nameof(CacheResidencyBenchmarks.Peak)
        ? CacheResidencyBenchmarks.PeakFlops
        : 2.0 * N * K * M;

    /// <inheritdoc />
    public override string ToString() => $"{Where} {N}x{K}x{M}";
}

/// <summary>
/// The counter behind "what limits the products": the convolutions' products at conv2's k and m, once with A and Δ
/// small enough to stay in a core's 1 MB L2 between calls (512 rows, 0.6 MB) and once at conv2's real 12,544 rows
/// (A 14 MB, fetched on every call from the L3 the machine shares with other tenants, and from memory), beside the
/// FMA peak measured in the same job. The same blocks run in both; only where their operands come from differs. The
/// job runs on one thread (<c>DOTNET_PROCESSOR_COUNT=1</c>, so no product splits), whose peak the other vCPU's load
/// moves least. This VM exposes no hardware performance counters (<c>perf stat -e cycles</c>: not supported), so
/// this table stands in for them.
/// </summary>
/// <remarks>
/// Run: <c>dotnet run -c Release --project benchmarks/ScratchNet.Benchmarks -- --filter '*CacheResidency*'</c>
/// (without <c>--job</c>: the class sets its own one-thread short job; about a minute).
/// </remarks>
[MemoryDiagnoser]
[Config(typeof(OneThreadConfig))]
public class CacheResidencyBenchmarks : GemmProducts
{
    private const int PeakIterations = 1_000_000;

    /// <summary>Floating-point operations of one <see cref="Peak"/> call: 10 chains of 512-bit multiply-adds.</summary>
    public static double PeakFlops => PeakIterations * 10.0 * Vector512<float>.Count * 2;

    /// <summary>The shapes measured.</summary>
    public static IEnumerable<ResidencyShape> Shapes => [new("L2", 512), new("past-L2", 64 * 14 * 14)];

    /// <summary>The shape of this run.</summary>
    [ParamsSource(nameof(Shapes))]
    public ResidencyShape Shape { get; set; } = null!;

    /// <summary>Random operands of the shape.</summary>
    [GlobalSetup]
    public void Setup() => Allocate(Shape.N, ResidencyShape.K, ResidencyShape.M);

    /// <summary>The ceiling: ten independent chains of 512-bit fused multiply-adds (PeerTimings' <c>FmaPeak</c>, NaN where 512-bit vectors are not accelerated).</summary>
    [Benchmark]
    public float Peak() => Vector512.IsHardwareAccelerated ? FmaPeak.Chains512(PeakIterations) : float.NaN;

    /// <summary><see cref="FlopConfig"/> with one short job on one thread.</summary>
    public sealed class OneThreadConfig : ManualConfig
    {
        /// <summary>The GFLOP/s column and the one-thread job.</summary>
        public OneThreadConfig()
        {
            AddColumn(new FlopColumn());
            AddJob(Job.ShortRun.WithEnvironmentVariables(new EnvironmentVariable("DOTNET_PROCESSOR_COUNT", "1")).WithId("1 thread"));
        }
    }
}
