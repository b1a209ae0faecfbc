using System.Globalization;
using System.Text;

namespace ScratchNet;

/// <summary>
/// What <see cref="GradientChecker.Check"/> found: one <see cref="TensorGradientCheck"/> per parameter
/// tensor (input side first) and one for the input. <see cref="ToString"/> prints an aligned table.
/// </summary>
public sealed class GradientCheckReport
{
    internal GradientCheckReport(IReadOnlyList<TensorGradientCheck> tensors, double tolerance)
    {
        Tensors = tensors;
        Tolerance = tolerance;
    }

    /// <summary>Every checked tensor, in network order, the input last.</summary>
    public IReadOnlyList<TensorGradientCheck> Tensors { get; }

    /// <summary>The tolerance the relative errors were judged against.</summary>
    public double Tolerance { get; }

    /// <summary>Whether every tensor passed.</summary>
    public bool Passed => Tensors.All(t => t.Passed);

    /// <summary>The tensors that failed; empty when <see cref="Passed"/>.</summary>
    public IReadOnlyList<TensorGradientCheck> Failures => Tensors.Where(t => !t.Passed).ToArray();

    /// <summary>The largest relative error over every tensor.</summary>
    public double LargestRelativeError => Tensors.Count == 0 ? 0 : Tensors.Max(t => t.LargestRelativeError);

    /// <summary>
    /// The report as a table, one row per tensor, then a verdict line, e.g.
    /// <code>
    /// layer         tensor  shape   checked  max abs err  max rel err  at      analytic     numeric      ± noise  kinks  result
    /// 0 Dense(4→3)  W       [3, 4]  12       1.8E-06      5.1E-05      [1, 0]  -0.0261665   -0.0261649   3.1E-05  0      ok
    /// input         x       [2, 4]  8        1.4E-06      3.3E-05      [0, 0]  -0.00876551  -0.00876446  3.1E-05  0      ok
    /// passed: every relative error is within 0.001 (largest 5.1E-05)
    /// </code>
    /// </summary>
    public override string ToString()
    {
        string[] header = ["layer", "tensor", "shape", "checked", "max abs err", "max rel err", "at", "analytic", "numeric", "± noise", "kinks", "result"];
        List<string[]> rows = [header];
        foreach (TensorGradientCheck t in Tensors)
        {
            rows.Add(
            [
                t.LayerIndex is { } i ? $"{i} {t.LayerName}" : t.LayerName,
                t.TensorName,
                "[" + string.Join(", ", t.Shape) + "]",
                t.EntriesChecked.ToString(CultureInfo.InvariantCulture),
                Scientific(t.LargestAbsoluteError),
                Scientific(t.LargestRelativeError),
                t.WorstPosition,
                t.Analytic.ToString("G6", CultureInfo.InvariantCulture),
                t.Numeric.ToString("G6", CultureInfo.InvariantCulture),
                Scientific(t.Noise),
                t.KinkIndices.Count.ToString(CultureInfo.InvariantCulture),
                t.Passed ? "ok" : "FAILED",
            ]);
        }

        int[] widths = Enumerable.Range(0, header.Length).Select(c => rows.Max(r => r[c].Length)).ToArray();
        var text = new StringBuilder();
        foreach (string[] row in rows)
        {
            text.AppendJoin("  ", row.Select((cell, c) => cell.PadRight(widths[c])));
            TrimEnd(text);
            text.Append('\n');
        }

        int failed = Tensors.Count(t => !t.Passed);
        text.Append(failed == 0
            ? FormattableString.Invariant($"passed: every relative error is within {Tolerance:G3} (largest {Scientific(LargestRelativeError)})")
            : FormattableString.Invariant($"FAILED: {failed} of {Tensors.Count} tensors exceed the tolerance {Tolerance:G3} (largest {Scientific(LargestRelativeError)})"));
        return text.ToString();
    }

    private static string Scientific(double value) => value.ToString("0.0E+00", CultureInfo.InvariantCulture);

    private static void TrimEnd(StringBuilder text)
    {
        while (text.Length > 0 && text[^1] == ' ')
        {
            text.Length--;
        }
    }
}
