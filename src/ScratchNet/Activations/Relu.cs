using System.Runtime.Intrinsics;
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
    protected override void Activate(ReadOnlySpan<float> z, Span<float> a) => ElementwiseKernels.Map<Function>(z, a);

    /// <inheritdoc />
    protected override void Backpropagate(ReadOnlySpan<float> z, ReadOnlySpan<float> a, ReadOnlySpan<float> outputGradient, Span<float> inputGradient) =>
        ElementwiseKernels.Map<Gradient>(z, outputGradient, inputGradient);

    /// <summary>a = max(0, z).</summary>
    internal readonly struct Function : IUnaryOperator
    {
        public float Invoke(float z) => MathF.Max(z, 0f);

        public Vector256<float> Invoke(Vector256<float> z) => Vector256.Max(z, Vector256<float>.Zero);
    }

    /// <summary>
    /// ∂C/∂z = ∂C/∂a where z &gt; 0, else 0. The vector form masks instead of branching: a false
    /// comparison is all zero bits, so ∂C/∂a AND mask is +0, the same bits as the scalar 0f (NaN z included).
    /// </summary>
    internal readonly struct Gradient : IBinaryOperator
    {
        public float Invoke(float z, float da) => z > 0f ? da : 0f;

        public Vector256<float> Invoke(Vector256<float> z, Vector256<float> da) => da & Vector256.GreaterThan(z, Vector256<float>.Zero);
    }
}
