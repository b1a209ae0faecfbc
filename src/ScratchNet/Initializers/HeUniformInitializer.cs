namespace ScratchNet;

/// <summary>
/// He/Kaiming uniform: W ~ U(−r, r) with r = √(6 / fanIn), b = 0 (He et al., 2015). U(−r, r) has
/// variance r²/3 = 2 / fanIn, the variance that keeps a ReLU network's activations at one scale
/// (see <see cref="HeNormalInitializer"/>).
/// </summary>
internal sealed class HeUniformInitializer : Initializer
{
    /// <inheritdoc />
    public override void Initialize(Span<float> weights, Span<float> biases, int fanIn, int fanOut, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        ArgumentOutOfRangeException.ThrowIfLessThan(fanIn, 1);
        double r = Math.Sqrt(6.0 / fanIn);
        for (int i = 0; i < weights.Length; i++)
        {
            weights[i] = (float)(((2.0 * random.NextDouble()) - 1.0) * r);
        }

        biases.Clear();
    }

    /// <inheritdoc />
    public override string ToString() => "HeUniform";
}
