using BenchmarkDotNet.Attributes;
using ScratchNet;

namespace ScratchNet.Benchmarks;

/// <summary>
/// The seed network (784-16-16-10 sigmoid, quadratic cost, plain SGD): one minibatch step, one whole
/// 60,000-sample epoch, and single-sample inference. Random inputs cost the same as MNIST's.
/// </summary>
[MemoryDiagnoser]
public class SeedNetworkBenchmarks
{
    private const int Samples = 60_000;
    private Trainer _trainer = null!;
    private Tensor _batchInputs = null!;
    private Tensor _batchTargets = null!;
    private Dataset _epoch = null!;
    private float[] _digit = null!;
    private float[] _output = null!;

    /// <summary>Samples per gradient step.</summary>
    [Params(10, 100)]
    public int BatchSize { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1);
        var network = new Network(
            new Dense(784, 16), new Sigmoid(),
            new Dense(16, 16), new Sigmoid(),
            new Dense(16, 10), new Sigmoid());
        _trainer = new Trainer(network, new QuadraticCost(), new Sgd(0.5f));

        var inputs = new Tensor(Samples, 784);
        foreach (ref float v in inputs.Span)
        {
            v = random.NextSingle();
        }

        int[] labels = Enumerable.Range(0, Samples).Select(_ => random.Next(10)).ToArray();
        _epoch = Dataset.FromLabels(inputs, labels, 10);
        Dataset batch = _epoch.Slice(0, BatchSize);
        _batchInputs = batch.Inputs;
        _batchTargets = batch.Targets;
        _digit = inputs.Sample(0).ToArray();
        _output = new float[10];
        _trainer.TrainBatch(_batchInputs, _batchTargets); // allocate the layers' buffers
    }

    /// <summary>Forward, cost, backward and SGD update of one minibatch.</summary>
    [Benchmark]
    public double TrainingStep() => _trainer.TrainBatch(_batchInputs, _batchTargets);

    /// <summary>One shuffled epoch over 60,000 samples, as the seed sample runs it.</summary>
    [Benchmark]
    public int TrainingEpoch() =>
        _trainer.Fit(_epoch, new TrainingOptions { Epochs = 1, BatchSize = BatchSize, Seed = 1 }).Count;

    /// <summary>Outputs for one digit into a caller's buffer.</summary>
    [Benchmark]
    public float PredictOneDigit()
    {
        _trainer.Network.Predict(_digit, _output);
        return _output[0];
    }
}
