namespace ScratchNet;

/// <summary>
/// He/Kaiming normal: W ~ N(0, 2 / fanIn), b = 0 (He et al., 2015). A ReLU zeroes about half of its
/// inputs, halving the variance each layer passes on; the factor 2 (Glorot's 1 doubled) makes up for
/// it, so activations keep their scale through a deep ReLU network.
/// </summary>
internal sealed class HeNormalInitializer : Initializer
{
    /// <inheritdoc />
    public override void Initialize(Span<float> weights, Span<float> biases, int fanIn, int fanOut, Random random)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(fanIn, 1);
        double sigma = Math.Sqrt(2.0 / fanIn);
        for (int i = 0; i < weights.Length; i++)
        {
            weights[i] = (float)(NextStandardNormal(random) * sigma);
        }

        biases.Clear();
    }

    /// <inheritdoc />
    public override string ToString() => "HeNormal";
}
