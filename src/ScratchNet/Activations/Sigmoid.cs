using System.Runtime.Intrinsics;
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
    protected override void Activate(ReadOnlySpan<float> z, Span<float> a) => ElementwiseKernels.Map<Function>(z, a);

    /// <inheritdoc />
    protected override void Backpropagate(ReadOnlySpan<float> z, ReadOnlySpan<float> a, ReadOnlySpan<float> outputGradient, Span<float> inputGradient) =>
        ElementwiseKernels.Map<Gradient>(a, outputGradient, inputGradient);

    /// <summary>a = σ(z) = 1 / (1 + e^(−z)); e^(−z) = ∞ gives exactly 0, never NaN.</summary>
    /// <remarks>
    /// The two forms differ in the last bit (Vector256.Exp is not MathF.Exp), so the forward pass runs every
    /// value through the vector form; the scalar form is the readable reference the tests compare with.
    /// </remarks>
    internal readonly struct Function : IUnaryOperator
    {
        public float Invoke(float z) => 1f / (1f + MathF.Exp(-z));

        public Vector256<float> Invoke(Vector256<float> z) => Vector256<float>.One / (Vector256<float>.One + Vector256.Exp(-z));
    }

    /// <summary>∂C/∂z = ∂C/∂a · a · (1 − a), from a = σ(z): no exponential needed on the way back.</summary>
    internal readonly struct Gradient : IBinaryOperator
    {
        public float Invoke(float a, float da) => da * a * (1f - a);

        public Vector256<float> Invoke(Vector256<float> a, Vector256<float> da) => da * a * (Vector256<float>.One - a);
    }
}
