using ScratchNet;

namespace ConvNet;

/// <summary>
/// A one-cycle learning rate (Smith &amp; Topin, 2019), set before every minibatch rather than once per epoch:
/// η rises linearly from η̂/<c>divFactor</c> to the peak η̂ over the first <c>warmup</c> fraction of all steps,
/// then falls along half a cosine to η̂/<c>finalDivFactor</c> at the last step. Per-step changes matter when
/// the whole run is two or three epochs, where a per-epoch <see cref="LearningRateSchedule"/> has too few values.
/// </summary>
/// <remarks>
/// It changes η only through <see cref="TrainingContext.Optimizer"/>, at the start of each epoch and after
/// each step (for the next one), so it works with any optimizer and allocates nothing per step. PyTorch's
/// <c>OneCycleLR(anneal_strategy="cos", three_phase=False)</c> warms up along a cosine instead; the peer
/// script in benchmarks/peers uses this exact formula.
/// </remarks>
internal sealed class OneCycleSchedule(float peak, float warmup, float divFactor = 10f, float finalDivFactor = 100f) : TrainingCallback
{
    private int _stepsPerEpoch;

    /// <summary>η for step <paramref name="step"/> (from 0) of <paramref name="steps"/>.</summary>
    public float LearningRate(int step, int steps)
    {
        float start = peak / divFactor, end = peak / finalDivFactor;
        int warmupSteps = Math.Max(1, (int)(warmup * steps));
        if (step < warmupSteps)
        {
            return start + (peak - start) * step / warmupSteps;
        }

        float t = Math.Min(1f, (float)(step - warmupSteps) / Math.Max(1, steps - 1 - warmupSteps));
        return end + (peak - end) * (1 + MathF.Cos(MathF.PI * t)) / 2;
    }

    /// <inheritdoc />
    public override void OnEpochBegin(int epoch, TrainingContext context)
    {
        _stepsPerEpoch = (context.Training.Count + context.Options.BatchSize - 1) / context.Options.BatchSize;
        context.Optimizer.LearningRate = LearningRate((epoch - 1) * _stepsPerEpoch, context.Epochs * _stepsPerEpoch);
    }

    /// <inheritdoc />
    public override void OnBatchEnd(BatchProgress progress, TrainingContext context) =>
        context.Optimizer.LearningRate = LearningRate((progress.Epoch - 1) * _stepsPerEpoch + progress.Batch, context.Epochs * _stepsPerEpoch);
}
