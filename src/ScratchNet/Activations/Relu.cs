using ScratchNet.Kernels;

namespace ScratchNet;

/// <summary>
/// The rectified linear unit, the usual activation of hidden layers in deep networks.
/// <code>
/// forward:   a = max(0, z)
/// backward:  ∂C/∂z = ∂C/∂a · f'(z),  f'(z) = 1 if z &gt; 0, else 0
/// </code>
/// f is not differentiable at z = 0; we define f'(0) = 0 (as PyTorch does), so a neuron whose
/// weighted input is exactly zero passes no gradient back.
/// </summary>
public sealed class Relu : ElementwiseActivation
{
    /// <summary><c>ReLU</c>, as the literature writes it (the class follows .NET's naming).</summary>
    public override string Name => "ReLU";

    /// <inheritdoc />
    protected override void Activate(ReadOnlySpan<float> z, Span<float> a) => ElementwiseKernels.Map<RectifierFunction>(z, a);

    /// <inheritdoc />
    protected override void Backpropagate(ReadOnlySpan<float> z, ReadOnlySpan<float> a, ReadOnlySpan<float> outputGradient, Span<float> inputGradient) =>
        ElementwiseKernels.PassWherePositive(z, outputGradient, inputGradient);
}
