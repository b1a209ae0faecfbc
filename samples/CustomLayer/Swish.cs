using ScratchNet;

namespace CustomLayer;

/// <summary>
/// Swish (Ramachandran et al., 2017), a smooth cousin of ReLU, written as a custom activation:
/// <code>
/// forward:   a = z·σ(z)
/// backward:  ∂C/∂z = ∂C/∂a · f'(z),  f'(z) = σ(z) + z·σ(z)·(1 − σ(z)) = σ(z)·(1 + z·(1 − σ(z)))
/// </code>
/// </summary>
/// <param name="forgetTheProductRule">Deliberately drop the z·σ'(z) term of f'(z), to see the checker catch it.</param>
public sealed class Swish(bool forgetTheProductRule = false) : ElementwiseActivation
{
    /// <summary>Lets networks with Swish layers be saved and loaded; call once before either.</summary>
    public static void Register() =>
        LayerTypes.Register("Swish", settings => settings.Count == 1 ? new Swish(settings[0] != 0) : throw new ArgumentException("Swish takes one setting"));

    /// <summary>Its one setting, saved with the model: 1 for the deliberately broken gradient, else 0.</summary>
    public override IReadOnlyList<double> Configuration => [forgetTheProductRule ? 1 : 0];

    /// <inheritdoc />
    protected override void Activate(ReadOnlySpan<float> z, Span<float> a)
    {
        for (int i = 0; i < z.Length; i++)
        {
            a[i] = z[i] * Sigma(z[i]);
        }
    }

    /// <inheritdoc />
    protected override void Backpropagate(ReadOnlySpan<float> z, ReadOnlySpan<float> a, ReadOnlySpan<float> outputGradient, Span<float> inputGradient)
    {
        for (int i = 0; i < z.Length; i++)
        {
            float s = Sigma(z[i]);
            inputGradient[i] = forgetTheProductRule
                ? outputGradient[i] * s                             // wrong: d(z·σ(z))/dz is not σ(z)
                : outputGradient[i] * s * (1 + (z[i] * (1 - s)));  // σ(z)·(1 + z·(1 − σ(z)))
        }
    }

    private static float Sigma(float z) => 1f / (1f + MathF.Exp(-z));
}
