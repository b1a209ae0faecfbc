using ScratchNet.OnnxSchema;

namespace ScratchNet.OnnxTests;

/// <summary>Exports in memory and checks the structure of what was written, beyond what ONNX Runtime checks.</summary>
internal static class ModelChecks
{
    public static byte[] Export(Network network, OnnxExportOptions? options = null)
    {
        using var folder = new TempDirectory();
        string path = folder.File("model.onnx");
        Onnx.Export(network, path, options);
        byte[] bytes = File.ReadAllBytes(path);
        AssertWellFormed(bytes, network);
        return bytes;
    }

    /// <summary>IR 8, opset 13 imported, every initializer named, typed float and sized, inputs and outputs typed with a symbolic batch, every node input defined before use.</summary>
    public static void AssertWellFormed(byte[] bytes, Network network)
    {
        ModelProto model = ModelProto.Parser.ParseFrom(bytes);
        Assert.Equal(8, model.IrVersion);
        Assert.Equal(13, Assert.Single(model.OpsetImport, o => o.Domain.Length == 0).Version);
        Assert.Equal("ScratchNet.Onnx", model.ProducerName);
        Assert.False(string.IsNullOrEmpty(model.ProducerVersion));
        Assert.Contains(network.Layers[0].Name, model.DocString, StringComparison.Ordinal);

        var defined = new HashSet<string>(StringComparer.Ordinal);
        foreach (TensorProto initializer in model.Graph.Initializer)
        {
            Assert.False(string.IsNullOrEmpty(initializer.Name));
            Assert.Equal((int)TensorProto.Types.DataType.Float, initializer.DataType);
            Assert.Equal(initializer.Dims.Aggregate(1L, (p, d) => p * d) * sizeof(float), initializer.RawData.Length);
            Assert.True(defined.Add(initializer.Name), $"initializer {initializer.Name} appears twice");
        }

        foreach (ValueInfoProto value in model.Graph.Input.Concat(model.Graph.Output))
        {
            Assert.Equal((int)TensorProto.Types.DataType.Float, value.Type.TensorType.ElemType);
            Assert.Equal("N", value.Type.TensorType.Shape.Dim[0].DimParam);
            Assert.All(value.Type.TensorType.Shape.Dim.Skip(1), d => Assert.True(d.DimValue > 0));
        }

        defined.Add(Assert.Single(model.Graph.Input).Name);
        foreach (NodeProto node in model.Graph.Node)
        {
            Assert.False(string.IsNullOrEmpty(node.Name));
            Assert.All(node.Input, input => Assert.True(defined.Contains(input), $"node {node.Name} reads {input} before it is defined"));
            Assert.All(node.Output, output => Assert.True(defined.Add(output), $"{output} is defined twice"));
        }

        Assert.Contains(Assert.Single(model.Graph.Output).Name, defined);
    }
}
