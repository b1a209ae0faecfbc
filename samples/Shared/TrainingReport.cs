using System.Diagnostics;
using System.Globalization;

namespace ScratchNet.Samples;

/// <summary>What the SeedNetwork and ConvNet samples print after training: time, saved model, pictures, test accuracy.</summary>
internal static class TrainingReport
{
    /// <summary>
    /// Prints the training time and the median epoch, saves the model if asked, writes the pictures, and ends
    /// with the line <c>test accuracy: NN.NN%</c> that scripts read (<c>validation accuracy</c> when the sample held out a validation set instead).
    /// </summary>
    public static void Finish(Network network, TrainingHistory history, Stopwatch clock, Cost cost, Dataset test, string? saveFile, string plotsDirectory, string name, string testName = "test", string epochSetName = "test")
    {
        double median = history.Select(r => r.Elapsed.TotalSeconds).Order().ElementAt(history.Count / 2);
        Console.WriteLine($"trained in {Duration(clock.Elapsed.TotalSeconds)} (median {Duration(median)} per training epoch)");

        if (saveFile is not null)
        {
            network.Save(saveFile);
            Console.WriteLine($"saved {saveFile}");
        }

        Evaluation evaluation = network.Evaluate(test, cost);
        foreach (string picture in TrainingPlots.Write(plotsDirectory, name, history, evaluation, test, epochSet: epochSetName, finalSet: testName))
        {
            Console.WriteLine($"wrote {picture}");
        }

        Console.WriteLine($"{testName} accuracy: {evaluation.Accuracy * 100:F2}%");
    }

    /// <summary>"107 ms", "3.7 s" or "26.9 min", whichever reads best.</summary>
    private static string Duration(double seconds) => seconds switch
    {
        < 1 => string.Create(CultureInfo.InvariantCulture, $"{seconds * 1000:F0} ms"),
        < 120 => string.Create(CultureInfo.InvariantCulture, $"{seconds:F1} s"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{seconds / 60:F1} min"),
    };
}
