namespace ScratchNet;

/// <summary>
/// Where training is inside an epoch, after a minibatch: what <see cref="TrainingCallback.OnBatchEnd"/>
/// receives, enough for a progress bar. A value type, so reporting it allocates nothing.
/// </summary>
/// <param name="Epoch">The current epoch, counting from 1.</param>
/// <param name="Epochs">The number of epochs planned.</param>
/// <param name="Batch">The minibatch just finished, counting from 1.</param>
/// <param name="Batches">The number of minibatches in the epoch.</param>
/// <param name="SamplesSeen">The training samples used so far in this epoch.</param>
/// <param name="SampleCount">The training samples in one epoch.</param>
/// <param name="CostSoFar">The mean cost over the epoch's minibatches so far, each measured before its update.</param>
/// <param name="Elapsed">The time since the epoch started.</param>
public readonly record struct BatchProgress(
    int Epoch,
    int Epochs,
    int Batch,
    int Batches,
    int SamplesSeen,
    int SampleCount,
    double CostSoFar,
    TimeSpan Elapsed)
{
    /// <summary>The training speed so far in this epoch, in samples per second (0 before any time has passed).</summary>
    public double SamplesPerSecond => Elapsed > TimeSpan.Zero ? SamplesSeen / Elapsed.TotalSeconds : 0;

    /// <summary>The time the rest of the epoch should take at the speed so far (validation excluded).</summary>
    public TimeSpan Remaining => SamplesSeen == 0 ? TimeSpan.Zero : Elapsed * ((double)(SampleCount - SamplesSeen) / SamplesSeen);
}
