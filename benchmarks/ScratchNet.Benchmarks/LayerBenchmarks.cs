using BenchmarkDotNet.Attributes;

namespace ScratchNet.Benchmarks;

/// <summary>
/// A layer of one of the networks at one batch size. Forward does one product of n·k·m multiply-adds;
/// backward two (∂C/∂W and ∂C/∂input) plus the bias sums and, for a convolution, row2im.
/// </summary>
/// <param name="Name">Which layer.</param>
/// <param name="Batch">Samples per minibatch.</param>
/// <param name="Create">Makes the layer, initialised.</param>
/// <param name="SampleShape">The shape of one input sample.</param>
/// <param name="MultiplyAdds">n·k·m of the layer's forward product at this batch size.</param>
public sealed record LayerCase(string Name, int Batch, Func<Layer> Create, int[] SampleShape, double MultiplyAdds) : IFlopCount
{
    /// <inheritdoc />
    public double Flops(string method) => method == nameof(LayerBenchmarks.Backward) ? 4 * MultiplyAdds : 2 * MultiplyAdds;

    /// <inheritdoc />
    public override string ToString() => $"{Name} b{Batch}";
}

/// <summary>
/// Forward and backward of single layers: the seed network's first dense layer (784→16) at batch 10 and
/// 100, the ConvNet's first dense layer (1152→256) at batch 64, and the ConvNet's second convolution
/// (32→64 filters, 3×3, padding 1, on 14×14 images) at batch 64. Backward computes ∂C/∂input too, as
/// every layer but a network's first does in training.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(FlopConfig))]
public class LayerBenchmarks
{
    private Layer _layer = null!;
    private Tensor _input = null!;
    private Tensor _outputGradient = null!;

    /// <summary>The layers measured.</summary>
    public static IEnumerable<LayerCase> Cases =>
    [
        Dense("seed-dense1", 10, 784, 16),
        Dense("seed-dense1", 100, 784, 16),
        Dense("convnet-dense1", 64, 1152, 256),
        new("convnet-conv2", 64, () => new Conv2D(32, 64, 3, padding: 1, initializer: Initializer.HeUniform), [14, 14, 32], 64.0 * 14 * 14 * 288 * 64),
    ];

    /// <summary>The layer of this run.</summary>
    [ParamsSource(nameof(Cases))]
    public LayerCase Case { get; set; } = null!;

    /// <summary>Random inputs and output gradient; one forward pass so that backward has something to work on.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _layer = Case.Create();
        _layer.Initialize(new Random(1));
        _input = Workloads.RandomTensor(1, [Case.Batch, .. Case.SampleShape]);
        Tensor output = _layer.Forward(_input, training: true);
        _outputGradient = Workloads.RandomTensor(2, output.Shape.ToArray());
    }

    /// <summary>The layer's forward pass over the minibatch.</summary>
    [Benchmark]
    public Tensor Forward() => _layer.Forward(_input, training: true);

    /// <summary>The layer's backward pass: ∂C/∂W, ∂C/∂b and ∂C/∂input.</summary>
    [Benchmark]
    public Tensor Backward() => _layer.Backward(_outputGradient);

    private static LayerCase Dense(string name, int batch, int inputs, int outputs) =>
        new(name, batch, () => new Dense(inputs, outputs), [inputs], (double)batch * inputs * outputs);
}
