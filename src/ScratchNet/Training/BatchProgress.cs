namespace ScratchNet;

/// <summary>
/// Where training is inside an epoch, after a minibatch: what <see cref="TrainingCallback.OnBatchEnd"/>
/// receives, enough for a progress bar. A value type, so reporting it allocates nothing.
/// </summary>
public readonly struct BatchProgress
{
    internal BatchProgress(int epoch, int epochs, int batch, int batches, int samplesSeen, int sampleCount, double costSoFar, TimeSpan elapsed)
    {
        Epoch = epoch;
        Epochs = epochs;
        Batch = batch;
        Batches = batches;
        SamplesSeen = samplesSeen;
        SampleCount = sampleCount;
        CostSoFar = costSoFar;
        Elapsed = elapsed;
    }

    /// <summary>The current epoch, counting from 1.</summary>
    public int Epoch { get; }

    /// <summary>The number of epochs planned.</summary>
    public int Epochs { get; }

    /// <summary>The minibatch just finished, counting from 1.</summary>
    public int Batch { get; }

    /// <summary>The number of minibatches in the epoch.</summary>
    public int Batches { get; }

    /// <summary>The training samples used so far in this epoch.</summary>
    public int SamplesSeen { get; }

    /// <summary>The training samples in one epoch.</summary>
    public int SampleCount { get; }

    /// <summary>The mean cost over the epoch's minibatches so far, each measured before its update.</summary>
    public double CostSoFar { get; }

    /// <summary>The time since the epoch started.</summary>
    public TimeSpan Elapsed { get; }

    /// <summary>The training speed so far in this epoch, in samples per second (0 before any time has passed).</summary>
    public double SamplesPerSecond => Elapsed > TimeSpan.Zero ? SamplesSeen / Elapsed.TotalSeconds : 0;

    /// <summary>The time the rest of the epoch should take at the speed so far (validation excluded).</summary>
    public TimeSpan Remaining => SamplesSeen == 0 ? TimeSpan.Zero : Elapsed * ((double)(SampleCount - SamplesSeen) / SamplesSeen);
}
