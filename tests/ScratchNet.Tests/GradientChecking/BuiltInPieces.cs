namespace ScratchNet.Tests.GradientChecking;

/// <summary>
/// Every built-in layer, activation and cost, as the property tests build them. A new one is checked
/// by adding ONE line to the list it belongs to; <see cref="BuiltInGradientProperties"/> does the rest.
/// </summary>
internal static class BuiltInPieces
{
    /// <summary>
    /// Layers and activations: given a random source and a feature count (1 to 20), the input shape of one
    /// sample and the layers to check (a layer that needs a fixed random choice in training, such as
    /// dropout, must be built here so that it makes the same choice on every pass of a check).
    /// </summary>
    public static readonly LayerCase[] Layers =
    [
        new("Dense", (random, features) => ([features], [new Dense(features, random.Next(1, 21), Initializer.StandardNormal)])),
        new("Sigmoid", (random, features) => ([features], [new Sigmoid()])),
    ];

    /// <summary>Costs: how to build it, the layer that makes outputs it accepts, and valid random targets.</summary>
    public static readonly CostCase[] Costs =
    [
        new("QuadraticCost", () => new QuadraticCost(), () => new Sigmoid(), (random, batch, classes) => Uniform(random, batch, classes)),
    ];

    /// <summary>Targets uniform in [0, 1), any row sum (arbitrary targets).</summary>
    public static Tensor Uniform(Random random, int batch, int classes)
    {
        var y = new Tensor(batch, classes);
        for (int i = 0; i < y.Length; i++)
        {
            y[i] = random.NextSingle();
        }

        return y;
    }
}

/// <summary>A layer (or a few) to check, built for a random size.</summary>
/// <param name="Name">What the failure message calls it.</param>
/// <param name="Build">From a random source and a feature count to the sample shape and the layers.</param>
internal sealed record LayerCase(string Name, Func<Random, int, (int[] InputShape, Layer[] Layers)> Build)
{
    public override string ToString() => Name;
}

/// <summary>A cost to check, with the output layer it expects and a generator of valid targets.</summary>
/// <param name="Name">What the failure message calls it.</param>
/// <param name="Create">Builds the cost.</param>
/// <param name="OutputLayer">The layer before the cost (e.g. Sigmoid or Softmax) so that its outputs are valid.</param>
/// <param name="Targets">Valid targets for (random, batch, classes).</param>
internal sealed record CostCase(string Name, Func<Cost> Create, Func<Layer> OutputLayer, Func<Random, int, int, Tensor> Targets)
{
    public override string ToString() => Name;
}
