namespace ScratchNet;

/// <summary>Xavier/Glorot normal: W ~ N(0, 2 / (fanIn + fanOut)), b = 0 (Glorot &amp; Bengio, 2010).</summary>
internal sealed class GlorotNormalInitializer : Initializer
{
    /// <inheritdoc />
    public override void Initialize(Span<float> weights, Span<float> biases, int fanIn, int fanOut, Random random)
    {
        double sigma = Math.Sqrt(2.0 / (fanIn + fanOut));
        for (int i = 0; i < weights.Length; i++)
        {
            weights[i] = (float)(NextStandardNormal(random) * sigma);
        }

        biases.Clear();
    }

    /// <inheritdoc />
    public override string ToString() => "GlorotNormal";
}
