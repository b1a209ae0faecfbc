using System.Diagnostics;
using System.Globalization;

namespace ScratchNet.OnnxTests;

/// <summary>samples/OnnxExport, run as a user runs it: the model, its picture, ONNX Runtime's 99.72%.</summary>
public sealed class OnnxExportSampleTests
{
    [Fact]
    public async Task The_sample_exports_the_best_network_draws_its_graph_and_onnx_runtime_reads_99_72_percent()
    {
        using var folder = new TempDirectory();
        var testOutput = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));   // …/bin/Release/net10.0
        string dll = Path.Combine(MnistLocator.RepositoryRoot!, "samples", "OnnxExport", "bin", testOutput.Parent!.Name, testOutput.Name, "OnnxExport.dll");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = folder.Path,
        };
        start.ArgumentList.Add(dll);
        start.ArgumentList.Add("--data");
        start.ArgumentList.Add(MnistLocator.DataDirectory);

        using Process process = Process.Start(start)!;
        Task<string> errors = process.StandardError.ReadToEndAsync();
        string[] lines = (await process.StandardOutput.ReadToEndAsync()).ReplaceLineEndings("\n").Split('\n');
        await process.WaitForExitAsync();

        Assert.True(process.ExitCode == 0, await errors);
        Assert.Contains("ONNX Runtime test accuracy: 99.72%", lines);
        string difference = Assert.Single(lines, l => l.StartsWith("largest difference from ScratchNet's probabilities: ", StringComparison.Ordinal));
        Assert.True(double.Parse(difference.Split(": ")[1], CultureInfo.InvariantCulture) <= Outputs.Tolerance, difference);
        string svg = File.ReadAllText(folder.File("mnist-best-onnx.svg"));
        Assert.Equal(5, svg.Split(">Conv<").Length - 1);   // three blocks, the second and third with two convolutions each
        Assert.Equal([.. Pretrained.MnistBest().Layers.Where(l => l is not Dropout).Select(l => l.Name), "Softmax"], Onnx.Import(folder.File("mnist-best.onnx")).Layers.Select(l => l.Name));
    }
}
