namespace ScratchNet;

/// <summary>
/// Softmax over the last dimension of each sample: turns K scores into K probabilities that sum to 1.
/// Unlike the element-wise activations, every output depends on every input of its row.
/// <code>
/// forward:   aᵢ = e^(zᵢ − m) / Σⱼ e^(zⱼ − m),  m = maxⱼ zⱼ   (subtracting m changes nothing but keeps e^x ≤ 1)
/// backward:  ∂aᵢ/∂zₖ = aᵢ(1[i = k] − aₖ), so ∂C/∂zₖ = Σᵢ ∂C/∂aᵢ · aᵢ(1[i = k] − aₖ) = aₖ(∂C/∂aₖ − Σⱼ aⱼ ∂C/∂aⱼ)
/// </code>
/// Logits of ±1000 give exact 0s and 1s, never NaN. To train a classifier, prefer ending the network
/// without this layer and using <see cref="SoftmaxCrossEntropyCost"/>, which fuses the two stably;
/// add it for inference when you want probabilities.
/// </summary>
public sealed class Softmax : Layer
{
    private const string ScalarSamples = "Softmax works over the last dimension of each sample, so a sample needs at least one dimension (the batch is the first).";

    /// <inheritdoc />
    public override int[] OutputShape(ReadOnlySpan<int> inputShape) =>
        inputShape.Length > 0 ? inputShape.ToArray() : throw new ArgumentException(ScalarSamples, nameof(inputShape));

    /// <inheritdoc />
    protected override Tensor ForwardCore(Tensor input, bool training)
    {
        Tensor output = OutputBuffer(input.BatchSize);
        int k = input.Shape[^1];
        ReadOnlySpan<float> z = input.Span;
        Span<float> a = output.Span;
        for (int row = 0; row < z.Length; row += k)
        {
            Activate(z.Slice(row, k), a.Slice(row, k));
        }

        return output;
    }

    /// <inheritdoc />
    protected override Tensor BackwardCore(Tensor outputGradient)
    {
        Tensor output = LastOutput;
        Tensor inputGradient = InputGradientBuffer();
        int k = output.Shape[^1];
        ReadOnlySpan<float> a = output.Span;
        ReadOnlySpan<float> g = outputGradient.Span;
        Span<float> dz = inputGradient.Span;
        for (int row = 0; row < a.Length; row += k)
        {
            ReadOnlySpan<float> ar = a.Slice(row, k);
            ReadOnlySpan<float> gr = g.Slice(row, k);

            // s = Σⱼ aⱼ ∂C/∂aⱼ
            double s = 0;
            for (int j = 0; j < k; j++)
            {
                s += (double)ar[j] * gr[j];
            }

            float sf = (float)s;
            Span<float> dzr = dz.Slice(row, k);
            for (int j = 0; j < k; j++)
            {
                dzr[j] = ar[j] * (gr[j] - sf);
            }
        }

        return inputGradient;
    }

    /// <summary>aᵢ = e^(zᵢ − m) / Σⱼ e^(zⱼ − m) for one row.</summary>
    private static void Activate(ReadOnlySpan<float> z, Span<float> a)
    {
        float m = z[0];
        for (int j = 1; j < z.Length; j++)
        {
            m = MathF.Max(m, z[j]);
        }

        double sum = 0;
        for (int j = 0; j < z.Length; j++)
        {
            a[j] = MathF.Exp(z[j] - m);
            sum += a[j];
        }

        float inverse = (float)(1.0 / sum);
        for (int j = 0; j < z.Length; j++)
        {
            a[j] *= inverse;
        }
    }
}
