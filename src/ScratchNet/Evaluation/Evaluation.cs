using System.Globalization;

namespace ScratchNet;

/// <summary>
/// How well a network does on a dataset: accuracy, mean cost, the confusion matrix (with per-class
/// precision and recall) and which samples it got wrong. <see cref="Network.Evaluate"/> returns it.
/// </summary>
public sealed class Evaluation
{
    /// <summary>Collects the results of an evaluation.</summary>
    /// <param name="confusionMatrix">True class × predicted class counts.</param>
    /// <param name="meanCost">The cost averaged over the samples, or <see langword="null"/> without a cost.</param>
    /// <param name="predictions">The predicted class of every sample, in dataset order.</param>
    /// <param name="misclassified">The indices of the samples classified wrong, ascending.</param>
    /// <exception cref="ArgumentException">The predictions do not cover every sample of the matrix.</exception>
    internal Evaluation(ConfusionMatrix confusionMatrix, double? meanCost, IReadOnlyList<int> predictions, IReadOnlyList<int> misclassified)
    {
        ArgumentNullException.ThrowIfNull(confusionMatrix);
        ArgumentNullException.ThrowIfNull(predictions);
        ArgumentNullException.ThrowIfNull(misclassified);
        if (predictions.Count != confusionMatrix.Total || misclassified.Count != confusionMatrix.Total - confusionMatrix.Correct)
        {
            throw new ArgumentException($"The confusion matrix counts {confusionMatrix.Total} samples ({confusionMatrix.Total - confusionMatrix.Correct} wrong), but there are {predictions.Count} predictions and {misclassified.Count} misclassified samples.", nameof(predictions));
        }

        ConfusionMatrix = confusionMatrix;
        MeanCost = meanCost;
        Predictions = predictions;
        Misclassified = misclassified;
    }

    /// <summary>The number of samples evaluated.</summary>
    public int Count => ConfusionMatrix.Total;

    /// <summary>How many were classified right: the largest output is at the target's class (for a single output, both on the same side of ½).</summary>
    public int Correct => ConfusionMatrix.Correct;

    /// <summary>The cost averaged over the samples, or <see langword="null"/> if no cost was given.</summary>
    public double? MeanCost { get; }

    /// <summary>The fraction classified right, from 0 to 1.</summary>
    public double Accuracy => Count == 0 ? 0 : (double)Correct / Count;

    /// <summary>Rows = true class, columns = predicted class; a single-output network has two classes (below and above ½).</summary>
    public ConfusionMatrix ConfusionMatrix { get; }

    /// <summary>The class the network predicted for every sample, in dataset order.</summary>
    public IReadOnlyList<int> Predictions { get; }

    /// <summary>The indices of the samples classified wrong, ascending: look at them with <c>data.Inputs.Sample(i)</c>.</summary>
    public IReadOnlyList<int> Misclassified { get; }

    /// <summary>Of the samples predicted as class <paramref name="c"/>, the share that are (see <see cref="ConfusionMatrix.Precision"/>).</summary>
    /// <param name="c">The class.</param>
    public double Precision(int c) => ConfusionMatrix.Precision(c);

    /// <summary>Of the samples of class <paramref name="c"/>, the share predicted as c (see <see cref="ConfusionMatrix.Recall"/>).</summary>
    /// <param name="c">The class.</param>
    public double Recall(int c) => ConfusionMatrix.Recall(c);

    /// <summary>Accuracy and cost in one line, e.g. <c>accuracy 95.12% (9512/10000), cost 0.0812</c>.</summary>
    public override string ToString() => MeanCost is { } cost
        ? string.Create(CultureInfo.InvariantCulture, $"accuracy {Accuracy * 100:F2}% ({Correct}/{Count}), cost {cost:F4}")
        : string.Create(CultureInfo.InvariantCulture, $"accuracy {Accuracy * 100:F2}% ({Correct}/{Count})");
}
