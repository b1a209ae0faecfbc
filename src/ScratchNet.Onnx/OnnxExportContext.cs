using System.Runtime.InteropServices;
using Google.Protobuf;
using ScratchNet.OnnxSchema;

namespace ScratchNet;

/// <summary>
/// The graph under construction, as one layer sees it during an export: the name of its input value and the
/// methods that add initializers (weights) and nodes (operators) named after the layer. Built-in layers are
/// exported through the same methods as a custom layer's <see cref="IOnnxExportable.ExportOnnx"/>.
/// </summary>
public sealed class OnnxExportContext
{
    private readonly GraphProto _graph;
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    private string _prefix = "layer";

    internal OnnxExportContext(GraphProto graph, string inputName)
    {
        _graph = graph;
        _names.Add(inputName);
        Input = inputName;
    }

    /// <summary>The name of the value that holds the current layer's input.</summary>
    public string Input { get; private set; }

    /// <summary>The shape of one input sample of the current layer, as ScratchNet sees it (batch excluded, images channels-last).</summary>
    public IReadOnlyList<int> InputShape { get; private set; } = [];

    /// <summary>Adds a float tensor of weights to the graph, named after the layer.</summary>
    /// <param name="name">A short name, unique within the layer, such as <c>"W"</c>.</param>
    /// <param name="values">The values, in row-major order.</param>
    /// <param name="dims">The tensor's dimensions; their product must be the number of values.</param>
    /// <returns>The initializer's name in the graph, to pass as a node's input.</returns>
    /// <exception cref="ArgumentException">The dimensions do not hold the values, or a value is NaN or infinite.</exception>
    public string AddInitializer(string name, ReadOnlySpan<float> values, params ReadOnlySpan<int> dims)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        long count = 1;
        foreach (int dim in dims)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(dim, nameof(dims));
            count *= dim;
        }

        if (count != values.Length)
        {
            throw new ArgumentException($"The dimensions {ShapeText.Format(dims)} hold {count} values, but {values.Length} were given.", nameof(dims));
        }

        int bad = FirstNonFinite(values);
        if (bad >= 0)
        {
            throw new ArgumentException($"Value {bad} of {name} is {values[bad]}: an ONNX model of a diverged network would compute nothing useful.", nameof(values));
        }

        var tensor = new TensorProto
        {
            Name = Unique($"{_prefix}.{name}"),
            DataType = (int)TensorProto.Types.DataType.Float,
            // ONNX's raw_data is little-endian, as .NET's floats are on every platform it runs on (x64, Arm64).
            RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(values)),
        };
        foreach (int dim in dims)
        {
            tensor.Dims.Add(dim);
        }

        _graph.Initializer.Add(tensor);
        return tensor.Name;
    }

    /// <summary>Adds an operator of the default ONNX domain, with one output, named after the layer.</summary>
    /// <param name="opType">The operator, e.g. <c>"Mul"</c> (see the ONNX operator list for opset <see cref="Onnx.Opset"/>).</param>
    /// <param name="inputs">The names of its inputs: <see cref="Input"/>, initializers, or outputs of earlier nodes.</param>
    /// <param name="attributes">
    /// Its attributes, or <see langword="null"/>: each value an <see cref="int"/> or <see cref="long"/>, a
    /// <see cref="float"/>, a <see cref="string"/>, or an array of ints, longs or floats.
    /// </param>
    /// <returns>The name of the node's output value.</returns>
    /// <exception cref="ArgumentException">An attribute has a type ONNX attributes cannot hold.</exception>
    public string AddNode(string opType, IReadOnlyList<string> inputs, IReadOnlyDictionary<string, object>? attributes = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(opType);
        ArgumentNullException.ThrowIfNull(inputs);
        string name = Unique($"{_prefix}/{opType}");
        var node = new NodeProto { Name = name, OpType = opType };
        node.Input.AddRange(inputs);
        node.Output.Add(name);
        foreach ((string key, object value) in attributes ?? new Dictionary<string, object>())
        {
            node.Attribute.Add(Attribute(key, value));
        }

        _graph.Node.Add(node);
        return name;
    }

    /// <summary>Moves on to the next layer: its input and the prefix of the names it adds.</summary>
    internal void BeginLayer(string prefix, string input, IReadOnlyList<int> inputShape)
    {
        _prefix = prefix;
        Input = input;
        InputShape = inputShape;
    }

    private string Unique(string name)
    {
        string unique = name;
        for (int n = 2; !_names.Add(unique); n++)
        {
            unique = $"{name}_{n}";
        }

        return unique;
    }

    private static int FirstNonFinite(ReadOnlySpan<float> values)
    {
        for (int i = 0; i < values.Length; i++)
        {
            if (!float.IsFinite(values[i]))
            {
                return i;
            }
        }

        return -1;
    }

    private static AttributeProto Attribute(string name, object value)
    {
        var attribute = new AttributeProto { Name = name };
        switch (value)
        {
            case int or long:
                attribute.Type = AttributeProto.Types.AttributeType.Int;
                attribute.I = Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture);
                break;
            case float f:
                attribute.Type = AttributeProto.Types.AttributeType.Float;
                attribute.F = f;
                break;
            case string s:
                attribute.Type = AttributeProto.Types.AttributeType.String;
                attribute.S = ByteString.CopyFromUtf8(s);
                break;
            case int[] or long[]:
                attribute.Type = AttributeProto.Types.AttributeType.Ints;
                attribute.Ints.AddRange(value is int[] ints ? ints.Select(i => (long)i) : (long[])value);
                break;
            case float[] floats:
                attribute.Type = AttributeProto.Types.AttributeType.Floats;
                attribute.Floats.AddRange(floats);
                break;
            default:
                throw new ArgumentException($"Attribute {name} is a {value?.GetType().Name ?? "null"}; ONNX attributes here are int, long, float, string, or arrays of int, long or float.", nameof(value));
        }

        return attribute;
    }
}
