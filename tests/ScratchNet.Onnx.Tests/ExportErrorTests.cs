using CustomLayer;

namespace ScratchNet.OnnxTests;

/// <summary>What an export refuses, and how it says so; and the hook that lets a custom layer export.</summary>
public sealed class ExportErrorTests
{
    [Fact]
    public void A_custom_layer_without_the_hook_fails_naming_the_layer_and_the_hook_and_writes_nothing()
    {
        using var folder = new TempDirectory();
        var network = new Network(new Dense(4, 3), new Swish());

        var error = Assert.Throws<NotSupportedException>(() => Onnx.Export(network, folder.File("swish.onnx")));

        Assert.Contains("Layer 1 (Swish, type CustomLayer.Swish)", error.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(IOnnxExportable), error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(folder.Path));
    }

    [Fact]
    public void A_custom_layer_with_the_hook_exports_its_nodes_and_onnx_runtime_computes_its_outputs()
    {
        var network = new Network([4, 4, 2], new Conv2D(2, 3, 3, padding: 1), new Cube(), new Flatten(), new Dense(48, 2));
        network.Initialize(seed: 4);
        Tensor input = TestNetworks.Random(5, -1, 1, 3, 4, 4, 2);
        using var session = new OrtSession(ModelChecks.Export(network));

        float[] actual = session.Run(input.Span, [4, 4, 2]);

        Assert.True(Outputs.LargestDifference(network.Predict(input).Span, actual) <= Outputs.Tolerance);
    }

    [Fact]
    public void Saving_onto_a_directory_or_into_a_missing_folder_throws_an_io_exception_naming_the_path()
    {
        using var folder = new TempDirectory();
        Network network = TestNetworks.Seed();

        var directory = Assert.Throws<IOException>(() => Onnx.Export(network, folder.Path));
        var missing = Assert.Throws<DirectoryNotFoundException>(() => Onnx.Export(network, Path.Combine(folder.Path, "missing", "seed.onnx")));

        Assert.Contains(folder.Path, directory.Message, StringComparison.Ordinal);
        Assert.Contains("its folder does not exist", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_export_replaces_the_file_atomically_and_leaves_no_temporary_file()
    {
        using var folder = new TempDirectory();
        string path = folder.File("model.onnx");
        File.WriteAllText(path, "an older file");

        Onnx.Export(TestNetworks.Seed(), path);

        Assert.Equal([path], Directory.GetFiles(folder.Path));
        Assert.Equal(6, Onnx.Import(path).Layers.Count);
    }

    [Fact]
    public void Naming_the_input_and_the_output_alike_is_refused()
    {
        using var folder = new TempDirectory();

        var error = Assert.Throws<ArgumentException>(() => Onnx.Export(TestNetworks.Seed(), folder.File("seed.onnx"), new OnnxExportOptions { InputName = "x", OutputName = "x" }));

        Assert.Contains("both named 'x'", error.Message, StringComparison.Ordinal);
    }
}
