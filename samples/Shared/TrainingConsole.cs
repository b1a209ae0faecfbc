using System.Diagnostics;
using System.Globalization;
using Spectre.Console;

namespace ScratchNet.Samples;

/// <summary>
/// Runs <see cref="Trainer.Fit"/> for a sample: in a terminal, a live progress bar for the current epoch
/// (samples seen, samples per second, cost so far, time left) above which each finished epoch's line is
/// printed; with the output redirected (CI logs), only those lines.
/// </summary>
internal static class TrainingConsole
{
    private static readonly TimeSpan RefreshEvery = TimeSpan.FromMilliseconds(100);

    public static TrainingHistory Fit(Trainer trainer, Dataset training, TrainingOptions options, Func<EpochReport, string> epochLine)
    {
        if (Console.IsOutputRedirected)
        {
            var print = new LambdaCallback(onEpochEnd: (report, _) => Console.WriteLine(epochLine(report)));
            return trainer.Fit(training, options with { Callbacks = [.. options.Callbacks, print] });
        }

        return AnsiConsole.Progress()
            .AutoClear(true)
            .HideCompleted(true)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn { Width = 30 }, new PercentageColumn())
            .Start(display =>
            {
                ProgressTask? bar = null;
                long lastRefresh = 0;
                var live = new LambdaCallback(
                    onBatchEnd: (position, _) =>
                    {
                        bar ??= display.AddTask(Describe(position), maxValue: position.SampleCount);
                        if (position.SamplesSeen == position.SampleCount || Stopwatch.GetElapsedTime(lastRefresh) >= RefreshEvery)
                        {
                            bar.Value = position.SamplesSeen;
                            bar.Description = Describe(position);
                            lastRefresh = Stopwatch.GetTimestamp();
                        }
                    },
                    onEpochEnd: (report, _) =>
                    {
                        // Written through Spectre, so the line lands above the live bar.
                        AnsiConsole.WriteLine(epochLine(report));
                        bar?.StopTask();
                        bar = null;
                    });
                return trainer.Fit(training, options with { Callbacks = [.. options.Callbacks, live] });
            });
    }

    /// <summary>e.g. <c>epoch  3/30  41,230/60,000  152,300 samples/s  cost 0.1234  0:00:01 left</c>.</summary>
    public static string Describe(BatchProgress p) => string.Create(
        CultureInfo.InvariantCulture,
        $"epoch {p.Epoch,3}/{p.Epochs}  {p.SamplesSeen.ToString("N0", CultureInfo.InvariantCulture).PadLeft(p.SampleCount.ToString("N0", CultureInfo.InvariantCulture).Length)}/{p.SampleCount:N0}  {p.SamplesPerSecond,9:N0} samples/s  cost {p.CostSoFar:F4}  {p.Remaining:h\\:mm\\:ss} left");
}
