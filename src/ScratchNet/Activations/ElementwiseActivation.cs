namespace ScratchNet;

/// <summary>
/// A layer that applies the same function to every value on its own, a = f(z), without parameters.
/// Its backward pass is the chain rule element by element: ∂C/∂z = ∂C/∂a ⊙ f'(z).
/// Derive from it to add an activation: write <see cref="Activate"/> and <see cref="Backpropagate"/>.
/// </summary>
public abstract class ElementwiseActivation : Layer
{

    /// <inheritdoc />
    public override int[] OutputShape(ReadOnlySpan<int> inputShape) => inputShape.ToArray();

    /// <inheritdoc />
    protected override Tensor ForwardCore(Tensor input, bool training)
    {
        Tensor a = OutputBuffer(input.BatchSize);
        Activate(input.Span, a.Span);
        return a;
    }

    /// <inheritdoc />
    protected override Tensor BackwardCore(Tensor outputGradient)
    {
        Tensor inputGradient = InputGradientBuffer();
        Backpropagate(LastInput.Span, LastOutput.Span, outputGradient.Span, inputGradient.Span);
        return inputGradient;
    }

    /// <summary>Computes a = f(z) for every element.</summary>
    /// <param name="z">The inputs.</param>
    /// <param name="a">The outputs, same length.</param>
    protected abstract void Activate(ReadOnlySpan<float> z, Span<float> a);

    /// <summary>Computes ∂C/∂z = ∂C/∂a ⊙ f'(z) for every element.</summary>
    /// <param name="z">The inputs of the last forward pass.</param>
    /// <param name="a">The outputs of the last forward pass (often the cheaper way to get f'(z)).</param>
    /// <param name="outputGradient">∂C/∂a.</param>
    /// <param name="inputGradient">∂C/∂z, to be written.</param>
    protected abstract void Backpropagate(ReadOnlySpan<float> z, ReadOnlySpan<float> a, ReadOnlySpan<float> outputGradient, Span<float> inputGradient);
}
