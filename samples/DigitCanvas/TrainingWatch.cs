using System.Diagnostics;
using ScratchNet;

namespace DigitCanvas;

/// <summary>
/// The callback that lets a page watch <see cref="Trainer.Fit"/>: a cost point every few hundred minibatches
/// (about 25 per epoch), the progress and the first layer's weights at most every <c>interval</c>, each epoch's
/// test accuracy. It runs on the training thread after every minibatch, so the common path is a clock read.
/// </summary>
internal sealed class TrainingWatch(TrainingJob job, long start, TimeSpan interval) : TrainingCallback
{
    /// <summary>Cost points per epoch (fewer when an epoch has fewer minibatches).</summary>
    public const int CostPointsPerEpoch = 25;

    private readonly long _interval = (long)(interval.TotalSeconds * Stopwatch.Frequency);
    private long _nextUpdate;
    private int _stretch;
    private int _lastSeen;
    private double _lastCostSum;

    /// <inheritdoc />
    public override void OnEpochBegin(int epoch, TrainingContext context)
    {
        _lastSeen = 0;
        _lastCostSum = 0;
    }

    /// <inheritdoc />
    public override void OnBatchEnd(BatchProgress progress, TrainingContext context)
    {
        _stretch = Math.Max(1, progress.Batches / CostPointsPerEpoch);
        if (progress.Batch % _stretch == 0 || progress.Batch == progress.Batches)
        {
            // CostSoFar is the epoch's running mean; the stretch's own mean is the difference of the sums.
            double costSum = progress.CostSoFar * progress.SamplesSeen;
            job.Add(new CostPoint(progress.Epoch - 1 + ((double)progress.SamplesSeen / progress.SampleCount), (costSum - _lastCostSum) / (progress.SamplesSeen - _lastSeen)));
            _lastSeen = progress.SamplesSeen;
            _lastCostSum = costSum;
        }

        long now = Stopwatch.GetTimestamp();
        if (now >= _nextUpdate)
        {
            _nextUpdate = now + _interval;
            Publish(progress, context);
        }
    }

    /// <inheritdoc />
    public override void OnEpochEnd(EpochReport report, TrainingContext context)
    {
        Evaluation test = report.Validation!;
        job.Add(new EpochResult(report.Epoch, test.Accuracy, test.MeanCost ?? double.NaN, report.TrainingCost, report.TrainingAccuracy, Elapsed()));
        job.Publish(TrainingJob.Weights((Dense)context.Network.Layers[0], report.Epoch));
    }

    private void Publish(BatchProgress progress, TrainingContext context)
    {
        double elapsed = Elapsed();
        double done = progress.Epoch - 1 + ((double)progress.SamplesSeen / progress.SampleCount);
        double left = elapsed * (progress.Epochs - done) / done;
        job.Publish(new TrainingProgress(progress.Epoch, progress.Epochs, progress.Batch, progress.Batches, progress.SamplesPerSecond, elapsed, left, []));
        job.Publish(TrainingJob.Weights((Dense)context.Network.Layers[0], done));
    }

    private double Elapsed() => Stopwatch.GetElapsedTime(start).TotalSeconds;
}
