namespace ScratchNet;

/// <summary>
/// Sets the learning rate at the start of every epoch from a function of the epoch and the current
/// rate, or from a <see cref="LearningRateSchedule"/> (the same as <see cref="TrainingOptions.LearningRateSchedule"/>,
/// as a callback). It runs after the options' schedule, so it has the last word.
/// <code>
/// // halve η every 10 epochs
/// Callbacks = [new LearningRateScheduler((epoch, eta) => epoch % 10 == 1 &amp;&amp; epoch > 1 ? eta / 2 : eta)]
/// </code>
/// </summary>
public sealed class LearningRateScheduler : TrainingCallback
{
    private readonly Func<int, int, float, float> _rate;

    /// <summary>Computes η from the epoch (from 1) and the current η.</summary>
    /// <param name="schedule">(epoch, current η) → new η, a positive finite number.</param>
    public LearningRateScheduler(Func<int, float, float> schedule)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        _rate = (epoch, _, eta) => schedule(epoch, eta);
    }

    /// <summary>Takes η from a schedule.</summary>
    /// <param name="schedule">The schedule, asked with the epoch and the number of epochs.</param>
    public LearningRateScheduler(LearningRateSchedule schedule)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        _rate = (epoch, epochs, _) => schedule.LearningRate(epoch, epochs);
    }

    /// <inheritdoc />
    public override void OnEpochBegin(int epoch, TrainingContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        float eta = _rate(epoch, context.Epochs, context.Optimizer.LearningRate);
        if (!(eta > 0f) || !float.IsFinite(eta))
        {
            throw new InvalidOperationException($"The learning-rate scheduler gave η = {eta} for epoch {epoch}; it must be a positive finite number.");
        }

        context.Optimizer.LearningRate = eta;
    }
}
