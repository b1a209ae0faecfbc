using System.Globalization;
using System.Security;
using System.Text;
using ScratchNet.OnnxSchema;

namespace OnnxExport;

/// <summary>
/// Draws an ONNX graph as Netron shows it, one box per node from input to output, read back from the file
/// (Netron itself needs a browser and a network connection; this needs neither).
/// </summary>
internal static class GraphPicture
{
    private const int Width = 520, BoxWidth = 400, BoxHeight = 46, Gap = 26, Top = 70;
    private const string Font = "font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\"";

    public static string Svg(string path)
    {
        ModelProto model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(path));
        GraphProto graph = model.Graph;
        var shapes = graph.Initializer.ToDictionary(t => t.Name, t => string.Join("×", t.Dims));
        var boxes = new List<(string Title, string Detail, string Color)> { ("input", $"{graph.Input[0].Name}  {Shape(graph.Input[0])}", "#e8e8e8") };
        foreach (NodeProto node in graph.Node)
        {
            string weights = string.Join("  ", node.Input.Where(shapes.ContainsKey).Select(i => $"{i[(i.LastIndexOf('.') + 1)..]} ⟨{shapes[i]}⟩"));
            string attributes = string.Join("  ", node.Attribute.Where(a => a.Name is not ("dilations" or "group" or "momentum")).Select(Describe));
            boxes.Add((node.OpType, string.Join("  ", new[] { attributes, weights }.Where(s => s.Length > 0)), Color(node.OpType)));
        }

        boxes.Add(("output", $"{graph.Output[0].Name}  {Shape(graph.Output[0])}", "#e8e8e8"));

        int height = Top + (boxes.Count * (BoxHeight + Gap)) + 10;
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{height}\" viewBox=\"0 0 {Width} {height}\">\n");
        svg.Append(CultureInfo.InvariantCulture, $"<rect width=\"{Width}\" height=\"{height}\" fill=\"white\"/>\n");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Width / 2}\" y=\"28\" text-anchor=\"middle\" font-size=\"16\" font-weight=\"bold\" {Font}>{Escape(Path.GetFileName(path))}</text>\n");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Width / 2}\" y=\"48\" text-anchor=\"middle\" font-size=\"12\" fill=\"#555\" {Font}>{Escape($"{model.ProducerName} {model.ProducerVersion} · IR {model.IrVersion} · opset {model.OpsetImport[0].Version} · {graph.Initializer.Sum(t => t.Dims.Aggregate(1L, (p, d) => p * d)):N0} weights and statistics")}</text>\n");
        int left = (Width - BoxWidth) / 2;
        for (int i = 0; i < boxes.Count; i++)
        {
            int y = Top + (i * (BoxHeight + Gap));
            (string title, string detail, string color) = boxes[i];
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{left}\" y=\"{y}\" width=\"{BoxWidth}\" height=\"{BoxHeight}\" rx=\"6\" fill=\"{color}\" stroke=\"#333\"/>\n");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Width / 2}\" y=\"{y + 19}\" text-anchor=\"middle\" font-size=\"14\" font-weight=\"bold\" {Font}>{Escape(title)}</text>\n");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Width / 2}\" y=\"{y + 37}\" text-anchor=\"middle\" font-size=\"11\" {Font}>{Escape(detail)}</text>\n");
            if (i + 1 < boxes.Count)
            {
                int from = y + BoxHeight, to = from + Gap;
                svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Width / 2}\" y1=\"{from}\" x2=\"{Width / 2}\" y2=\"{to - 6}\" stroke=\"#333\" stroke-width=\"1.5\"/>\n");
                svg.Append(CultureInfo.InvariantCulture, $"<path d=\"M {(Width / 2) - 5} {to - 7} L {Width / 2} {to} L {(Width / 2) + 5} {to - 7} Z\" fill=\"#333\"/>\n");
            }
        }

        return svg.Append("</svg>\n").ToString();
    }

    private static string Shape(ValueInfoProto value) =>
        "[" + string.Join(", ", value.Type.TensorType.Shape.Dim.Select(d => d.ValueCase == TensorShapeProto.Types.Dimension.ValueOneofCase.DimParam ? d.DimParam : d.DimValue.ToString(CultureInfo.InvariantCulture))) + "]";

    private static string Describe(AttributeProto attribute) => attribute.Type switch
    {
        AttributeProto.Types.AttributeType.Ints => $"{attribute.Name} {string.Join(",", attribute.Ints)}",
        AttributeProto.Types.AttributeType.Float => $"{attribute.Name} {attribute.F.ToString("G4", CultureInfo.InvariantCulture)}",
        _ => $"{attribute.Name} {attribute.I}",
    };

    private static string Color(string op) => op switch
    {
        "Conv" => "#cfe2f3",
        "Gemm" => "#fce5cd",
        "BatchNormalization" => "#fff2cc",
        "MaxPool" => "#d9d2e9",
        "Relu" or "Sigmoid" or "Tanh" or "LeakyRelu" or "Softmax" => "#d9ead3",
        _ => "#f3f3f3",
    };

    private static string Escape(string text) => SecurityElement.Escape(text);
}
