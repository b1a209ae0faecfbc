namespace ScratchNet;

/// <summary>
/// Your own code as a callback, without writing a class: a lambda for the end of each epoch (which sees
/// the epoch's metrics and may stop training) and, if you want one, a lambda after every minibatch.
/// <code>
/// new LambdaCallback(onEpochEnd: (report, run) =>
/// {
///     if (report.Validation!.Accuracy >= 0.95) run.Stop("95% reached");
/// })
/// </code>
/// </summary>
/// <param name="onEpochEnd">Called after each epoch with its report, or <see langword="null"/>.</param>
/// <param name="onBatchEnd">Called after each minibatch, or <see langword="null"/>; keep it cheap.</param>
public sealed class LambdaCallback(Action<EpochReport, TrainingContext>? onEpochEnd = null, Action<BatchProgress, TrainingContext>? onBatchEnd = null) : TrainingCallback
{
    /// <inheritdoc />
    public override void OnBatchEnd(BatchProgress progress, TrainingContext context) => onBatchEnd?.Invoke(progress, context);

    /// <inheritdoc />
    public override void OnEpochEnd(EpochReport report, TrainingContext context) => onEpochEnd?.Invoke(report, context);
}
