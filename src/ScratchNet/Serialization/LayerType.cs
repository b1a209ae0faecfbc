namespace ScratchNet.Serialization;

/// <summary>One entry of <see cref="LayerTypes"/>: the name a file uses for a layer class and how to rebuild it.</summary>
/// <param name="Name">The name written in files.</param>
/// <param name="Type">The layer class.</param>
/// <param name="Create">Builds the layer from its settings; throws <see cref="ArgumentException"/> for settings it rejects.</param>
/// <param name="ValueCount">
/// For built-in layers, the number of values their parameters and state hold for given settings, so the
/// loader can refuse settings that disagree with the file before the layer allocates; <see langword="null"/> for custom layers.
/// </param>
internal sealed record LayerType(string Name, Type Type, Func<IReadOnlyList<double>, Layer> Create, Func<IReadOnlyList<double>, double>? ValueCount);
