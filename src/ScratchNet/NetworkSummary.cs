using System.Globalization;
using System.Text;

namespace ScratchNet;

/// <summary>The table <see cref="Network.Summary"/> prints: each layer, the shape of its output sample and its values, as Keras does.</summary>
internal static class NetworkSummary
{
    /// <summary>The table for <paramref name="network"/>; see <see cref="Network.Summary"/>.</summary>
    public static string Format(Network network)
    {
        var rows = new List<(string Name, string Shape, string Count)>();
        int[] shape = [.. network.InputShape];
        int stateCount = 0;
        foreach (Layer layer in network.Layers)
        {
            shape = layer.OutputShape(shape);
            rows.Add((layer.Name, Tensor.FormatShape(shape), layer.Parameters.Sum(p => p.Value.Length).ToString("N0", CultureInfo.InvariantCulture)));
            stateCount += layer.State.Sum(t => t.Value.Length);
        }

        string total = network.ParameterCount.ToString("N0", CultureInfo.InvariantCulture);
        int nameWidth = Math.Max("Layer".Length, rows.Max(r => r.Name.Length)) + 4;
        int shapeWidth = Math.Max("Output shape".Length, rows.Max(r => r.Shape.Length)) + 4;
        int countWidth = Math.Max("Parameters".Length, total.Length) + 2;
        string rule = new('─', nameWidth + shapeWidth + countWidth);
        var text = new StringBuilder();
        text.AppendLine($"Input shape {Tensor.FormatShape([.. network.InputShape])}");
        text.AppendLine("Layer".PadRight(nameWidth) + "Output shape".PadRight(shapeWidth) + "Parameters".PadLeft(countWidth));
        text.AppendLine(rule);
        foreach ((string name, string outputShape, string count) in rows)
        {
            text.AppendLine(name.PadRight(nameWidth) + outputShape.PadRight(shapeWidth) + count.PadLeft(countWidth));
        }

        text.AppendLine(rule);
        text.Append("Total".PadRight(nameWidth + shapeWidth) + total.PadLeft(countWidth));
        if (stateCount > 0)
        {
            text.AppendLine();
            text.Append($"(plus {stateCount.ToString("N0", CultureInfo.InvariantCulture)} state value{(stateCount == 1 ? "" : "s")}, such as batch-norm running statistics, saved but not trained)");
        }

        return text.ToString();
    }
}
