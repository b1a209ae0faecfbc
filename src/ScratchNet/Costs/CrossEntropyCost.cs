namespace ScratchNet;

/// <summary>
/// Binary cross-entropy, the cost for sigmoid outputs: each output aₖ is read as the probability that
/// target yₖ is 1.
/// <code>
/// C = −Σₖ [yₖ ln aₖ + (1 − yₖ) ln(1 − aₖ)]
/// ∂C/∂aₖ = −yₖ/aₖ + (1 − yₖ)/(1 − aₖ) = (aₖ − yₖ) / (aₖ(1 − aₖ))
/// </code>
/// After a <see cref="Sigmoid"/>, whose σ'(z) = a(1 − a), the two factors cancel and δ = ∂C/∂z = a − y:
/// no learning slowdown when a saturated neuron is wrong, unlike the quadratic cost (Nielsen, chapter 3).
/// Averaged over a minibatch of N samples: Loss = (1/N) Σₙ Cₙ and the gradient is (1/N) ∂C/∂a.
/// </summary>
/// <remarks>
/// A sigmoid in float32 reaches exactly 0 or 1, where ln and 1/a are infinite. Both the loss and the
/// gradient therefore use a clamped to [ε, 1 − ε], ε = 10⁻⁷ (computed in double): the loss stays at most
/// −ln ε ≈ 16.1 per output and |∂C/∂aₖ| at most about 1/ε = 10⁷. Outside that interval the gradient is
/// that of the clamped value, (a_c − y)/(a_c(1 − a_c)), not zero, so a wrong saturated output still
/// pushes back; multiplied by a saturated sigmoid's σ'(z) = 0 it vanishes, as any gradient through it does.
/// </remarks>
public sealed class CrossEntropyCost : Cost
{
    /// <summary>ε, the distance from 0 and 1 at which a is clamped inside the logarithms.</summary>
    public const double Epsilon = 1e-7;

    /// <inheritdoc />
    public override double Loss(Tensor output, Tensor target)
    {
        EnsureSameShape(output, target);
        ReadOnlySpan<float> a = output.Span;
        ReadOnlySpan<float> y = target.Span;
        double sum = 0;
        for (int i = 0; i < a.Length; i++)
        {
            double ac = Clamp(a[i]);
            sum -= (y[i] * Math.Log(ac)) + ((1.0 - y[i]) * Math.Log(1.0 - ac));
        }

        return sum / output.BatchSize;
    }

    /// <inheritdoc />
    public override void Gradient(Tensor output, Tensor target, Tensor gradient)
    {
        EnsureSameShape(output, target, gradient);
        ReadOnlySpan<float> a = output.Span;
        ReadOnlySpan<float> y = target.Span;
        Span<float> g = gradient.Span;
        double n = output.BatchSize;
        for (int i = 0; i < a.Length; i++)
        {
            double ac = Clamp(a[i]);
            g[i] = (float)((ac - y[i]) / (ac * (1.0 - ac) * n));
        }
    }

    private static double Clamp(float a) => Math.Clamp(a, Epsilon, 1.0 - Epsilon);
}
