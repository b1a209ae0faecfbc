using BenchmarkDotNet.Attributes;
using ScratchNet.Kernels;

namespace ScratchNet.Benchmarks;

/// <summary>
/// A matrix product's shape: A is n×k, W is m×k, as <see cref="Gemm"/> names them. Every product of the
/// three does n·k·m multiply-adds.
/// </summary>
/// <param name="Name">What in the networks has this shape.</param>
/// <param name="N">Rows of A: samples, or output pixels of a convolution.</param>
/// <param name="K">Columns of A: inputs per neuron, or values per patch.</param>
/// <param name="M">Rows of W: neurons, or filters.</param>
/// <param name="Digits">A holds the first n MNIST training digits instead of random values (so the products skip
/// their blank blocks, as in training); random when MNIST is not found.</param>
public sealed record GemmShape(string Name, int N, int K, int M, bool Digits = false) : IFlopCount
{
    /// <inheritdoc />
    public double Flops(string method) => 2.0 * N * K * M;

    /// <inheritdoc />
    public override string ToString() => $"{Name} {N}x{K}x{M}{(Digits ? " MNIST" : string.Empty)}";
}

/// <summary>
/// The three products of <see cref="Gemm"/> (and the forward by outer products that convolutions train with) at the
/// shapes the networks use: the seed network's first layer (n = 10 or 100 samples, k = 784 inputs, m = 16 neurons)
/// and the ConvNet's second and third convolutions as GEMMs at batch 64 (n = 64·14·14 output pixels, k = 3·3·32 patch
/// values, m = 64 filters; n = 64·7·7, k = 3·3·64, m = 128). The seed's layer also runs
/// on real digits: GFLOP/s there counts the multiply-adds of the whole product, blank blocks included, so it can
/// pass the FMA peak.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(FlopConfig))]
public class GemmBenchmarks : GemmProducts
{
    /// <summary>The shapes measured.</summary>
    public static IEnumerable<GemmShape> Shapes =>
    [
        new("seed-L1", 10, 784, 16),
        new("seed-L1", 100, 784, 16),
        new("seed-L1", 10, 784, 16, Digits: true),
        new("seed-L1", 100, 784, 16, Digits: true),
        new("conv2", 64 * 14 * 14, 3 * 3 * 32, 64),
        new("conv3", 64 * 7 * 7, 3 * 3 * 64, 128),
    ];

    /// <summary>The shape of this run.</summary>
    [ParamsSource(nameof(Shapes))]
    public GemmShape Shape { get; set; } = null!;

    /// <summary>Random operands of the shape (A from MNIST for the digits' shapes, when it is found).</summary>
    [GlobalSetup]
    public void Setup()
    {
        (int n, int k) = (Shape.N, Shape.K);
        Tensor? digits = Shape.Digits && Workloads.MnistTraining() is { } training ? new Tensor(training.Inputs.Span[..(n * k)], n, k) : null;
        Allocate(n, k, Shape.M, digits);
    }
}
