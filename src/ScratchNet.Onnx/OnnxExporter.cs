using System.Reflection;
using ScratchNet.OnnxSchema;

namespace ScratchNet;

/// <summary>
/// Writes a network as an ONNX graph, layer by layer, keeping track of the layout of the value between them.
/// </summary>
/// <remarks>
/// ScratchNet stores images channels-last, <c>[N, H, W, C]</c>; ONNX's Conv, MaxPool and BatchNormalization
/// work channels-first, <c>[N, C, H, W]</c>. The graph takes the input as ScratchNet does (so the same
/// numbers give the same outputs), transposes once before the first layer that needs channels-first, and
/// stays channels-first through the convolution stack. At a Flatten followed (through element-wise layers)
/// by a Dense layer, the feature maps are flattened channels-first and that Dense layer's weight columns are
/// permuted to match, so no transpose is needed back; anywhere else (a Flatten feeding something else, a
/// Softmax over channels, a custom layer, the output) one Transpose restores channels-last first.
/// <para>
/// The built-in layers are mapped to operators here, by type, rather than by a method on each layer: the
/// core package knows nothing of ONNX (it has no dependencies), and the mapping is a fact about ONNX, kept in
/// one place. A custom layer, which this table cannot know, brings its own mapping through <see cref="IOnnxExportable"/>.
/// </para>
/// </remarks>
internal static class OnnxExporter
{
    private static readonly int[] ToChannelsFirst = [0, 3, 1, 2];
    private static readonly int[] ToChannelsLast = [0, 2, 3, 1];

    public static ModelProto ToModel(Network network, OnnxExportOptions options)
    {
        ArgumentException.ThrowIfNullOrEmpty(options.InputName, nameof(options.InputName));
        ArgumentException.ThrowIfNullOrEmpty(options.OutputName, nameof(options.OutputName));
        if (options.InputName == options.OutputName)
        {
            throw new ArgumentException($"The input and the output are both named '{options.InputName}'.", nameof(options));
        }

        var graph = new GraphProto { Name = "ScratchNet", DocString = network.Summary() };
        var context = new OnnxExportContext(graph, options.InputName);
        graph.Input.Add(ValueInfo(options.InputName, network.InputShape));

        var state = new LayoutState(context);
        string value = options.InputName;
        int[] shape = [.. network.InputShape];
        for (int i = 0; i < network.Layers.Count; i++)
        {
            Layer layer = network.Layers[i];
            context.BeginLayer($"{i}_{layer.GetType().Name.ToLowerInvariant()}", value, shape);
            value = ExportLayer(network, i, value, shape, state);
            shape = layer.OutputShape(shape);
        }

        context.BeginLayer("output", value, shape);
        value = state.ChannelsLast(value, shape);
        if (options.AppendSoftmax)
        {
            value = context.AddNode("Softmax", [value], new Dictionary<string, object> { ["axis"] = -1 });
        }

        Rename(graph, value, options.OutputName, context);
        graph.Output.Add(ValueInfo(options.OutputName, network.OutputShape));

        var model = new ModelProto
        {
            IrVersion = Onnx.IrVersion,
            ProducerName = "ScratchNet.Onnx",
            ProducerVersion = ProducerVersion(),
            Domain = "org.scratchnet",
            ModelVersion = 1,
            DocString = (options.Description is null ? string.Empty : options.Description + "\n\n") + network.Summary(),
            Graph = graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = string.Empty, Version = Onnx.Opset });
        model.MetadataProps.Add(new StringStringEntryProto { Key = "input_layout", Value = network.InputShape.Count == 3 ? "NHWC (ScratchNet's channels-last images)" : "batch first" });
        model.MetadataProps.Add(new StringStringEntryProto { Key = "architecture", Value = string.Join(", ", network.Layers.Select(l => l.Name)) });
        return model;
    }

    private static string ExportLayer(Network network, int index, string value, int[] shape, LayoutState state)
    {
        OnnxExportContext context = state.Context;
        Layer layer = network.Layers[index];
        switch (layer)
        {
            case Dense dense:
                return ExportDense(context, dense, value, state.TakeFlattenedMaps());
            case Conv2D conv:
                return ExportConv(context, conv, state.ChannelsFirst(value, shape));
            case MaxPool2D pool:
                return context.AddNode("MaxPool", [state.ChannelsFirst(value, shape)], new Dictionary<string, object>
                {
                    ["kernel_shape"] = new[] { pool.Size, pool.Size },
                    ["strides"] = new[] { pool.Stride, pool.Stride },
                });
            case BatchNorm norm:
                return ExportBatchNorm(context, norm, shape.Length == 3 ? state.ChannelsFirst(value, shape) : value, shape, index);
            case Flatten:
                return ExportFlatten(network, index, value, shape, state);
            case Dropout:
                return value;   // inference: a = z
            case Identity:
                return context.AddNode("Identity", [value]);
            case Relu:
                return context.AddNode("Relu", [value]);
            case Sigmoid:
                return context.AddNode("Sigmoid", [value]);
            case Tanh:
                return context.AddNode("Tanh", [value]);
            case LeakyRelu leaky:
                return context.AddNode("LeakyRelu", [value], new Dictionary<string, object> { ["alpha"] = leaky.Alpha });
            case Softmax:
                return context.AddNode("Softmax", [state.ChannelsLast(value, shape)], new Dictionary<string, object> { ["axis"] = -1 });
            case IOnnxExportable custom:
                value = state.ChannelsLast(value, shape);
                context.BeginLayer($"{index}_{layer.GetType().Name.ToLowerInvariant()}", value, shape);
                return custom.ExportOnnx(context);
            default:
                throw new NotSupportedException(
                    $"Layer {index} ({layer.Name}, type {layer.GetType().FullName}) cannot be exported to ONNX: it is not a built-in layer " +
                    $"and does not implement {nameof(IOnnxExportable)}. Implement {typeof(IOnnxExportable).FullName} on it to add the nodes of its forward pass.");
        }
    }

    /// <summary>z = a·Wᵀ + b is Gemm(a, W, b) with transB = 1: ScratchNet's W is already [outputs, inputs].</summary>
    private static string ExportDense(OnnxExportContext context, Dense dense, string value, int[]? flattenedMaps)
    {
        // After a channels-first Flatten the input index is c·H·W + y·W + x where ScratchNet's is (y·W + x)·C + c:
        // each weight column moves to where its pixel now is.
        ReadOnlySpan<float> weights = dense.Weights.Value.Span;
        float[] columns = flattenedMaps is [int height, int width, int channels]
            ? ChannelOrder.Permute(weights, height * width, channels, toChannelsFirst: true)
            : weights.ToArray();

        string w = context.AddInitializer("W", columns, dense.Outputs, dense.Inputs);
        string b = context.AddInitializer("b", dense.Biases.Value.Span, dense.Outputs);
        return context.AddNode("Gemm", [value, w, b], new Dictionary<string, object> { ["transB"] = 1 });
    }

    /// <summary>ScratchNet's filter W[f, (u, v, c)] becomes ONNX's W[f, c, u, v].</summary>
    private static string ExportConv(OnnxExportContext context, Conv2D conv, string value)
    {
        int k = conv.KernelSize, channels = conv.InputChannels;
        float[] onnx = ChannelOrder.Permute(conv.Weights.Value.Span, k * k, channels, toChannelsFirst: true);
        string w = context.AddInitializer("W", onnx, conv.Filters, channels, k, k);
        string b = context.AddInitializer("b", conv.Biases.Value.Span, conv.Filters);
        int p = conv.Padding;
        return context.AddNode("Conv", [value, w, b], new Dictionary<string, object>
        {
            ["kernel_shape"] = new[] { k, k },
            ["strides"] = new[] { conv.Stride, conv.Stride },
            ["pads"] = new[] { p, p, p, p },
            ["dilations"] = new[] { 1, 1 },
            ["group"] = 1,
        });
    }

    /// <summary>Inference form: a = γ·(z − running μ)/√(running σ² + ε) + β, over the channels (axis 1 in ONNX).</summary>
    private static string ExportBatchNorm(OnnxExportContext context, BatchNorm norm, string value, int[] shape, int index)
    {
        if (shape.Length is not (1 or 3))
        {
            throw new NotSupportedException(
                $"Layer {index} ({norm.Name}) normalises the last dimension of samples of shape {ShapeText.Format(shape)}; ONNX's BatchNormalization normalises axis 1, so only features [F] and images [H, W, C] are exported.");
        }

        string scale = context.AddInitializer("scale", norm.Scale.Value.Span, norm.Features);
        string shift = context.AddInitializer("B", norm.Shift.Value.Span, norm.Features);
        string mean = context.AddInitializer("mean", norm.RunningMean.Span, norm.Features);
        string variance = context.AddInitializer("var", norm.RunningVariance.Span, norm.Features);
        return context.AddNode("BatchNormalization", [value, scale, shift, mean, variance], new Dictionary<string, object>
        {
            ["epsilon"] = norm.Epsilon,
            ["momentum"] = 1f - norm.Momentum,   // ONNX keeps running = momentum·running + (1 − momentum)·batch
        });
    }

    private static string ExportFlatten(Network network, int index, string value, int[] shape, LayoutState state)
    {
        if (state.IsChannelsFirst && FeedsDense(network, index))
        {
            state.FlattenedMaps = shape;
            state.IsChannelsFirst = false;
            return state.Context.AddNode("Flatten", [value], new Dictionary<string, object> { ["axis"] = 1 });
        }

        return state.Context.AddNode("Flatten", [state.ChannelsLast(value, shape)], new Dictionary<string, object> { ["axis"] = 1 });
    }

    /// <summary>Whether the next layer after <paramref name="flatten"/> that mixes positions is a Dense layer, whose weights can absorb a permutation.</summary>
    private static bool FeedsDense(Network network, int flatten)
    {
        for (int i = flatten + 1; i < network.Layers.Count; i++)
        {
            switch (network.Layers[i])
            {
                case Dense:
                    return true;
                case Dropout or Identity or Relu or Sigmoid or Tanh or LeakyRelu:
                    continue;   // element-wise: indifferent to the order of the features
                default:
                    return false;
            }
        }

        return false;
    }

    /// <summary>Gives the last value the output's name, through an Identity node when that value is the input or feeds another node.</summary>
    private static void Rename(GraphProto graph, string value, string output, OnnxExportContext context)
    {
        NodeProto? producer = graph.Node.LastOrDefault(n => n.Output.Contains(value));
        if (producer is null || graph.Node.Any(n => n.Input.Contains(value)))
        {
            context.AddNode("Identity", [value]);
            producer = graph.Node[^1];
        }

        int slot = producer.Output.IndexOf(value);   // -1 for the Identity, whose one output is new
        producer.Output[Math.Max(slot, 0)] = output;
    }

    private static ValueInfoProto ValueInfo(string name, IReadOnlyList<int> sampleShape)
    {
        var shape = new TensorShapeProto();
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = "N" });   // symbolic batch
        foreach (int dim in sampleShape)
        {
            shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = dim });
        }

        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape } },
        };
    }

    private static string ProducerVersion()
    {
        string? version = typeof(Onnx).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        return version?.Split('+')[0] ?? "0";
    }

    /// <summary>The layout of the value between layers, and the transposes that change it.</summary>
    private sealed class LayoutState(OnnxExportContext context)
    {
        public OnnxExportContext Context { get; } = context;

        /// <summary>Whether the current value holds images channels-first, [N, C, H, W], where ScratchNet has [N, H, W, C].</summary>
        public bool IsChannelsFirst { get; set; }

        /// <summary>[H, W, C] of feature maps flattened channels-first, waiting for the Dense layer that absorbs the permutation.</summary>
        public int[]? FlattenedMaps { get; set; }

        public int[]? TakeFlattenedMaps()
        {
            int[]? maps = FlattenedMaps;
            FlattenedMaps = null;
            return maps;
        }

        public string ChannelsFirst(string value, int[] shape)
        {
            if (IsChannelsFirst || shape.Length != 3)
            {
                return value;
            }

            IsChannelsFirst = true;
            return Context.AddNode("Transpose", [value], new Dictionary<string, object> { ["perm"] = ToChannelsFirst });
        }

        public string ChannelsLast(string value, int[] shape)
        {
            if (!IsChannelsFirst || shape.Length != 3)
            {
                return value;
            }

            IsChannelsFirst = false;
            return Context.AddNode("Transpose", [value], new Dictionary<string, object> { ["perm"] = ToChannelsLast });
        }
    }
}
