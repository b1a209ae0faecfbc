namespace ScratchNet.Serialization;

/// <summary>
/// How each built-in layer type is named and configured in a model file. Adding a layer to the format
/// means adding one entry here (and a round-trip test); names are never reused, so old files keep
/// loading. Float settings are stored as their IEEE bits in the int32 configuration.
/// </summary>
internal sealed class LayerCodec
{
    private static readonly LayerCodec[] All =
    [
        new("Dense", typeof(Dense), l => [((Dense)l).Inputs, ((Dense)l).Outputs], c => c.Length == 2 ? new Dense(c[0], c[1]) : null),
        new("Sigmoid", typeof(Sigmoid), _ => [], c => c.Length == 0 ? new Sigmoid() : null),
        new(
            "Conv2D",
            typeof(Conv2D),
            l => l is Conv2D v ? [v.InputChannels, v.Filters, v.KernelSize, v.Stride, v.Padding] : [],
            c => c.Length == 5 ? new Conv2D(c[0], c[1], c[2], c[3], c[4]) : null),
        new("MaxPool2D", typeof(MaxPool2D), l => [((MaxPool2D)l).Size, ((MaxPool2D)l).Stride], c => c.Length == 2 ? new MaxPool2D(c[0], c[1]) : null),
        new("Flatten", typeof(Flatten), _ => [], c => c.Length == 0 ? new Flatten() : null),
        new("Dropout", typeof(Dropout), l => [Bits(((Dropout)l).Rate)], c => c.Length == 1 ? new Dropout(Float(c[0])) : null),
        new(
            "BatchNorm",
            typeof(BatchNorm),
            l => l is BatchNorm b ? [b.Features, Bits(b.Momentum), Bits(b.Epsilon)] : [],
            c => c.Length == 3 ? new BatchNorm(c[0], Float(c[1]), Float(c[2])) : null,
            l => [((BatchNorm)l).RunningMean, ((BatchNorm)l).RunningVariance]),
        new("ReLU", typeof(ReLU), _ => [], c => c.Length == 0 ? new ReLU() : null),
        new("LeakyReLU", typeof(LeakyReLU), l => [Bits(((LeakyReLU)l).Alpha)], c => c.Length == 1 ? new LeakyReLU(Float(c[0])) : null),
        new("Tanh", typeof(Tanh), _ => [], c => c.Length == 0 ? new Tanh() : null),
        new("Identity", typeof(Identity), _ => [], c => c.Length == 0 ? new Identity() : null),
        new("Softmax", typeof(Softmax), _ => [], c => c.Length == 0 ? new Softmax() : null),
    ];

    private readonly Func<Layer, int[]> _config;
    private readonly Func<int[], Layer?> _create;
    private readonly Func<Layer, Tensor[]> _state;

    private LayerCodec(string typeName, Type type, Func<Layer, int[]> config, Func<int[], Layer?> create, Func<Layer, Tensor[]>? state = null)
    {
        TypeName = typeName;
        Type = type;
        _config = config;
        _create = create;
        _state = state ?? (_ => []);
    }

    public string TypeName { get; }

    public Type Type { get; }

    public static LayerCodec For(Layer layer) =>
        All.FirstOrDefault(c => c.Type == layer.GetType())
        ?? throw new NotSupportedException($"A {layer.GetType().FullName} layer cannot be saved: the model format knows {string.Join(", ", All.Select(c => c.TypeName))}.");

    /// <summary>Whether the format has a layer type of that name.</summary>
    public static bool Knows(string typeName) => All.Any(c => c.TypeName == typeName);

    /// <summary>The layer built from a file's type name and configuration, or <see langword="null"/> if either is unknown.</summary>
    public static Layer? Create(string typeName, int[] config)
    {
        try
        {
            return All.FirstOrDefault(c => c.TypeName == typeName)?._create(config);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    public int[] Config(Layer layer) => _config(layer);

    /// <summary>Tensors that are not trained but must be saved, such as batch-norm running statistics.</summary>
    public Tensor[] State(Layer layer) => _state(layer);

    private static int Bits(float value) => BitConverter.SingleToInt32Bits(value);

    private static float Float(int bits) => BitConverter.Int32BitsToSingle(bits);
}
