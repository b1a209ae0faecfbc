using System.Runtime.Intrinsics;

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
        int i = 0;
        double sum = 0;
        if (Vector256.IsHardwareAccelerated && a.Length >= Vector256<float>.Count)
        {
            // Eight errors at a time, in two chains of four doubles: the one chain of double additions was
            // a thirtieth of an epoch of the seed network at batch 10, waiting for each addition in turn.
            Vector256<double> low = Vector256<double>.Zero, high = Vector256<double>.Zero;
            for (; i <= a.Length - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                Vector256<float> av = Vector256.Create(a.Slice(i, Vector256<float>.Count));
                Vector256<float> yv = Vector256.Create(y.Slice(i, Vector256<float>.Count));
                Vector256<double> lowError = Vector256.WidenLower(av) - Vector256.WidenLower(yv);
                Vector256<double> highError = Vector256.WidenUpper(av) - Vector256.WidenUpper(yv);
                low = Vector256.FusedMultiplyAdd(lowError, lowError, low);
                high = Vector256.FusedMultiplyAdd(highError, highError, high);
            }

            sum = Vector256.Sum(low + high);
        }

        for (; i < a.Length; i++)
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
