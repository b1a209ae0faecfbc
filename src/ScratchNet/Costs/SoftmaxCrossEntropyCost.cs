namespace ScratchNet;

/// <summary>
/// Softmax followed by cross-entropy, fused: the cost for classifiers. It takes the network's raw
/// scores, the logits z (end the network with a <see cref="Dense"/> layer, not a <see cref="Softmax"/>),
/// over the last dimension of each sample.
/// <code>
/// pₖ = softmax(z)ₖ = e^(zₖ) / Σⱼ e^(zⱼ)
/// C = −Σₖ yₖ ln pₖ = (Σₖ yₖ)·LSE(z) − Σₖ yₖ zₖ,    LSE(z) = ln Σⱼ e^(zⱼ) = m + ln Σⱼ e^(zⱼ − m),  m = maxⱼ zⱼ
/// ∂C/∂zₖ = (Σⱼ yⱼ)·pₖ − yₖ
/// </code>
/// For targets that sum to 1 (one-hot, or label-smoothed) that is C = LSE(z) − Σₖ yₖ zₖ and
/// ∂C/∂z = softmax(z) − y. Averaged over a minibatch of N samples: Loss = (1/N) Σₙ Cₙ and the gradient
/// is (softmax(z) − y)/N.
/// <para>
/// With label smoothing ε (<see cref="LabelSmoothing"/>), every formula above uses the smoothed targets
/// ỹₖ = (1 − ε)·yₖ + ε·(Σⱼ yⱼ)/K in place of y: a one-hot target 1 becomes 1 − ε + ε/K and every 0 becomes ε/K,
/// so the cost stops rewarding ever larger logits for the right class (a regularizer for classifiers).
/// </para>
/// </summary>
/// <remarks>
/// Computing softmax first and then ln pₖ loses everything when pₖ underflows to 0 (ln 0 = −∞); the
/// log-sum-exp form never exponentiates anything above 0, so logits of ±1000 give a finite cost and a
/// finite gradient. The sums run in double. <see cref="Network.Evaluate"/> counts the largest logit
/// as the class, which is also the largest probability.
/// </remarks>
public sealed class SoftmaxCrossEntropyCost : Cost
{
    /// <summary>The cost, with or without label smoothing.</summary>
    /// <param name="labelSmoothing">ε, from 0 (the targets as given) to below 1; 0.1 is the usual choice.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="labelSmoothing"/> is not in [0, 1).</exception>
    public SoftmaxCrossEntropyCost(float labelSmoothing = 0f)
    {
        if (!(labelSmoothing >= 0f && labelSmoothing < 1f))
        {
            throw new ArgumentOutOfRangeException(nameof(labelSmoothing), labelSmoothing, "Label smoothing ε must be in [0, 1).");
        }

        LabelSmoothing = labelSmoothing;
    }

    /// <summary>ε: the targets are taken as ỹₖ = (1 − ε)·yₖ + ε·(Σⱼ yⱼ)/K. 0 leaves them as they are.</summary>
    public float LabelSmoothing { get; }

    /// <inheritdoc />
    public override double Loss(Tensor output, Tensor target)
    {
        EnsureSameShape(output, target);
        int k = Classes(output);
        ReadOnlySpan<float> z = output.Span;
        ReadOnlySpan<float> y = target.Span;
        double sum = 0;
        for (int row = 0; row < z.Length; row += k)
        {
            ReadOnlySpan<float> zr = z.Slice(row, k);
            ReadOnlySpan<float> yr = y.Slice(row, k);
            double lse = LogSumExp(zr);
            double share = LabelSmoothing == 0f ? 0 : SmoothedShare(Sum(yr), k);
            for (int j = 0; j < k; j++)
            {
                sum += Smoothed(yr[j], share) * (lse - zr[j]);
            }
        }

        return sum / output.BatchSize;
    }

    /// <inheritdoc />
    public override void Gradient(Tensor output, Tensor target, Tensor gradient)
    {
        EnsureSameShape(output, target, gradient);
        int k = Classes(output);
        ReadOnlySpan<float> z = output.Span;
        ReadOnlySpan<float> y = target.Span;
        Span<float> g = gradient.Span;
        double n = output.BatchSize;
        for (int row = 0; row < z.Length; row += k)
        {
            ReadOnlySpan<float> zr = z.Slice(row, k);
            ReadOnlySpan<float> yr = y.Slice(row, k);
            double lse = LogSumExp(zr);
            double ySum = Sum(yr);
            double share = SmoothedShare(ySum, k);
            for (int j = 0; j < k; j++)
            {
                // pⱼ = e^(zⱼ − LSE), at most 1; Σⱼ ỹⱼ = Σⱼ yⱼ
                g[row + j] = (float)(((ySum * Math.Exp(zr[j] - lse)) - Smoothed(yr[j], share)) / n);
            }
        }
    }

    /// <summary>K, the length of the last dimension, over which each softmax runs; the batch dimension never counts.</summary>
    private static int Classes(Tensor output) =>
        output.Rank >= 2
            ? output.Shape[^1]
            : throw new ArgumentException($"SoftmaxCrossEntropyCost: the outputs have shape {Tensor.FormatShape(output.Shape)}, but each sample needs at least one dimension of logits (the batch is the first).", nameof(output));

    /// <summary>ε·(Σⱼ yⱼ)/K, what smoothing adds to every target of one sample.</summary>
    private double SmoothedShare(double ySum, int k) => LabelSmoothing * ySum / k;

    /// <summary>ỹ = (1 − ε)·y + ε·(Σⱼ yⱼ)/K; exactly y when ε = 0.</summary>
    private double Smoothed(float y, double share) => LabelSmoothing == 0f ? y : ((1.0 - LabelSmoothing) * y) + share;

    private static double Sum(ReadOnlySpan<float> y)
    {
        double sum = 0;
        foreach (float value in y)
        {
            sum += value;
        }

        return sum;
    }

    /// <summary>LSE(z) = m + ln Σⱼ e^(zⱼ − m), m = maxⱼ zⱼ, in double.</summary>
    private static double LogSumExp(ReadOnlySpan<float> z)
    {
        double m = z[0];
        for (int j = 1; j < z.Length; j++)
        {
            m = Math.Max(m, z[j]);
        }

        double sum = 0;
        for (int j = 0; j < z.Length; j++)
        {
            sum += Math.Exp(z[j] - m);
        }

        return m + Math.Log(sum);
    }
}
