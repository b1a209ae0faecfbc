using System.Globalization;

namespace ScratchNet.Samples;

/// <summary>The pictures a sample writes after training: curves per epoch, the confusion matrix, and the misclassified test digits.</summary>
internal static class TrainingPlots
{
    /// <summary>
    /// Writes <c>NAME-curves.svg</c> (cost and accuracy per epoch, training and test),
    /// <c>NAME-confusion.svg</c> and <c>NAME-misclassified.svg</c> (the first <paramref name="maxDigits"/>
    /// test digits the network got wrong, true → predicted) into <paramref name="directory"/>, creating it.
    /// </summary>
    /// <returns>The paths written, in that order.</returns>
    /// <remarks><paramref name="epochSet"/> names the set each epoch was evaluated on, <paramref name="finalSet"/> the one of <paramref name="test"/> ("test" or "validation").</remarks>
    public static IReadOnlyList<string> Write(string directory, string name, IReadOnlyList<EpochReport> history, Evaluation test, Dataset testSet, int maxDigits = 60, string epochSet = "test", string finalSet = "test")
    {
        Directory.CreateDirectory(directory);
        string curves = Path.Combine(directory, name + "-curves.svg");
        string confusion = Path.Combine(directory, name + "-confusion.svg");
        string misclassified = Path.Combine(directory, name + "-misclassified.svg");
        File.WriteAllText(curves, Curves(history, epochSet));
        File.WriteAllText(confusion, Svg.ConfusionMatrix(test.ConfusionMatrix, $"Confusion matrix on the {finalSet} set (rows: true digit)"));
        File.WriteAllText(misclassified, Misclassified(test, testSet, maxDigits));
        return [curves, confusion, misclassified];
    }

    /// <summary>Cost and accuracy per epoch: the training values (measured during each epoch) and the test values (after it).</summary>
    public static string Curves(IReadOnlyList<EpochReport> history, string epochSet = "test")
    {
        const string training = "#2563eb", test = "#ea580c";
        bool validated = history.All(r => r.Validation is not null);
        var cost = new List<Svg.Series> { new("training", history.Select(r => r.TrainingCost).ToArray(), training) };
        var accuracy = new List<Svg.Series> { new("training", history.Select(r => r.TrainingAccuracy).ToArray(), training) };
        if (validated)
        {
            if (history.All(r => r.Validation!.MeanCost is not null))
            {
                cost.Add(new(epochSet, history.Select(r => r.Validation!.MeanCost!.Value).ToArray(), test, Dashed: true));
            }

            accuracy.Add(new(epochSet, history.Select(r => r.Validation!.Accuracy).ToArray(), test, Dashed: true));
        }

        return Svg.Curves(
            new Svg.Panel("Cost per epoch", "mean cost", Percent: false, cost),
            new Svg.Panel("Accuracy per epoch", "accuracy", Percent: true, accuracy));
    }

    /// <summary>The first <paramref name="maxDigits"/> misclassified samples of <paramref name="data"/>, captioned "#index true→predicted".</summary>
    public static string Misclassified(Evaluation evaluation, Dataset data, int maxDigits)
    {
        int side = (int)Math.Round(Math.Sqrt(data.Inputs.SampleSize));
        (int width, int height) = side * side == data.Inputs.SampleSize ? (side, side) : (data.Inputs.SampleSize, 1);
        Svg.Digit[] digits = evaluation.Misclassified.Take(maxDigits)
            .Select(i => new Svg.Digit(
                data.Inputs.Sample(i).ToArray(),
                string.Create(CultureInfo.InvariantCulture, $"#{i}  {data.Label(i)} → {evaluation.Predictions[i]}"),
                Highlight: true))
            .ToArray();
        string title = string.Create(CultureInfo.InvariantCulture, $"Misclassified test digits (true → predicted): {evaluation.Misclassified.Count:N0} of {evaluation.Count:N0}{(digits.Length < evaluation.Misclassified.Count ? $", the first {digits.Length}" : string.Empty)}");
        return Svg.DigitGrid(digits, width, height, columns: 10, title);
    }
}
