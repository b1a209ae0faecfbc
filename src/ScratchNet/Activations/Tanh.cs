namespace ScratchNet;

/// <summary>
/// The hyperbolic tangent, a sigmoid centred on zero with outputs in (−1, 1).
/// <code>
/// forward:   a = tanh(z) = (e^z − e^(−z)) / (e^z + e^(−z))   (= 2σ(2z) − 1)
/// backward:  ∂C/∂z = ∂C/∂a · (1 − a²)
/// </code>
/// Saturates cleanly: z = ±1000 gives ±1, never NaN.
/// </summary>
public sealed class Tanh : ElementwiseActivation
{
    /// <inheritdoc />
    protected override void Activate(ReadOnlySpan<float> z, Span<float> a)
    {
        // Scalar on purpose: the vector form 1 − 2/(e^(2z) + 1) loses most digits for small |z| to cancellation.
        for (int i = 0; i < z.Length; i++)
        {
            a[i] = MathF.Tanh(z[i]);
        }
    }

    /// <inheritdoc />
    protected override void Backpropagate(ReadOnlySpan<float> z, ReadOnlySpan<float> a, ReadOnlySpan<float> outputGradient, Span<float> inputGradient)
    {
        for (int i = 0; i < a.Length; i++)
        {
            inputGradient[i] = outputGradient[i] * (1f - (a[i] * a[i]));
        }
    }
}
