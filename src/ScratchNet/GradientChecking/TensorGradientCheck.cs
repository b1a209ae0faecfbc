namespace ScratchNet;

/// <summary>
/// The verdict on one tensor of a gradient check: a parameter of a layer, or the network's input.
/// Part of a <see cref="GradientCheckReport"/>.
/// </summary>
/// <param name="LayerIndex">The layer's position in the network (0 = first), or <see langword="null"/> for the input.</param>
/// <param name="LayerName">The layer's display name, e.g. <c>Dense(4→3)</c>, or <c>input</c>.</param>
/// <param name="TensorName">The parameter's name, e.g. <c>W</c> or <c>b</c>, or <c>x</c> for the input.</param>
/// <param name="Shape">The tensor's shape.</param>
/// <param name="EntriesChecked">How many entries were perturbed (all of them unless a sample size was set).</param>
/// <param name="LargestAbsoluteError">The largest |a − n| over the checked entries (a analytic, n numeric).</param>
/// <param name="LargestRelativeError">The largest |a − n| / max(|a|, |n|, ε / tolerance) over the checked entries; at a kink, the distance from a to the one-sided derivatives instead of to n.</param>
/// <param name="WorstIndex">The flat, row-major index of the entry with the largest relative error.</param>
/// <param name="Analytic">The backpropagated derivative at <paramref name="WorstIndex"/>.</param>
/// <param name="Numeric">The central-difference derivative at <paramref name="WorstIndex"/>.</param>
/// <param name="Noise">ε, the float32 rounding error expected in the numeric derivative at <paramref name="WorstIndex"/>; differences below it cannot be measured.</param>
/// <param name="KinkIndices">The flat indices of the checked entries where a and n disagree because the cost has a kink within two steps (e.g. ReLU at 0): there the left and right derivatives differ, and a must lie between them.</param>
/// <param name="Passed">Whether <paramref name="LargestRelativeError"/> is within the tolerance.</param>
public sealed record TensorGradientCheck(
    int? LayerIndex,
    string LayerName,
    string TensorName,
    IReadOnlyList<int> Shape,
    int EntriesChecked,
    double LargestAbsoluteError,
    double LargestRelativeError,
    int WorstIndex,
    double Analytic,
    double Numeric,
    double Noise,
    IReadOnlyList<int> KinkIndices,
    bool Passed)
{
    /// <summary>Where the tensor is, e.g. <c>layer 2 Dense(4→3) W</c> or <c>input x</c>.</summary>
    public string Location => LayerIndex is { } i ? $"layer {i} {LayerName} {TensorName}" : $"{LayerName} {TensorName}";

    /// <summary>The worst entry's index written per dimension, e.g. <c>[2, 0]</c>.</summary>
    public string WorstPosition
    {
        get
        {
            int[] position = new int[Shape.Count];
            int rest = WorstIndex;
            for (int d = Shape.Count - 1; d >= 0; d--)
            {
                position[d] = rest % Shape[d];
                rest /= Shape[d];
            }

            return "[" + string.Join(", ", position) + "]";
        }
    }

    /// <summary>One line: where, the largest errors, the worst entry and the verdict.</summary>
    public override string ToString() =>
        FormattableString.Invariant($"{Location}: {(Passed ? "passed" : "FAILED")}, largest relative error {LargestRelativeError:G3} at {WorstPosition} (analytic {Analytic:G6}, numeric {Numeric:G6} ± {Noise:G2}), largest absolute error {LargestAbsoluteError:G3}, {EntriesChecked} entries checked, {KinkIndices.Count} at kinks");
}
