namespace ScratchNet.Tests.GradientChecking;

/// <summary>
/// Every built-in layer, activation and cost, as the property tests build them. A new one is checked
/// by adding ONE line to the list it belongs to; <see cref="BuiltInGradientProperties"/> does the rest.
/// </summary>
internal static class BuiltInPieces
{
    /// <summary>
    /// Layers and activations: from a random source (seeded by FsCheck's case), the shape of one input
    /// sample and the layers to check. Sizes are small so that checking every entry stays fast.
    /// </summary>
    public static readonly LayerCase[] Layers =
    [
        new("Dense", r => Vector(r, f => new Dense(f, r.Next(1, 21), Initializer.StandardNormal))),
        new("Sigmoid", r => Vector(r, _ => new Sigmoid())),
        new("Tanh", r => Vector(r, _ => new Tanh())),
        new("ReLU", r => Vector(r, _ => new Relu())),
        new("LeakyReLU", r => Vector(r, _ => new LeakyRelu(0.1f))),
        new("Identity", r => Vector(r, _ => new Identity())),
        new("Softmax", r => Vector(r, _ => new Softmax())),
        new("Dropout", r => Vector(r, _ => new SeededDropout(0.3f, r.Next()))),
        new("BatchNorm (features)", r => Vector(r, f => new BatchNorm(f)), MinimumBatch: 4),
        new("Flatten", r => Image(r, c => new Flatten())),
        new("Conv2D", r => Image(r, c => r.Next(1, 4) is int k ? new Conv2D(c, r.Next(1, 4), k, stride: r.Next(1, 3), padding: r.Next(0, k), Initializer.StandardNormal) : null!)),
        new("MaxPool2D", r => Image(r, c => new MaxPool2D(size: 2, stride: r.Next(1, 3)))),
        new("BatchNorm (channels)", r => Image(r, c => new BatchNorm(c))),
    ];

    /// <summary>Costs: how to build it, the layer that makes outputs it accepts, and valid random targets.</summary>
    public static readonly CostCase[] Costs =
    [
        new("QuadraticCost", () => new QuadraticCost(), () => new Sigmoid(), Uniform),
        new("CrossEntropyCost", () => new CrossEntropyCost(), () => new Sigmoid(), Uniform),
        new("SoftmaxCrossEntropyCost", () => new SoftmaxCrossEntropyCost(), () => new Identity(), Distributions),
        new("SoftmaxCrossEntropyCost (label smoothing 0.1)", () => new SoftmaxCrossEntropyCost(labelSmoothing: 0.1f), () => new Identity(), Distributions),
    ];

    /// <summary>Samples of 1 to 20 features.</summary>
    private static (int[] InputShape, Layer[] Layers) Vector(Random random, Func<int, Layer> layer)
    {
        int features = random.Next(1, 21);
        return ([features], [layer(features)]);
    }

    /// <summary>Channels-last images of 3 to 7 pixels a side and 1 to 3 channels.</summary>
    private static (int[] InputShape, Layer[] Layers) Image(Random random, Func<int, Layer> layer)
    {
        int channels = random.Next(1, 4);
        return ([random.Next(3, 8), random.Next(3, 8), channels], [layer(channels)]);
    }

    /// <summary>Rows of non-negative targets that sum to 1 (probability distributions, one-hot among them).</summary>
    public static Tensor Distributions(Random random, int batch, int classes)
    {
        Tensor y = Uniform(random, batch, classes);
        for (int n = 0; n < batch; n++)
        {
            Span<float> row = y.Sample(n);
            if (random.Next(2) == 0)
            {
                row.Clear();
                row[random.Next(classes)] = 1;
                continue;
            }

            float sum = 0;
            foreach (float v in row)
            {
                sum += v;
            }

            for (int k = 0; k < classes; k++)
            {
                row[k] /= sum;
            }
        }

        return y;
    }

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
/// <param name="Build">From a random source to the shape of one input sample and the layers.</param>
/// <param name="MinimumBatch">
/// The smallest batch to check with. Batch normalisation over 2 or 3 values per feature is a near-step
/// function (ẑ = ±d/√(d² + ε) for two values 2d apart), far too steep for any finite difference; from 4
/// values on, σ is rarely small against the step.
/// </param>
internal sealed record LayerCase(string Name, Func<Random, (int[] InputShape, Layer[] Layers)> Build, int MinimumBatch = 1)
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
