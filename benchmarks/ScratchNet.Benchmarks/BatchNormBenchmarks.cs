using BenchmarkDotNet.Attributes;

namespace ScratchNet.Benchmarks;

/// <summary>
/// Batch norm over the ConvNet's three convolution outputs at batch 64 ([64, 28, 28, 32], [64, 14, 14, 64],
/// [64, 7, 7, 128]): passes over memory, no products, so time per call is the measure. Its maps split the rows over
/// the cores and its column sums the columns from 64 columns on (docs/performance-notes.md, round two, part six).
/// </summary>
[MemoryDiagnoser]
public class BatchNormBenchmarks
{
    private BatchNorm _layer = null!;
    private Tensor _input = null!;
    private Tensor _outputGradient = null!;

    /// <summary>Height (and width) of the images.</summary>
    [Params(28, 14, 7)]
    public int Side { get; set; }

    /// <summary>Random inputs and output gradient; one forward pass so that backward has something to work on.</summary>
    [GlobalSetup]
    public void Setup()
    {
        int channels = 32 * 28 / Side; // 32, 64, 128
        _layer = new BatchNorm(channels);
        _input = Workloads.RandomTensor(1, 64, Side, Side, channels);
        _outputGradient = Workloads.RandomTensor(2, 64, Side, Side, channels);
        _layer.Forward(_input, training: true);
    }

    /// <summary>Training forward: the batch's statistics (two column-sum passes), then ẑ and a = γ·ẑ + β.</summary>
    [Benchmark]
    public Tensor Forward() => _layer.Forward(_input, training: true);

    /// <summary>Backward: ∂C/∂β and ∂C/∂γ (two column-sum passes), then ∂C/∂z.</summary>
    [Benchmark]
    public Tensor Backward() => _layer.Backward(_outputGradient);
}
