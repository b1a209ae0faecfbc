namespace ScratchNet;

/// <summary>
/// The seed network's cost, the sum of squared errors of one sample:
/// <code>
/// C = Σₖ (aₖ − yₖ)²          ∂C/∂aₖ = 2(aₖ − yₖ)
/// </code>
/// Averaged over a minibatch of N samples: Loss = (1/N) Σₙ Cₙ and the gradient is (2/N)(a − y).
/// Note there is no ½ in front, exactly as the seed (and 3Blue1Brown) define it.
/// </summary>
public sealed class QuadraticCost : Cost
{
    /// <inheritdoc />
    public override double Loss(Tensor output, Tensor target)
    {
        EnsureSameShape(output, target);
        ReadOnlySpan<float> a = output.Span;
        ReadOnlySpan<float> y = target.Span;
        double sum = 0;
        for (int i = 0; i < a.Length; i++)
        {
            double e = (double)a[i] - y[i];
            sum += e * e;
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
        float scale = 2f / output.BatchSize;
        for (int i = 0; i < a.Length; i++)
        {
            g[i] = scale * (a[i] - y[i]);
        }
    }
}
