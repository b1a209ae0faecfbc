using System.Globalization;
using System.Security;
using System.Text;

namespace ScratchNet.Samples;

/// <summary>
/// The three pictures the samples draw after training, as standalone SVG documents (no fonts or
/// scripts to fetch): curves per epoch, a confusion matrix, and a grid of digits with labels.
/// </summary>
internal static class Svg
{
    private const string Font = "font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\"";
    private const int PanelWidth = 460;
    private const int PanelHeight = 320;

    /// <summary>One line of a chart: a name for the legend, a value per epoch (epoch 1 first), and a colour.</summary>
    public sealed record Series(string Name, IReadOnlyList<double> Values, string Color, bool Dashed = false);

    /// <summary>A chart panel: a title, a y-axis label, whether values are fractions shown as percentages, and its lines.</summary>
    public sealed record Panel(string Title, string YLabel, bool Percent, IReadOnlyList<Series> Lines);

    /// <summary>Charts side by side, sharing the x axis "epoch" (1 to the longest series).</summary>
    public static string Curves(params Panel[] panels)
    {
        var svg = new StringBuilder();
        Open(svg, PanelWidth * panels.Length, PanelHeight);
        for (int i = 0; i < panels.Length; i++)
        {
            DrawPanel(svg, panels[i], i * PanelWidth);
        }

        return Close(svg);
    }

    /// <summary>
    /// The confusion matrix as a grid: rows = true class, columns = predicted; each cell shows its count,
    /// shaded by its share of the row (blue on the diagonal, red off it), with recall at the end of each
    /// row and precision under each column.
    /// </summary>
    public static string ConfusionMatrix(ConfusionMatrix matrix, string title)
    {
        int n = matrix.ClassCount;
        const int cell = 44, left = 80, top = 74;
        int width = left + (n * cell) + 80;
        int height = top + (n * cell) + 70;
        var svg = new StringBuilder();
        Open(svg, width, height);
        Text(svg, width / 2.0, 24, title, 16, "middle", bold: true);
        Text(svg, left + (n * cell / 2.0), 46, "predicted", 13, "middle");
        Text(svg, left + (n * cell) + 40, top - 6, "recall", 12, "middle");
        svg.Append(Invariant($"<text x=\"22\" y=\"{top + (n * cell / 2.0):F1}\" font-size=\"13\" text-anchor=\"middle\" {Font} transform=\"rotate(-90 22 {top + (n * cell / 2.0):F1})\">true</text>\n"));
        for (int r = 0; r < n; r++)
        {
            int rowTotal = matrix.ActualCount(r);
            Text(svg, left - 12, top + (r * cell) + (cell / 2.0) + 5, r.ToString(CultureInfo.InvariantCulture), 13, "end");
            for (int k = 0; k < n; k++)
            {
                int count = matrix[r, k];
                double share = rowTotal == 0 ? 0 : (double)count / rowTotal;
                string fill = r == k ? Blend("#ffffff", "#2563eb", share) : Blend("#ffffff", "#dc2626", Math.Min(1, share * 4));
                double x = left + (k * cell), y = top + (r * cell);
                svg.Append(Invariant($"<rect x=\"{x}\" y=\"{y}\" width=\"{cell}\" height=\"{cell}\" fill=\"{fill}\" stroke=\"#d1d5db\"/>\n"));
                string ink = (r == k ? share : Math.Min(1, share * 4)) > 0.55 ? "#ffffff" : "#111827";
                Text(svg, x + (cell / 2.0), y + (cell / 2.0) + 4, count.ToString(CultureInfo.InvariantCulture), count >= 1000 ? 11 : 12, "middle", color: ink);
            }

            Text(svg, left + (n * cell) + 40, top + (r * cell) + (cell / 2.0) + 4, Invariant($"{matrix.Recall(r) * 100:F1}%"), 11, "middle");
        }

        for (int k = 0; k < n; k++)
        {
            double x = left + (k * cell) + (cell / 2.0);
            Text(svg, x, top - 6, k.ToString(CultureInfo.InvariantCulture), 13, "middle");
            Text(svg, x, top + (n * cell) + 18, Invariant($"{matrix.Precision(k) * 100:F1}%"), 10, "middle");
        }

        Text(svg, left - 12, top + (n * cell) + 18, "precision", 11, "end");
        Text(svg, left + (n * cell / 2.0), top + (n * cell) + 44, Invariant($"{matrix.Correct:N0} of {matrix.Total:N0} right ({(matrix.Total == 0 ? 0 : 100.0 * matrix.Correct / matrix.Total):F2}%)"), 12, "middle");
        return Close(svg);
    }

    /// <summary>One digit of a grid: its 28 × 28 (or any size) pixels in [0, 1] with 0 = background, and a caption.</summary>
    public sealed record Digit(float[] Pixels, string Caption, bool Highlight);

    /// <summary>Digits in rows of <paramref name="columns"/>, each an embedded PNG (dark ink on white) with its caption under it.</summary>
    public static string DigitGrid(IReadOnlyList<Digit> digits, int imageWidth, int imageHeight, int columns, string title)
    {
        const int scale = 3, gap = 10, caption = 18, header = 40;
        int cellWidth = Math.Max(imageWidth * scale, 70) + gap;
        int cellHeight = (imageHeight * scale) + caption + gap;
        int rows = Math.Max(1, (digits.Count + columns - 1) / columns);
        int width = (Math.Min(columns, Math.Max(1, digits.Count)) * cellWidth) + gap;
        int height = header + (rows * cellHeight);
        var svg = new StringBuilder();
        Open(svg, Math.Max(width, 320), height);
        Text(svg, Math.Max(width, 320) / 2.0, 26, title, 15, "middle", bold: true);
        byte[] gray = new byte[imageWidth * imageHeight];
        for (int i = 0; i < digits.Count; i++)
        {
            Digit digit = digits[i];
            for (int p = 0; p < gray.Length; p++)
            {
                gray[p] = (byte)Math.Round(255 * (1 - Math.Clamp(digit.Pixels[p], 0f, 1f)));
            }

            double x = gap + ((i % columns) * cellWidth) + ((cellWidth - gap - (imageWidth * scale)) / 2.0);
            double y = header + ((i / columns) * cellHeight);
            string png = Convert.ToBase64String(GrayPng.Encode(gray, imageWidth, imageHeight));
            svg.Append(Invariant($"<rect x=\"{x - 1}\" y=\"{y - 1}\" width=\"{(imageWidth * scale) + 2}\" height=\"{(imageHeight * scale) + 2}\" fill=\"none\" stroke=\"{(digit.Highlight ? "#dc2626" : "#9ca3af")}\"/>\n"));
            svg.Append(Invariant($"<image x=\"{x}\" y=\"{y}\" width=\"{imageWidth * scale}\" height=\"{imageHeight * scale}\" image-rendering=\"pixelated\" style=\"image-rendering:pixelated\" href=\"data:image/png;base64,{png}\"/>\n"));
            Text(svg, x + (imageWidth * scale / 2.0), y + (imageHeight * scale) + 14, digit.Caption, 11, "middle");
        }

        return Close(svg);
    }

    /// <summary>Round numbers from below <paramref name="min"/> to above <paramref name="max"/>, about <paramref name="count"/> of them, in steps of 1, 2 or 5 × 10ⁿ.</summary>
    public static double[] NiceTicks(double min, double max, int count = 5)
    {
        if (!(max > min))
        {
            max = min + (min == 0 ? 1 : Math.Abs(min) * 0.1);
        }

        double raw = (max - min) / Math.Max(1, count);
        double magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        double step = (raw / magnitude) switch { <= 1 => 1, <= 2 => 2, <= 5 => 5, _ => 10 } * magnitude;
        double first = Math.Floor((min / step) + 1e-9) * step;
        double last = Math.Ceiling((max / step) - 1e-9) * step;
        int steps = (int)Math.Round((last - first) / step);
        return Enumerable.Range(0, steps + 1).Select(i => Math.Round(first + (i * step), 10)).ToArray();
    }

    private static void DrawPanel(StringBuilder svg, Panel panel, int offsetX)
    {
        const int left = 70, right = 20, top = 58, bottom = 56;
        double plotWidth = PanelWidth - left - right, plotHeight = PanelHeight - top - bottom;
        int epochs = panel.Lines.Max(s => s.Values.Count);
        double[] values = panel.Lines.SelectMany(s => s.Values).Where(double.IsFinite).DefaultIfEmpty(0).ToArray();
        double scale = panel.Percent ? 100 : 1;
        double[] ticks = NiceTicks(values.Min() * scale, values.Max() * scale);
        if (panel.Percent && ticks[^1] > 100)
        {
            ticks = ticks.Where(t => t <= 100).ToArray();
            ticks = ticks.Length > 1 ? ticks : [ticks[0], 100];
        }

        double low = ticks[0], high = ticks[^1];
        double X(int epoch) => offsetX + left + (epochs == 1 ? plotWidth / 2 : (epoch - 1) * plotWidth / (epochs - 1));
        double Y(double value) => top + plotHeight - (((value * scale) - low) / (high - low) * plotHeight);

        Text(svg, offsetX + left + (plotWidth / 2), 24, panel.Title, 15, "middle", bold: true);
        foreach (double tick in ticks)
        {
            double y = top + plotHeight - ((tick - low) / (high - low) * plotHeight);
            svg.Append(Invariant($"<line x1=\"{offsetX + left}\" y1=\"{y:F1}\" x2=\"{offsetX + left + plotWidth}\" y2=\"{y:F1}\" stroke=\"#e5e7eb\"/>\n"));
            Text(svg, offsetX + left - 8, y + 4, FormatTick(tick, ticks, panel.Percent), 11, "end");
        }

        int every = Math.Max(1, (int)Math.Ceiling(epochs / 10.0));
        for (int e = 1; e <= epochs; e++)
        {
            if (e == 1 || e % every == 0 || e == epochs)
            {
                Text(svg, X(e), top + plotHeight + 18, e.ToString(CultureInfo.InvariantCulture), 11, "middle");
            }
        }

        svg.Append(Invariant($"<rect x=\"{offsetX + left}\" y=\"{top}\" width=\"{plotWidth}\" height=\"{plotHeight}\" fill=\"none\" stroke=\"#6b7280\"/>\n"));
        Text(svg, offsetX + left + (plotWidth / 2), PanelHeight - 14, "epoch", 12, "middle");
        double middle = top + (plotHeight / 2);
        svg.Append(Invariant($"<text x=\"{offsetX + 16}\" y=\"{middle:F1}\" font-size=\"12\" text-anchor=\"middle\" {Font} transform=\"rotate(-90 {offsetX + 16} {middle:F1})\">{Escape(panel.YLabel)}</text>\n"));

        for (int s = 0; s < panel.Lines.Count; s++)
        {
            Series series = panel.Lines[s];
            string points = string.Join(" ", series.Values.Select((v, i) => Invariant($"{X(i + 1):F1},{Y(v):F1}")));
            string dash = series.Dashed ? " stroke-dasharray=\"6 4\"" : string.Empty;
            svg.Append(Invariant($"<polyline points=\"{points}\" fill=\"none\" stroke=\"{series.Color}\" stroke-width=\"2\"{dash}/>\n"));
            foreach ((double v, int i) in series.Values.Select((v, i) => (v, i)))
            {
                svg.Append(Invariant($"<circle cx=\"{X(i + 1):F1}\" cy=\"{Y(v):F1}\" r=\"2.5\" fill=\"{series.Color}\"/>\n"));
            }

            // The legend sits between the title and the plot, one entry after another, so it never hides a line.
            double legendY = top - 10;
            double legendX = offsetX + left + (s * 110);
            svg.Append(Invariant($"<line x1=\"{legendX}\" y1=\"{legendY - 4}\" x2=\"{legendX + 20}\" y2=\"{legendY - 4}\" stroke=\"{series.Color}\" stroke-width=\"2\"{dash}/>\n"));
            Text(svg, legendX + 26, legendY, series.Name, 11, "start");
        }
    }

    private static string FormatTick(double tick, double[] ticks, bool percent)
    {
        double step = ticks.Length > 1 ? ticks[1] - ticks[0] : 1;
        int decimals = Math.Max(0, -(int)Math.Floor(Math.Log10(step) + 1e-9));
        return tick.ToString("F" + decimals, CultureInfo.InvariantCulture) + (percent ? "%" : string.Empty);
    }

    private static void Open(StringBuilder svg, int width, int height)
    {
        svg.Append(Invariant($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\">\n"));
        svg.Append(Invariant($"<rect width=\"{width}\" height=\"{height}\" fill=\"#ffffff\"/>\n"));
    }

    private static string Close(StringBuilder svg) => svg.Append("</svg>\n").ToString();

    private static void Text(StringBuilder svg, double x, double y, string text, int size, string anchor, bool bold = false, string color = "#111827") =>
        svg.Append(Invariant($"<text x=\"{x:F1}\" y=\"{y:F1}\" font-size=\"{size}\" text-anchor=\"{anchor}\" fill=\"{color}\" {Font}{(bold ? " font-weight=\"bold\"" : string.Empty)}>{Escape(text)}</text>\n"));

    private static string Escape(string text) => SecurityElement.Escape(text) ?? string.Empty;

    /// <summary>The colour <paramref name="t"/> of the way from <paramref name="from"/> to <paramref name="to"/> (both #rrggbb).</summary>
    private static string Blend(string from, string to, double t)
    {
        t = Math.Clamp(t, 0, 1);
        int Channel(string c, int i) => Convert.ToInt32(c.Substring(1 + (2 * i), 2), 16);
        return "#" + string.Concat(Enumerable.Range(0, 3).Select(i => ((int)Math.Round(Channel(from, i) + ((Channel(to, i) - Channel(from, i)) * t))).ToString("x2", CultureInfo.InvariantCulture)));
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
