using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace ScratchNet.Benchmarks;

/// <summary>A benchmark parameter that knows how many floating-point operations each benchmark method does.</summary>
public interface IFlopCount
{
    /// <summary>Floating-point operations (a multiply-add counts 2) of one call of <paramref name="method"/>.</summary>
    /// <param name="method">The benchmark method's name.</param>
    double Flops(string method);
}

/// <summary>
/// A "GFLOP/s" column: the operations of one call, as the benchmark's <see cref="IFlopCount"/> parameter
/// counts them, divided by the mean time. Compare it with OpenBLAS's ≈ 125 GFLOP/s sgemm on this machine.
/// </summary>
public sealed class FlopColumn : IColumn
{
    /// <inheritdoc />
    public string Id => nameof(FlopColumn);

    /// <inheritdoc />
    public string ColumnName => "GFLOP/s";

    /// <inheritdoc />
    public bool AlwaysShow => true;

    /// <inheritdoc />
    public ColumnCategory Category => ColumnCategory.Custom;

    /// <inheritdoc />
    public int PriorityInCategory => 0;

    /// <inheritdoc />
    public bool IsNumeric => true;

    /// <inheritdoc />
    public UnitType UnitType => UnitType.Dimensionless;

    /// <inheritdoc />
    public string Legend => "Floating-point operations per call (multiply-add = 2) divided by the mean time, in 10⁹ per second";

    /// <inheritdoc />
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, summary.Style);

    /// <inheritdoc />
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        IFlopCount? count = benchmarkCase.Parameters.Items.Select(p => p.Value).OfType<IFlopCount>().FirstOrDefault();
        double? meanNanoseconds = summary[benchmarkCase]?.ResultStatistics?.Mean;
        if (count is null || meanNanoseconds is not > 0)
        {
            return "-";
        }

        double flops = count.Flops(benchmarkCase.Descriptor.WorkloadMethod.Name);
        return flops > 0 ? (flops / meanNanoseconds.Value).ToString("F1", System.Globalization.CultureInfo.InvariantCulture) : "-";
    }

    /// <inheritdoc />
    public bool IsAvailable(Summary summary) => true;

    /// <inheritdoc />
    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    /// <inheritdoc />
    public override string ToString() => ColumnName;
}

/// <summary>The configuration of the compute benchmarks: the default columns plus <see cref="FlopColumn"/>.</summary>
public sealed class FlopConfig : ManualConfig
{
    /// <summary>Adds the GFLOP/s column.</summary>
    public FlopConfig() => AddColumn(new FlopColumn());
}
