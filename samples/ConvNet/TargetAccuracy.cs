using System.Diagnostics;
using ScratchNet;

namespace ConvNet;

/// <summary>
/// Ends training after the first epoch whose test accuracy reaches <paramref name="target"/>, and prints how long
/// that took from the start of the process (runtime start-up, loading MNIST and every evaluation included): the
/// time-to-accuracy measure of the <c>--fast</c> recipe, e.g. <c>reached 99.0% after epoch 2 at 23.4 s from process start</c>.
/// </summary>
internal sealed class TargetAccuracy(double target) : TrainingCallback
{
    private static readonly DateTime ProcessStart = Process.GetCurrentProcess().StartTime.ToUniversalTime();

    /// <summary>Seconds since the operating system started this process.</summary>
    public static double SecondsSinceProcessStart => (DateTime.UtcNow - ProcessStart).TotalSeconds;

    /// <inheritdoc />
    public override void OnEpochEnd(EpochReport report, TrainingContext context)
    {
        if (report.Validation is { } validation && validation.Accuracy >= target)
        {
            Console.WriteLine(FormattableString.Invariant($"reached {target * 100:F1}% after epoch {report.Epoch} at {SecondsSinceProcessStart:F1} s from process start"));
            context.Stop(FormattableString.Invariant($"test accuracy reached {target * 100:F1}%"));
        }
    }

    /// <inheritdoc />
    public override void OnTrainEnd(TrainingContext context)
    {
        if (!context.StopRequested)
        {
            Console.WriteLine(FormattableString.Invariant($"did not reach {target * 100:F1}% in {context.Epochs} epoch{(context.Epochs == 1 ? "" : "s")} ({SecondsSinceProcessStart:F1} s from process start)"));
        }
    }
}
