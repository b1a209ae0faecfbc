using BenchmarkDotNet.Attributes;

namespace ScratchNet.Benchmarks;

/// <summary>
/// Inference latency: one digit through the seed network, through the ConvNet (random weights; the
/// cost barely depends on them) and through the shipped <c>Pretrained.MnistBest()</c> (the ConvNet with block 3
/// doubled), each into a caller's buffer, and the whole 10,000-image test set through the seed network in one batch.
/// </summary>
[MemoryDiagnoser]
public class InferenceBenchmarks
{
    private Network _seed = null!;
    private Network _seedForTestSet = null!;
    private Network _convNet = null!;
    private Network _best = null!;
    private float[] _digit = null!;
    private float[] _output = null!;
    private Tensor _testSet = null!;

    /// <summary>The networks (one per benchmark, so each keeps buffers of its own batch size) and the data.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _seed = Workloads.SeedNetwork();
        _seedForTestSet = Workloads.SeedNetwork();
        _convNet = Workloads.ConvNet();
        _best = Pretrained.MnistBest();
        _testSet = Workloads.RandomMnist(Workloads.TestSamples).Inputs;
        _digit = _testSet.Sample(0).ToArray();
        _output = new float[10];
        SeedOneDigit();
        ConvNetOneDigit();
        BestOneDigit();
        SeedTestSet();
    }

    /// <summary>The seed network's ten outputs for one digit.</summary>
    [Benchmark]
    public float SeedOneDigit()
    {
        _seed.Predict(_digit, _output);
        return _output[0];
    }

    /// <summary>The ConvNet's ten outputs for one digit.</summary>
    [Benchmark]
    public float ConvNetOneDigit()
    {
        _convNet.Predict(_digit, _output);
        return _output[0];
    }

    /// <summary>The shipped best network's ten outputs for one digit.</summary>
    [Benchmark]
    public float BestOneDigit()
    {
        _best.Predict(_digit, _output);
        return _output[0];
    }

    /// <summary>The seed network's outputs for 10,000 digits in one batch (the network's own buffer, no copy).</summary>
    [Benchmark]
    public Tensor SeedTestSet() => _seedForTestSet.Forward(_testSet);
}
