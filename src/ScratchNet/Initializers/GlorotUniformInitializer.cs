namespace ScratchNet;

/// <summary>Xavier/Glorot uniform: W ~ U(−r, r) with r = √(6 / (fanIn + fanOut)), b = 0 (Glorot &amp; Bengio, 2010).</summary>
internal sealed class GlorotUniformInitializer : Initializer
{
    /// <inheritdoc />
    public override void Initialize(Span<float> weights, Span<float> biases, int fanIn, int fanOut, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        double r = Math.Sqrt(6.0 / (fanIn + fanOut));
        for (int i = 0; i < weights.Length; i++)
        {
            weights[i] = (float)(((2.0 * random.NextDouble()) - 1.0) * r);
        }

        biases.Clear();
    }

    /// <inheritdoc />
    public override string ToString() => "GlorotUniform";
}
