using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using ScratchNet;

namespace DigitCanvas;

/// <summary>
/// The models the page can use, by name, and the inference that records every layer's activations: the
/// shipped ones, listed, and the networks trained in the page (<see cref="Add"/>), unlisted, each known
/// only to the page that trained it, until <see cref="Remove"/>.
/// </summary>
/// <remarks>
/// <see cref="Layer.Forward"/> uses each layer's own buffers, so a network serves one request at a time:
/// each model keeps a pool of networks, and a request takes one out, runs it and puts it back, so
/// concurrent requests run in parallel on separate copies.
/// </remarks>
public sealed class ModelCatalog
{
    /// <summary>The model the page starts with and a request without <c>model</c> uses.</summary>
    public const string DefaultModel = "seed";

    // Add a model with one line: its name, what the page says about it, and how to make a network.
    private static readonly (string Name, string Description, Func<Network> Create)[] Known =
    [
        ("seed", "784-16-16-10 sigmoid network, quadratic cost (Pretrained.MnistSeed, 96.29% on MNIST)", Pretrained.MnistSeed),
        ("best", "convolutional network, three 3×3 conv blocks (the second and third with two convolutions) + dense 256 (Pretrained.MnistBest, 99.72% on MNIST)", Pretrained.MnistBest),
    ];

    private readonly ConcurrentDictionary<string, Entry> _entries = new(Known.Select(k => KeyValuePair.Create(k.Name, new Entry(k.Name, k.Description, k.Create))), StringComparer.Ordinal);

    /// <summary>The names of the models, in the order the page lists them.</summary>
    public IReadOnlyList<string> Names => [.. Known.Select(k => k.Name)];

    /// <summary>The models with their descriptions.</summary>
    public IReadOnlyList<ModelSummary> List() => [.. Known.Select(k => new ModelSummary(k.Name, k.Description))];

    /// <summary>Whether <paramref name="name"/> is a model.</summary>
    /// <param name="name">A model name such as <c>seed</c>.</param>
    public bool Contains(string name) => _entries.ContainsKey(name);

    /// <summary>Adds a trained network under <paramref name="name"/>, not listed by <see cref="List"/>.</summary>
    /// <param name="name">A name no other model has.</param>
    /// <param name="description">What the network is.</param>
    /// <param name="model">The network as a model file (<see cref="Network.Save(Stream)"/>): each copy that serves requests is loaded from it.</param>
    public void Add(string name, string description, byte[] model)
    {
        if (!_entries.TryAdd(name, new Entry(name, description, () => Network.Load(new MemoryStream(model, writable: false)))))
        {
            throw new ArgumentException($"There is already a model \"{name}\".", nameof(name));
        }
    }

    /// <summary>Removes a network added with <see cref="Add"/>, and with it its copies; requests already running finish on theirs.</summary>
    /// <param name="name">The name given to <see cref="Add"/>.</param>
    public void Remove(string name)
    {
        if (Known.Any(k => k.Name == name))
        {
            throw new ArgumentException($"The shipped model \"{name}\" cannot be removed.", nameof(name));
        }

        _entries.TryRemove(name, out _);
    }

    /// <summary>The error message for a model name that is not in the catalog.</summary>
    /// <param name="name">The unknown name; only its first 32 characters are repeated.</param>
    public string UnknownModelMessage(string name) =>
        $"Unknown model \"{JsonFields.Clip(name)}\"; the models are: {string.Join(", ", Names)}.";

    /// <summary>The layers of a model with the weights of its dense layers, for the picture of the network.</summary>
    /// <param name="name">The model name.</param>
    /// <param name="description">The description, or <see langword="null"/> for an unknown name.</param>
    public bool TryDescribe(string name, [NotNullWhen(true)] out ModelDescription? description)
    {
        description = _entries.TryGetValue(name, out Entry? entry) ? entry.Description.Value : null;
        return description is not null;
    }

    /// <summary>Runs one preprocessed image through a model, keeping the output of every layer.</summary>
    /// <param name="name">A model name from <see cref="Names"/>.</param>
    /// <param name="inputs">784 inputs from <see cref="DigitImage.FromCanvas"/>.</param>
    /// <returns>Each layer's name, kind and output, input side first; <see langword="null"/> when there is no such model (a trained one may be removed at any time).</returns>
    public IReadOnlyList<LayerActivations>? Run(string name, ReadOnlySpan<float> inputs)
    {
        if (!_entries.TryGetValue(name, out Entry? entry))
        {
            return null;
        }

        Network network = entry.Rent();
        try
        {
            Tensor a = new(inputs, [1, .. network.InputShape]);
            var layers = new List<LayerActivations>(network.Layers.Count);
            foreach (Layer layer in network.Layers)
            {
                a = layer.Forward(a, training: false);
                layers.Add(new LayerActivations(layer.Name, Kind(layer), a.Span.Length, a.Span.ToArray()));
            }

            return layers;
        }
        finally
        {
            entry.Return(network);
        }
    }

    private static string Kind(Layer layer) => layer is Dense ? "dense" : layer.GetType().Name.ToLowerInvariant();

    private sealed class Entry(string name, string description, Func<Network> create)
    {
        private readonly ConcurrentBag<Network> _pool = [];

        public Lazy<ModelDescription> Description { get; } = new(() => Describe(name, description, create()));

        public Network Rent() => _pool.TryTake(out Network? network) ? network : create();

        public void Return(Network network) => _pool.Add(network);

        private static ModelDescription Describe(string name, string description, Network network) => new(
            name,
            description,
            [.. network.InputShape],
            [.. network.Layers.Select(layer => layer is Dense dense
                ? new LayerDescription(layer.Name, Kind(layer), dense.Inputs, dense.Outputs, dense.Weights.Value.Span.ToArray(), dense.Biases.Value.Span.ToArray())
                : new LayerDescription(layer.Name, Kind(layer), null, null, null, null))]);
    }
}
