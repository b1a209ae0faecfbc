using ScratchNet.Kernels;

namespace ScratchNet;

/// <summary>
/// The logistic sigmoid, the seed network's activation.
/// <code>
/// forward:   a = σ(z) = 1 / (1 + e^(−z))
/// backward:  ∂C/∂z = ∂C/∂a · σ'(z),  σ'(z) = σ(z)·(1 − σ(z)) = a·(1 − a)
/// </code>
/// Saturates cleanly: z = −1000 gives 0 and z = 1000 gives 1, never NaN.
/// </summary>
public sealed class Sigmoid : ElementwiseActivation
{
    /// <inheritdoc />
    protected override void Activate(ReadOnlySpan<float> z, Span<float> a) => ElementwiseKernels.Map<LogisticFunction>(z, a);

    /// <inheritdoc />
    protected override void Backpropagate(ReadOnlySpan<float> z, ReadOnlySpan<float> a, ReadOnlySpan<float> outputGradient, Span<float> inputGradient)
    {
        for (int i = 0; i < a.Length; i++)
        {
            inputGradient[i] = outputGradient[i] * a[i] * (1f - a[i]);
        }
    }
}
