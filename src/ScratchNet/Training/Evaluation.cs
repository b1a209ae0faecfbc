using System.Globalization;

namespace ScratchNet;

/// <summary>How well a network does on a dataset.</summary>
/// <param name="Count">The number of samples evaluated.</param>
/// <param name="Correct">How many were classified right: the largest output is at the target's class.</param>
/// <param name="MeanCost">The cost averaged over the samples, or <see langword="null"/> if no cost was given.</param>
public sealed record Evaluation(int Count, int Correct, double? MeanCost)
{
    /// <summary>The fraction classified right, from 0 to 1.</summary>
    public double Accuracy => Count == 0 ? 0 : (double)Correct / Count;

    /// <summary>Accuracy and cost in one line, e.g. <c>accuracy 95.12% (9512/10000), cost 0.0812</c>.</summary>
    public override string ToString() => MeanCost is { } cost
        ? string.Create(CultureInfo.InvariantCulture, $"accuracy {Accuracy * 100:F2}% ({Correct}/{Count}), cost {cost:F4}")
        : string.Create(CultureInfo.InvariantCulture, $"accuracy {Accuracy * 100:F2}% ({Correct}/{Count})");
}
