using Google.Protobuf;
using ScratchNet.OnnxSchema;

namespace ScratchNet;

/// <summary>
/// Builds a <see cref="Network"/> from an ONNX graph that is a chain of operators ScratchNet has layers for,
/// walking the nodes in order and keeping track of the layout of the value between them (see
/// <see cref="OnnxExporter"/> for the layouts). Every size is checked before it is used.
/// </summary>
internal sealed class OnnxImporter
{
    private const string Supported =
        "supported: Gemm, MatMul followed by Add, Conv, MaxPool, BatchNormalization, Relu, LeakyRelu, Sigmoid, Tanh, Softmax, " +
        "Flatten, Reshape to 2-D, Dropout, Identity, Constant, and Transpose between channels-last and channels-first";

    /// <summary>More nodes or initializers than any network ScratchNet builds.</summary>
    private const int MaxNodes = 100_000;

    /// <summary>The largest dimension of an input sample.</summary>
    private const int MaxDimension = 1 << 16;

    private readonly string _source;
    private readonly int _opset;
    private readonly GraphProto _graph;
    private readonly Dictionary<string, TensorProto> _constants = new(StringComparer.Ordinal);
    private readonly List<Layer> _layers = [];
    private readonly List<Action> _fills = [];   // weights are set after Network's constructor has initialised its layers
    private readonly string _inputName;
    private int[] _inputShape = [];
    private int[] _inputDims = [];
    private int[] _shape = [];
    private string _current;
    private bool _channelsFirst;
    private int[]? _flattenedMaps;
    private float[]? _matMulBias;
    private NodeProto _node = new();
    private int _index;

    private OnnxImporter(ModelProto model, string source)
    {
        _source = source;
        _graph = model.Graph ?? throw Invalid("it has no graph");
        if (model.IrVersion is < 3 or > 11)
        {
            throw new NotSupportedException($"{source}: IR version {model.IrVersion} is not read; IR versions 3 to 11 are.");
        }

        OperatorSetIdProto? opset = model.OpsetImport.FirstOrDefault(o => o.Domain is "" or "ai.onnx")
            ?? throw Invalid("it imports no version of the default operator set (ai.onnx)");
        if (opset.Version is < Onnx.MinimumImportOpset or > Onnx.MaximumImportOpset)
        {
            throw new NotSupportedException($"{source}: operator set {opset.Version} is not read; operator sets {Onnx.MinimumImportOpset} to {Onnx.MaximumImportOpset} are.");
        }

        _opset = (int)opset.Version;
        if (_graph.Node.Count > MaxNodes || _graph.Initializer.Count > MaxNodes)
        {
            throw Invalid($"its graph has {_graph.Node.Count:N0} nodes and {_graph.Initializer.Count:N0} initializers; at most {MaxNodes:N0} of each are read");
        }

        foreach (TensorProto initializer in _graph.Initializer)
        {
            AddConstant(initializer.Name, initializer);
        }

        ValueInfoProto[] inputs = _graph.Input.Where(i => !_constants.ContainsKey(i.Name)).ToArray();
        if (inputs.Length != 1)
        {
            throw new NotSupportedException($"{source}: the graph takes {inputs.Length} inputs; networks with one input are imported.");
        }

        _inputName = _current = inputs[0].Name;
        ReadInput(inputs[0]);
    }

    public static Network Import(byte[] bytes, string source)
    {
        ModelProto model;
        try
        {
            model = ModelProto.Parser.ParseFrom(bytes);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new InvalidDataException($"{source} is not an ONNX model: {e.Message}", e);
        }

        return new OnnxImporter(model, source).Build();
    }

    private Network Build()
    {
        for (_index = 0; _index < _graph.Node.Count; _index++)
        {
            _node = _graph.Node[_index];
            if (_node.Domain is not ("" or "ai.onnx"))
            {
                throw Unsupported($"its domain '{_node.Domain}' is not ONNX's default one");
            }

            if (_node.Output.Count == 0 || _node.Output[0].Length == 0)
            {
                throw Invalid($"{Where} has no output");
            }

            if (_node.OpType == "Constant")
            {
                AddConstant(_node.Output[0], Attribute("value", AttributeProto.Types.AttributeType.Tensor)?.T ?? throw Unsupported("only a Constant with a tensor 'value' is read"));
                continue;
            }

            Step();
            _current = _node.Output[0];
        }

        return Finish();
    }

    private void Step()
    {
        float[]? matMulBias = _matMulBias;
        _matMulBias = null;
        if (_node.OpType == "Add" && matMulBias is null)
        {
            throw Unsupported("Add is read only as the bias of the MatMul just before it");
        }

        int chain = _node.OpType == "Add" && _node.Input.Count == 2 && _node.Input[1] == _current ? 1 : 0;   // Add is commutative
        if (_node.Input.Count == 0 || _node.Input[chain] != _current)
        {
            throw Unsupported($"it takes '{(_node.Input.Count == 0 ? string.Empty : _node.Input[0])}' where the chain is at '{_current}'; only chains of layers are imported, not graphs that branch");
        }

        switch (_node.OpType)
        {
            case "Gemm": Gemm(); break;
            case "MatMul": MatMul(); break;
            case "Add": AddBias(matMulBias!, 1 - chain); break;
            case "Conv": Conv(); break;
            case "MaxPool": MaxPool(); break;
            case "BatchNormalization": BatchNormalization(); break;
            case "Relu": Add(new Relu()); break;
            case "Sigmoid": Add(new Sigmoid()); break;
            case "Tanh": Add(new Tanh()); break;
            case "LeakyRelu": Add(Create(() => new LeakyRelu(Float("alpha", 0.01f)))); break;
            case "Identity": Add(new Identity()); break;
            case "Softmax": Softmax(); break;
            case "Flatten": FlattenTo2D(Int("axis", 1) == 1 ? null : "its axis is not 1"); break;
            case "Reshape": Reshape(); break;
            case "Dropout": Dropout(); break;
            case "Transpose": Transpose(); break;
            default: throw Unsupported("ScratchNet has no layer for it");
        }
    }

    private Network Finish()
    {
        if (_graph.Output.Count != 1 || _graph.Output[0].Name != _current)
        {
            throw new NotSupportedException($"{_source}: the graph's outputs ({string.Join(", ", _graph.Output.Select(o => o.Name))}) are not the one value at the end of its chain ('{_current}').");
        }

        if (_channelsFirst || _flattenedMaps is [_, _, > 1] && _flattenedMaps[0] * _flattenedMaps[1] > 1)
        {
            throw new NotSupportedException($"{_source}: the graph ends with channels-first feature maps, which ScratchNet would give channels-last; end it with a Gemm or a Transpose to [N, H, W, C].");
        }

        if (_layers.Count == 0)
        {
            throw new NotSupportedException($"{_source}: the graph has no operator ScratchNet builds a layer from ({Supported}).");
        }

        Network network;
        try
        {
            network = new Network(_inputShape, [.. _layers]);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"{_source}: the layers do not fit together: {e.Message}", e);
        }

        foreach (Action fill in _fills)
        {
            fill();
        }

        return network;
    }

    private void ReadInput(ValueInfoProto input)
    {
        TypeProto.Types.Tensor tensor = input.Type?.TensorType ?? throw Invalid($"its input '{input.Name}' is not a tensor");
        if (tensor.ElemType != (int)TensorProto.Types.DataType.Float)
        {
            throw new NotSupportedException($"{_source}: the input '{input.Name}' has element type {tensor.ElemType}; float32 inputs are read.");
        }

        var dims = (tensor.Shape ?? throw Invalid($"its input '{input.Name}' has no shape")).Dim;
        if (dims.Count is not (2 or 4))
        {
            throw new NotSupportedException($"{_source}: the input '{input.Name}' has {dims.Count} dimensions; [N, features] and images [N, C, H, W] are read.");
        }

        _inputDims = new int[dims.Count - 1];
        for (int d = 1; d < dims.Count; d++)
        {
            if (dims[d].ValueCase != TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue || dims[d].DimValue is < 1 or > MaxDimension)
            {
                throw new NotSupportedException($"{_source}: dimension {d} of the input '{input.Name}' is {(dims[d].ValueCase == TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue ? dims[d].DimValue : $"'{dims[d].DimParam}'")}; only the batch may be symbolic, and sizes are from 1 to {MaxDimension}.");
            }

            _inputDims[d - 1] = (int)dims[d].DimValue;
        }

        if (_inputDims.Aggregate(1L, (p, d) => p * d) > OnnxTensors.MaxElements)
        {
            throw Invalid($"its input samples of {string.Join(" × ", _inputDims)} values are larger than {OnnxTensors.MaxElements:N0}");
        }

        // An image input is taken to be channels-first, as PyTorch writes it, unless a Transpose to channels-first follows (see Transpose).
        _channelsFirst = _inputDims.Length == 3;
        _inputShape = _shape = _channelsFirst ? [_inputDims[1], _inputDims[2], _inputDims[0]] : [.. _inputDims];
    }

    /// <summary>Gemm: Y = α·A·op(B) + β·C, with op(B) = Bᵀ when transB = 1 (B is then [outputs, inputs], as ScratchNet's W is).</summary>
    private void Gemm()
    {
        if (Int("transA", 0) != 0)
        {
            throw Unsupported("transA = 1 is not read");
        }

        bool transposed = Int("transB", 0) != 0;
        (float[] b, long[] dims) = Weights(1, rank: 2);
        int inputs = (int)(transposed ? dims[1] : dims[0]), outputs = (int)(transposed ? dims[0] : dims[1]);
        float[] weights = transposed ? b : Transpose(b, inputs, outputs);
        float alpha = Float("alpha", 1f), beta = Float("beta", 1f);
        float[] bias = new float[outputs];
        if (_node.Input.Count > 2 && _node.Input[2].Length > 0)
        {
            (float[] c, _) = Weights(2, rank: null);
            if (c.Length != outputs && c.Length != 1)
            {
                throw Invalid($"{Where}: its C holds {c.Length} values for {outputs} outputs");
            }

            for (int o = 0; o < outputs; o++)
            {
                bias[o] = beta * c[c.Length == 1 ? 0 : o];
            }
        }

        for (int i = 0; i < weights.Length; i++)
        {
            weights[i] *= alpha;
        }

        AddDense(inputs, outputs, weights, bias);
    }

    /// <summary>MatMul by a constant B of [inputs, outputs]: a Dense layer whose bias the following Add gives.</summary>
    private void MatMul()
    {
        (float[] b, long[] dims) = Weights(1, rank: 2);
        int inputs = (int)dims[0], outputs = (int)dims[1];
        _matMulBias = new float[outputs];
        AddDense(inputs, outputs, Transpose(b, inputs, outputs), _matMulBias);
    }

    /// <summary>The Add after a MatMul: its constant input is the bias of the Dense layer the MatMul made.</summary>
    private void AddBias(float[] bias, int input)
    {
        (float[] values, _) = Weights(input, rank: null);
        if (values.Length != bias.Length && values.Length != 1)
        {
            throw Invalid($"{Where}: it adds {values.Length} values to {bias.Length} outputs");
        }

        for (int o = 0; o < bias.Length; o++)
        {
            bias[o] = values[values.Length == 1 ? 0 : o];   // the array the Dense layer's fill copies
        }
    }

    private void AddDense(int inputs, int outputs, float[] weights, float[] bias)
    {
        if (_shape.Length != 1 || _shape[0] != inputs)
        {
            throw Invalid($"{Where}: its weights take {inputs} inputs, but the value before it has samples of shape {ShapeText.Format(_shape)}");
        }

        // A Flatten of channels-first maps ordered the inputs (c, y, x); ScratchNet's Flatten orders them (y, x, c).
        if (_flattenedMaps is [int height, int width, int channels])
        {
            weights = ChannelOrder.Permute(weights, height * width, channels, toChannelsFirst: false);
            _flattenedMaps = null;
        }

        Dense dense = Create(() => new Dense(inputs, outputs));
        AddWeighted(dense, dense.Weights, weights, dense.Biases, bias);
    }

    /// <summary>Adds a layer whose W and b are set once the network is built (its constructor initialises them).</summary>
    private void AddWeighted(Layer layer, Parameter weights, float[] w, Parameter biases, float[] b)
    {
        _fills.Add(() =>
        {
            w.CopyTo(weights.Value.Span);
            b.CopyTo(biases.Value.Span);
        });
        Add(layer);
    }

    private void Conv()
    {
        RequireChannelsFirstImages();
        (float[] w, long[] dims) = Weights(1, rank: 4);
        int filters = (int)dims[0], channels = (int)dims[1], k = (int)dims[2];
        if (dims[3] != k || channels != _shape[2])
        {
            throw Invalid($"{Where}: its weights of shape [{string.Join(", ", dims)}] are not square filters over the {_shape[2]} channels of its input");
        }

        (long[] kernel, long[] strides, long[] pads, long[] dilations) = Window(Ints("kernel_shape") ?? [k, k]);
        if (kernel is not [var kh, var kw] || kh != k || kw != k || strides is not [var sy, var sx] || sy != sx
            || pads is not [var p, _, _, _] || pads.Any(v => v != p) || dilations.Any(d => d != 1) || Int("group", 1) != 1 || !NoAutoPad())
        {
            throw Unsupported($"ScratchNet's Conv2D has square filters, one stride, the same padding on every side, no dilation and one group (kernel_shape [{string.Join(", ", kernel)}], strides [{string.Join(", ", strides)}], pads [{string.Join(", ", pads)}], dilations [{string.Join(", ", dilations)}])");
        }

        float[] bias = new float[filters];
        if (_node.Input.Count > 2 && _node.Input[2].Length > 0)
        {
            bias = Weights(2, rank: 1).Values;
            if (bias.Length != filters)
            {
                throw Invalid($"{Where}: it has {bias.Length} biases for {filters} filters");
            }
        }

        Conv2D conv = Create(() => new Conv2D(channels, filters, k, (int)sy, (int)p));
        AddWeighted(conv, conv.Weights, ChannelOrder.Permute(w, k * k, channels, toChannelsFirst: false), conv.Biases, bias);
    }

    private void MaxPool()
    {
        RequireChannelsFirstImages();
        (long[] kernel, long[] strides, long[] pads, long[] dilations) = Window(Ints("kernel_shape") ?? throw Invalid($"{Where} has no kernel_shape"));
        if (kernel is not [var k, var kw] || kw != k || strides is not [var s, var sx] || sx != s || pads.Any(p => p != 0)
            || dilations.Any(d => d != 1) || Int("ceil_mode", 0) != 0 || Int("storage_order", 0) != 0 || !NoAutoPad() || _node.Output.Count > 1)
        {
            throw Unsupported($"ScratchNet's MaxPool2D has square windows, one stride, no padding, no dilation, floor rounding and one output (kernel_shape [{string.Join(", ", kernel)}], strides [{string.Join(", ", strides)}], pads [{string.Join(", ", pads)}])");
        }

        Add(Create(() => new MaxPool2D((int)k, (int)s)));
    }

    private void BatchNormalization()
    {
        if (Int("training_mode", 0) != 0 || Int("spatial", 1) != 1)
        {
            throw Unsupported("only the inference form (training_mode = 0, spatial = 1) is read");
        }

        int features = _shape switch
        {
            [int f] => f,
            [_, _, int c] when _channelsFirst => c,
            _ => throw Unsupported($"it normalises samples of shape {ShapeText.Format(_shape)}; features [N, F] and channels-first images are read"),
        };
        float[][] inputs = new float[4][];
        for (int i = 0; i < 4; i++)
        {
            inputs[i] = Weights(i + 1, rank: 1).Values;
            if (inputs[i].Length != features)
            {
                throw Invalid($"{Where}: input {i + 1} holds {inputs[i].Length} values for {features} features");
            }
        }

        if (inputs[3].Any(v => v < 0))
        {
            throw Invalid($"{Where}: a running variance is negative");
        }

        float momentum = 1f - Float("momentum", 0.9f);   // ONNX: running = momentum·running + (1 − momentum)·batch
        BatchNorm norm = Create(() => new BatchNorm(features, momentum is > 0f and <= 1f ? momentum : 0.1f, Float("epsilon", 1e-5f)));
        _fills.Add(() =>
        {
            inputs[0].CopyTo(norm.Scale.Value.Span);
            inputs[1].CopyTo(norm.Shift.Value.Span);
            inputs[2].CopyTo(norm.RunningMean.Span);
            inputs[3].CopyTo(norm.RunningVariance.Span);
        });
        Add(norm);
    }

    private void Softmax()
    {
        long axis = Int("axis", _opset >= 13 ? -1 : 1);
        bool lastAxis = axis == -1 || axis == _shape.Length;
        if (_channelsFirst || !lastAxis || (_opset < 13 && _shape.Length != 1))
        {
            throw Unsupported($"ScratchNet's Softmax normalises the last axis of channels-last values (axis {axis} of samples {ShapeText.Format(_shape)}, operator set {_opset})");
        }

        Add(new Softmax());
    }

    private void Reshape()
    {
        long[] target = OnnxTensors.Int64s(Constant(1), $"{Where}: its shape");
        long size = _shape.Aggregate(1L, (p, d) => p * d);
        bool flattens = target is [var n, var m] && n is -1 or 0 && (m == size || (m == -1 && n == 0)) && Int("allowzero", 0) == 0;
        FlattenTo2D(flattens ? null : $"its shape [{string.Join(", ", target)}] does not make [N, {size}]");
    }

    private void FlattenTo2D(string? unsupported)
    {
        if (unsupported is not null)
        {
            throw Unsupported($"only a flattening to [N, features] is read: {unsupported}");
        }

        int[] maps = _shape;
        Add(new Flatten());
        if (_channelsFirst)
        {
            _flattenedMaps = maps;   // the next Dense layer's weights are permuted to ScratchNet's order
            _channelsFirst = false;
        }
    }

    private void Dropout()
    {
        float rate = _opset < 12 || _node.Input.Count < 2 || _node.Input[1].Length == 0
            ? Float("ratio", 0.5f)
            : Weights(1, rank: null).Values is [float r] ? r : throw Invalid($"{Where}: its ratio is not one value");
        if (_node.Input.Count > 2 && _node.Input[2].Length > 0 && OnnxTensors.Int64s(Constant(2), $"{Where}: its training_mode") is not [0])
        {
            throw Unsupported("only dropout at inference (training_mode = false) is read");
        }

        Add(Create(() => new Dropout(rate)));
    }

    /// <summary>Transposes between layouts change no layer: only which layout the chain is in.</summary>
    private void Transpose()
    {
        long[] perm = Ints("perm") ?? [];
        if (perm is [0, 3, 1, 2] && _current == _inputName && _inputDims.Length == 3)
        {
            _inputShape = _shape = [.. _inputDims];   // the input was channels-last, [N, H, W, C], as ScratchNet's own export writes it
            _channelsFirst = true;
        }
        else if (perm is [0, 2, 3, 1] && _channelsFirst && _shape.Length == 3)
        {
            _channelsFirst = false;
        }
        else
        {
            throw Unsupported($"only a Transpose of the input from channels-last to channels-first (perm [0, 3, 1, 2]) and of images back (perm [0, 2, 3, 1]) is read, not perm [{string.Join(", ", perm)}]");
        }
    }

    private void Add(Layer layer)
    {
        if (_flattenedMaps is not null && layer is not (Relu or Sigmoid or Tanh or LeakyRelu or Identity or ScratchNet.Dropout or Dense))
        {
            throw Unsupported("after flattening channels-first feature maps, only element-wise layers may come before the Gemm or MatMul that takes them");
        }

        try
        {
            _shape = layer.OutputShape(_shape);
        }
        catch (ArgumentException e)
        {
            throw Invalid($"{Where}: {e.Message}");
        }

        _layers.Add(layer);
    }

    private T Create<T>(Func<T> create)
        where T : Layer
    {
        try
        {
            return create();
        }
        catch (ArgumentException e)
        {
            throw Invalid($"{Where}: its settings do not make a ScratchNet {typeof(T).Name}: {e.Message}");
        }
    }

    /// <summary>A Conv's or MaxPool's window: kernel, strides (1 by default), pads and dilations, each from 0 to <see cref="MaxDimension"/>.</summary>
    private (long[] Kernel, long[] Strides, long[] Pads, long[] Dilations) Window(long[] kernel)
    {
        long[] strides = Ints("strides") ?? [1, 1], pads = Ints("pads") ?? [0, 0, 0, 0], dilations = Ints("dilations") ?? [1, 1];
        long outOfRange = kernel.Concat(strides).Concat(pads).Concat(dilations).FirstOrDefault(v => v is < 0 or > MaxDimension, 0);
        if (outOfRange != 0)
        {
            throw Invalid($"{Where}: a window setting of {outOfRange} is outside 0 to {MaxDimension}");
        }

        return (kernel, strides, pads, dilations);
    }

    private void RequireChannelsFirstImages()
    {
        if (_shape.Length != 3 || !_channelsFirst)
        {
            throw Unsupported($"it needs channels-first images [N, C, H, W], but the value before it has samples of shape {ShapeText.Format(_shape)}{(_channelsFirst ? string.Empty : " in channels-last order")}");
        }
    }

    private bool NoAutoPad()
    {
        AttributeProto? autoPad = Attribute("auto_pad", AttributeProto.Types.AttributeType.String);
        return autoPad is null || autoPad.S.ToStringUtf8() is "NOTSET" or "VALID" or "";
    }

    private (float[] Values, long[] Dims) Weights(int input, int? rank)
    {
        (float[] values, long[] dims) = OnnxTensors.Floats(Constant(input), $"{Where}: input {input} '{_node.Input[input]}'");
        if (rank is int r && dims.Length != r)
        {
            throw Invalid($"{Where}: input {input} has {dims.Length} dimensions, not {r}");
        }

        if (dims.Any(d => d == 0))
        {
            throw Invalid($"{Where}: input {input} is empty");
        }

        return (values, dims);
    }

    private TensorProto Constant(int input)
    {
        if (_node.Input.Count <= input || _node.Input[input].Length == 0)
        {
            throw Invalid($"{Where} lacks input {input}");
        }

        return _constants.TryGetValue(_node.Input[input], out TensorProto? tensor)
            ? tensor
            : throw Unsupported($"its input {input} ('{_node.Input[input]}') is neither an initializer nor a Constant; only weights known in advance are read");
    }

    private void AddConstant(string name, TensorProto tensor)
    {
        if (name.Length == 0 || !_constants.TryAdd(name, tensor))
        {
            throw Invalid(name.Length == 0 ? "an initializer has no name" : $"two initializers or constants are named '{name}'");
        }
    }

    private AttributeProto? Attribute(string name, AttributeProto.Types.AttributeType type)
    {
        AttributeProto? attribute = _node.Attribute.FirstOrDefault(a => a.Name == name);
        if (attribute is not null && attribute.Type != type && attribute.Type != AttributeProto.Types.AttributeType.Undefined)
        {
            throw Invalid($"{Where}: its attribute {name} is a {attribute.Type}, not a {type}");
        }

        return attribute;
    }

    private long Int(string name, long fallback) => Attribute(name, AttributeProto.Types.AttributeType.Int)?.I ?? fallback;

    private float Float(string name, float fallback) => Attribute(name, AttributeProto.Types.AttributeType.Float)?.F ?? fallback;

    private long[]? Ints(string name) => Attribute(name, AttributeProto.Types.AttributeType.Ints) is { } a ? [.. a.Ints] : null;

    private static float[] Transpose(float[] matrix, int rows, int columns)
    {
        float[] transposed = new float[matrix.Length];
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < columns; c++)
            {
                transposed[(c * rows) + r] = matrix[(r * columns) + c];
            }
        }

        return transposed;
    }

    private string Where => $"node {_index} '{_node.Name}' ({_node.OpType})";

    private InvalidDataException Invalid(string problem) => new($"{_source}: {problem}.");

    private NotSupportedException Unsupported(string problem) => new($"{_source}: {Where} is not supported: {problem} ({Supported}).");
}
