using BenchmarkDotNet.Attributes;

namespace ScratchNet.Benchmarks;

/// <summary>
/// Training the seed network (784-16-16-10 sigmoid, quadratic cost, plain SGD): one minibatch step and one
/// whole 60,000-sample epoch. Random inputs cost the same as MNIST's. Single-digit and test-set
/// inference are in <see cref="InferenceBenchmarks"/>.
/// </summary>
[MemoryDiagnoser]
public class SeedNetworkBenchmarks
{
    private Trainer _trainer = null!;
    private Tensor _batchInputs = null!;
    private Tensor _batchTargets = null!;
    private Dataset _epoch = null!;

    /// <summary>Samples per gradient step.</summary>
    [Params(10, 100)]
    public int BatchSize { get; set; }

    /// <summary>The network, 60,000 random samples, and one step so that the layers' buffers exist.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _trainer = Workloads.SeedTrainer(Workloads.SeedNetwork());
        _epoch = Workloads.RandomMnist(Workloads.TrainingSamples);
        Dataset batch = _epoch.Slice(0, BatchSize);
        _batchInputs = batch.Inputs;
        _batchTargets = batch.Targets;
        _trainer.TrainBatch(_batchInputs, _batchTargets); // allocate the layers' buffers
    }

    /// <summary>Forward, cost, backward and SGD update of one minibatch.</summary>
    [Benchmark]
    public double TrainingStep() => _trainer.TrainBatch(_batchInputs, _batchTargets);

    /// <summary>One shuffled epoch over 60,000 samples, as the seed sample runs it (without its validation pass).</summary>
    [Benchmark]
    public int TrainingEpoch() =>
        _trainer.Fit(_epoch, new TrainingOptions { Epochs = 1, BatchSize = BatchSize, Seed = 1 }).Count;
}
