namespace ScratchNet;

/// <summary>
/// The identity, a linear output: a network that ends in it (or in nothing) does regression.
/// <code>
/// forward:   a = z
/// backward:  ∂C/∂z = ∂C/∂a
/// </code>
/// </summary>
public sealed class Identity : ElementwiseActivation
{
    /// <inheritdoc />
    protected override void Activate(ReadOnlySpan<float> z, Span<float> a) => z.CopyTo(a);

    /// <inheritdoc />
    protected override void Backpropagate(ReadOnlySpan<float> z, ReadOnlySpan<float> a, ReadOnlySpan<float> outputGradient, Span<float> inputGradient) =>
        outputGradient.CopyTo(inputGradient);
}
