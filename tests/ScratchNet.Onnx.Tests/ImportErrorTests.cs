using Google.Protobuf;
using ScratchNet.OnnxSchema;

namespace ScratchNet.OnnxTests;

/// <summary>
/// Files the importer refuses: each with <see cref="InvalidDataException"/> (not a well-formed model) or
/// <see cref="NotSupportedException"/> (valid ONNX beyond ScratchNet's layers), and a message naming the problem.
/// </summary>
public sealed class ImportErrorTests
{
    [Fact]
    public void An_operator_without_a_layer_is_refused_naming_the_node_its_operator_and_what_is_supported()
    {
        var error = Assert.Throws<NotSupportedException>(() => ImportChanged(model => model.Graph.Node[1].OpType = "Cos"));

        Assert.True(error.Message.Contains("node 1 '1_sigmoid/Sigmoid' (Cos) is not supported: ScratchNet has no layer for it", StringComparison.Ordinal), error.Message);
        Assert.True(error.Message.Contains("supported: Gemm, MatMul followed by Add, Conv", StringComparison.Ordinal), error.Message);
    }

    [Fact]
    public void A_graph_that_branches_is_refused()
    {
        var error = Assert.Throws<NotSupportedException>(() => ImportChanged(model => model.Graph.Node[2].Input[0] = "input"));

        Assert.True(error.Message.Contains("only chains of layers are imported", StringComparison.Ordinal), error.Message);
    }

    [Fact]
    public void Bytes_that_are_not_protobuf_are_invalid_data()
    {
        var error = Assert.Throws<InvalidDataException>(() => Onnx.Import(new MemoryStream("not an ONNX model at all"u8.ToArray())));

        Assert.True(error.Message.Contains("stream is not an ONNX model", StringComparison.Ordinal), error.Message);
    }

    [Fact]
    public void A_truncated_model_is_invalid_data()
    {
        byte[] bytes = ModelChecks.Export(TestNetworks.Seed());

        Assert.Throws<InvalidDataException>(() => Onnx.Import(new MemoryStream(bytes[..(bytes.Length / 2)])));
    }

    [Fact]
    public void A_tensor_declaring_more_values_than_the_limit_is_refused_before_anything_is_allocated()
    {
        var error = Assert.Throws<InvalidDataException>(() => ImportChanged(model =>
        {
            model.Graph.Initializer[0].Dims.Clear();
            model.Graph.Initializer[0].Dims.Add([1L << 20, 1L << 20]);
        }));

        Assert.True(error.Message.Contains("declares more than 67,108,864 values", StringComparison.Ordinal), error.Message);
    }

    [Fact]
    public void A_tensor_whose_bytes_do_not_fill_its_dimensions_is_invalid_data()
    {
        var error = Assert.Throws<InvalidDataException>(() => ImportChanged(model =>
            model.Graph.Initializer[0].RawData = ByteString.CopyFrom(model.Graph.Initializer[0].RawData.Span[..100])));

        Assert.True(error.Message.Contains("(Gemm): input 1 '0_dense.W': its dimensions need 50,176 bytes, but the file holds 100", StringComparison.Ordinal), error.Message);
    }

    [Fact]
    public void A_weight_that_is_not_finite_is_invalid_data()
    {
        var error = Assert.Throws<InvalidDataException>(() => ImportChanged(model =>
        {
            byte[] raw = model.Graph.Initializer[1].RawData.ToByteArray();
            BitConverter.GetBytes(float.NaN).CopyTo(raw, 8);
            model.Graph.Initializer[1].RawData = ByteString.CopyFrom(raw);
        }));

        Assert.True(error.Message.Contains("value 2 is NaN", StringComparison.Ordinal), error.Message);
    }

    [Fact]
    public void Weights_of_another_type_or_in_an_external_file_are_not_supported()
    {
        Assert.Throws<NotSupportedException>(() => ImportChanged(model => model.Graph.Initializer[0].DataType = (int)TensorProto.Types.DataType.Double));
        var external = Assert.Throws<NotSupportedException>(() => ImportChanged(model => model.Graph.Initializer[0].DataLocation = TensorProto.Types.DataLocation.External));

        Assert.Contains("external file", external.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_operator_set_outside_9_to_17_is_not_supported()
    {
        var error = Assert.Throws<NotSupportedException>(() => ImportChanged(model => model.OpsetImport[0].Version = 21));

        Assert.True(error.Message.Contains("operator set 21 is not read; operator sets 9 to 17 are", StringComparison.Ordinal), error.Message);
    }

    [Fact]
    public void Convolution_settings_scratchnet_has_no_layer_for_are_named()
    {
        byte[] bytes = ModelChecks.Export(new Network([6, 6, 1], new Conv2D(1, 2, 3), new Flatten(), new Dense(32, 2)));
        ModelProto model = ModelProto.Parser.ParseFrom(bytes);
        model.Graph.Node.Single(n => n.OpType == "Conv").Attribute.Single(a => a.Name == "dilations").Ints[0] = 2;

        var error = Assert.Throws<NotSupportedException>(() => Onnx.Import(new MemoryStream(model.ToByteArray())));

        Assert.True(error.Message.Contains("(Conv) is not supported: ScratchNet's Conv2D has square filters, one stride, the same padding on every side, no dilation", StringComparison.Ordinal), error.Message);
    }

    [Fact]
    public void A_window_setting_too_large_for_a_layer_is_invalid_data()
    {
        ModelProto model = ModelProto.Parser.ParseFrom(ModelChecks.Export(new Network([6, 6, 1], new Conv2D(1, 2, 3), new MaxPool2D(2))));
        var strides = model.Graph.Node.Single(n => n.OpType == "MaxPool").Attribute.Single(a => a.Name == "strides").Ints;
        strides[0] = strides[1] = 1L << 40;

        var error = Assert.Throws<InvalidDataException>(() => Onnx.Import(new MemoryStream(model.ToByteArray())));

        Assert.True(error.Message.Contains("(MaxPool): a window setting of 1099511627776 is outside 0 to 65536", StringComparison.Ordinal), error.Message);
    }

    [Fact]
    public void A_missing_file_throws_file_not_found()
    {
        using var folder = new TempDirectory();

        Assert.Throws<FileNotFoundException>(() => Onnx.Import(folder.File("missing.onnx")));
    }

    [Fact]
    public void A_file_larger_than_the_limit_is_refused_before_it_is_read()
    {
        using var folder = new TempDirectory();
        string path = folder.File("huge.onnx");
        using (var file = new FileStream(path, FileMode.CreateNew))
        {
            file.SetLength(Onnx.MaxModelBytes + 1);   // sparse: no disk, no memory
        }

        var error = Assert.Throws<InvalidDataException>(() => Onnx.Import(path));

        Assert.Equal($"{path} holds 536,870,913 bytes; ONNX models of more than 536,870,912 bytes are not read.", error.Message);
    }

    /// <summary>Imports the seed network's export after <paramref name="change"/> (nodes: 0 Gemm, 1 Sigmoid, 2 Gemm, …; initializers: 0 W, 1 b, …).</summary>
    private static Network ImportChanged(Action<ModelProto> change)
    {
        ModelProto model = ModelProto.Parser.ParseFrom(ModelChecks.Export(TestNetworks.Seed()));
        change(model);
        return Onnx.Import(new MemoryStream(model.ToByteArray()));
    }
}
