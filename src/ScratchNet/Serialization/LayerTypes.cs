using ScratchNet.Serialization;

namespace ScratchNet;

/// <summary>
/// The layer types a model file can name: every built-in layer, plus the custom layers you register.
/// Saving writes each layer's type name and <see cref="Layer.Configuration"/>; loading looks the name
/// up here and calls the factory with the same numbers. As with Keras's registered custom objects,
/// register a custom layer once, before saving or loading a network that holds it:
/// <code>
/// LayerTypes.Register("Swish", settings => new Swish());
/// network.Save("swish.scnn");                  // a network with Swish layers
/// Network again = Network.Load("swish.scnn");
/// </code>
/// </summary>
/// <remarks>
/// The registry is process-wide (like Keras's) so that every save and load, including those of
/// <see cref="ModelCheckpoint"/> and checkpoints, sees the same names without passing a table around.
/// It only grows: a name, once given to a type, keeps it, so a file never loads as another layer.
/// Registering is thread-safe.
/// </remarks>
public static class LayerTypes
{
    private static readonly Lock Gate = new();
    private static readonly Dictionary<string, LayerType> ByName = new(StringComparer.Ordinal);
    private static readonly Dictionary<Type, LayerType> ByType = [];

    static LayerTypes()
    {
        // The built-in layers and their settings. A name is never reused, so old files keep loading.
        // The third argument is the number of values the layer's parameters and state hold for given
        // settings: the loader checks it against the file before the layer allocates anything.
        Add("Dense", s => new Dense(Whole(s, 0, 2), Whole(s, 1, 2)), s => Values(s, 2, () => (s[0] * s[1]) + s[1]));
        Add("Sigmoid", s => None(s, new Sigmoid()));
        Add("Conv2D", s => new Conv2D(Whole(s, 0, 5), Whole(s, 1, 5), Whole(s, 2, 5), Whole(s, 3, 5), Whole(s, 4, 5)), s => Values(s, 5, () => (s[1] * s[2] * s[2] * s[0]) + s[1]));
        Add("MaxPool2D", s => new MaxPool2D(Whole(s, 0, 2), Whole(s, 1, 2)));
        Add("Flatten", s => None(s, new Flatten()));
        Add("Dropout", s => new Dropout(Single(s, 0, 1)));
        Add("BatchNorm", s => new BatchNorm(Whole(s, 0, 3), Single(s, 1, 3), Single(s, 2, 3)), s => Values(s, 3, () => 4 * s[0]));
        Add("ReLU", s => None(s, new Relu()));
        Add("LeakyReLU", s => new LeakyRelu(Single(s, 0, 1)));
        Add("Tanh", s => None(s, new Tanh()));
        Add("Identity", s => None(s, new Identity()));
        Add("Softmax", s => None(s, new Softmax()));
    }

    /// <summary>
    /// Lets networks holding <typeparamref name="TLayer"/> layers be saved and loaded. Saving writes
    /// <paramref name="typeName"/> and the layer's <see cref="Layer.Configuration"/>; loading calls
    /// <paramref name="create"/> with those numbers and then fills the new layer's
    /// <see cref="Layer.Parameters"/> and <see cref="Layer.State"/> from the file.
    /// </summary>
    /// <typeparam name="TLayer">The layer class.</typeparam>
    /// <param name="typeName">The name written in files: 1 to 256 bytes of UTF-8, not a built-in layer's name.</param>
    /// <param name="create">
    /// Builds the layer from its settings. The numbers come from a file, which may be damaged or crafted:
    /// check them before allocating and throw <see cref="ArgumentException"/> for values you do not
    /// accept; the loader reports it as an <see cref="InvalidDataException"/> naming the layer.
    /// </param>
    /// <exception cref="ArgumentException">The name is empty, too long, or already registered for another type, or the type already has another name.</exception>
    public static void Register<TLayer>(string typeName, Func<IReadOnlyList<double>, TLayer> create)
        where TLayer : Layer
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(typeName);
        ArgumentNullException.ThrowIfNull(create);
        if (System.Text.Encoding.UTF8.GetByteCount(typeName) > ModelFormat.MaxNameBytes)
        {
            throw new ArgumentException($"A layer type name has at most {ModelFormat.MaxNameBytes} bytes of UTF-8; \"{typeName[..32]}…\" has more.", nameof(typeName));
        }

        lock (Gate)
        {
            if (ByName.TryGetValue(typeName, out LayerType? named) && named.Type != typeof(TLayer))
            {
                throw new ArgumentException($"The layer type name \"{typeName}\" already stands for {named.Type.FullName}; choose another name for {typeof(TLayer).FullName}.", nameof(typeName));
            }

            if (ByType.TryGetValue(typeof(TLayer), out LayerType? typed) && typed.Name != typeName)
            {
                throw new ArgumentException($"{typeof(TLayer).FullName} is already registered as \"{typed.Name}\"; a layer type keeps one name so that its files keep loading.", nameof(typeName));
            }

            var entry = new LayerType(typeName, typeof(TLayer), s => create(s), null);
            ByName[typeName] = entry;
            ByType[typeof(TLayer)] = entry;
        }
    }

    /// <summary>Whether networks holding layers of this exact type can be saved (built-in or registered).</summary>
    /// <param name="layerType">The layer's class.</param>
    public static bool IsRegistered(Type layerType)
    {
        ArgumentNullException.ThrowIfNull(layerType);
        lock (Gate)
        {
            return ByType.ContainsKey(layerType);
        }
    }

    /// <summary>The entry for a layer about to be saved.</summary>
    /// <exception cref="NotSupportedException">The layer's type is not registered; the message says how to register it.</exception>
    internal static LayerType Of(Layer layer, int index)
    {
        lock (Gate)
        {
            if (ByType.TryGetValue(layer.GetType(), out LayerType? entry))
            {
                return entry;
            }
        }

        string type = layer.GetType().Name;
        throw new NotSupportedException(
            $"Layer {index} ({layer.Name}) cannot be saved: its type {layer.GetType().FullName} is not registered. " +
            $"Register it once before saving or loading, e.g. LayerTypes.Register(\"{type}\", settings => new {type}(…)), " +
            $"and override Configuration if its constructor takes settings.");
    }

    /// <summary>The entry for a type name read from a file, or <see langword="null"/> if no layer has that name.</summary>
    internal static LayerType? Find(string typeName)
    {
        lock (Gate)
        {
            return ByName.GetValueOrDefault(typeName);
        }
    }

    /// <summary>Every registered layer class (the built-in ones first).</summary>
    internal static IReadOnlyList<Type> Types()
    {
        lock (Gate)
        {
            return [.. ByType.Keys];
        }
    }

    private static void Add<TLayer>(string name, Func<IReadOnlyList<double>, TLayer> create, Func<IReadOnlyList<double>, double>? valueCount = null)
        where TLayer : Layer
    {
        var entry = new LayerType(name, typeof(TLayer), s => create(s), valueCount);
        ByName.Add(name, entry);
        ByType.Add(typeof(TLayer), entry);
    }

    private static TLayer None<TLayer>(IReadOnlyList<double> settings, TLayer layer)
    {
        Count(settings, 0);
        return layer;
    }

    private static int Whole(IReadOnlyList<double> settings, int index, int count)
    {
        Count(settings, count);
        double value = settings[index];
        return value == Math.Floor(value) && value >= int.MinValue && value <= int.MaxValue
            ? (int)value
            : throw new ArgumentException($"setting {index} must be a whole number, not {value}");
    }

    private static float Single(IReadOnlyList<double> settings, int index, int count)
    {
        Count(settings, count);
        return (float)settings[index];
    }

    /// <summary>A value count that first checks the number of settings, as the factory does: too few are refused, not read past.</summary>
    private static double Values(IReadOnlyList<double> settings, int count, Func<double> values)
    {
        Count(settings, count);
        return values();
    }

    private static void Count(IReadOnlyList<double> settings, int count)
    {
        if (settings.Count != count)
        {
            throw new ArgumentException($"it takes {count} settings, not {settings.Count}");
        }
    }
}
