namespace ScratchNet.Serialization;

/// <summary>
/// How each built-in layer type is named and configured in a model file. Adding a layer to the format
/// means adding one entry here (and a round-trip test); names are never reused, so old files keep loading.
/// </summary>
internal sealed class LayerCodec
{
    private static readonly LayerCodec[] All =
    [
        new("Dense", typeof(Dense), l => [((Dense)l).Inputs, ((Dense)l).Outputs], c => c.Length == 2 ? new Dense(c[0], c[1]) : null),
        new("Sigmoid", typeof(Sigmoid), _ => [], c => c.Length == 0 ? new Sigmoid() : null),
    ];

    private readonly Func<Layer, int[]> _config;
    private readonly Func<int[], Layer?> _create;

    private LayerCodec(string typeName, Type type, Func<Layer, int[]> config, Func<int[], Layer?> create)
    {
        TypeName = typeName;
        Type = type;
        _config = config;
        _create = create;
    }

    public string TypeName { get; }

    public Type Type { get; }

    public static LayerCodec For(Layer layer) =>
        All.FirstOrDefault(c => c.Type == layer.GetType())
        ?? throw new NotSupportedException($"A {layer.GetType().FullName} layer cannot be saved: the model format knows {string.Join(", ", All.Select(c => c.TypeName))}.");

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
}
