using ScratchNet.Samples;

namespace OnnxExport;

/// <summary>The sample's command line: where MNIST is, where the model and its picture go.</summary>
internal sealed record ExportOptions(string DataDirectory, string OutputFile, string PictureFile)
{
    public static readonly SampleOption[] Options =
    [
        new("--data", "DIR", "the MNIST files (default: $SCRATCHNET_MNIST, else data/mnist here or above)"),
        new("--output", "FILE", "the ONNX model to write (mnist-best.onnx)"),
        new("--picture", "FILE", "the SVG picture of its graph (mnist-best-onnx.svg beside the model)"),
    ];

    public static string Usage { get; } = SampleCommandLine.Usage("OnnxExport", Options);

    public static string Help { get; } = SampleCommandLine.Help(
        "OnnxExport",
        "Exports Pretrained.MnistBest() to ONNX, draws its graph, and checks ONNX Runtime's accuracy and outputs against ScratchNet's.",
        Options);

    public static ExportOptions Parse(string[] args)
    {
        var line = new SampleCommandLine(args, Options);
        string output = line.Text("--output") ?? "mnist-best.onnx";
        string picture = line.Text("--picture") ?? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(output))!, "mnist-best-onnx.svg");
        return new ExportOptions(line.MnistDirectory(), output, picture);
    }

    public string? Validate() => SamplePaths.OutputFile("--output", OutputFile) ?? SamplePaths.OutputFile("--picture", PictureFile);
}
