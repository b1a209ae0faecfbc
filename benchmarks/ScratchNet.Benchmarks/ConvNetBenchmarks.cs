using BenchmarkDotNet.Attributes;

namespace ScratchNet.Benchmarks;

/// <summary>
/// Training the ConvNet of samples/ConvNet (random weights, random 28×28 images): one minibatch step at
/// the sample's batch size of 64 (forward, softmax cross-entropy, backward, AdamW update). An epoch is
/// ⌈60,000 / 64⌉ = 938 such steps plus shuffling and gathering; <c>ScratchNet.PeerTimings</c> times whole
/// batches of steps that way.
/// </summary>
[MemoryDiagnoser]
public class ConvNetBenchmarks
{
    private const int BatchSize = 64;
    private Trainer _trainer = null!;
    private Tensor _inputs = null!;
    private Tensor _targets = null!;

    /// <summary>The network, one random minibatch, and one step so that the layers' buffers exist.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _trainer = Workloads.ConvNetTrainer(Workloads.ConvNet());
        Dataset batch = Workloads.RandomMnist(BatchSize);
        _inputs = batch.Inputs;
        _targets = batch.Targets;
        _trainer.TrainBatch(_inputs, _targets);
    }

    /// <summary>Forward, cost, backward and AdamW update of one minibatch of 64 images.</summary>
    [Benchmark]
    public double TrainingStep() => _trainer.TrainBatch(_inputs, _targets);
}
