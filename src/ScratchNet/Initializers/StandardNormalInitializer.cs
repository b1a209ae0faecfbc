namespace ScratchNet;

/// <summary>W ~ N(0, 1) and b ~ N(0, 1), as the seed network (and Nielsen's network.py) starts.</summary>
internal sealed class StandardNormalInitializer : Initializer
{
    /// <inheritdoc />
    public override void Initialize(Span<float> weights, Span<float> biases, int fanIn, int fanOut, Random random)
    {
        for (int i = 0; i < weights.Length; i++)
        {
            weights[i] = (float)NextStandardNormal(random);
        }

        for (int i = 0; i < biases.Length; i++)
        {
            biases[i] = (float)NextStandardNormal(random);
        }
    }

    /// <inheritdoc />
    public override string ToString() => "StandardNormal";
}
