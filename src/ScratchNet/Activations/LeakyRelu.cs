using System.Runtime.Intrinsics;
using ScratchNet.Kernels;

namespace ScratchNet;

/// <summary>
/// The leaky rectified linear unit: a ReLU that lets a small slope α through for negative inputs, so
/// a neuron that is switched off still gets a gradient.
/// <code>
/// forward:   a = z if z &gt; 0, else α·z
/// backward:  ∂C/∂z = ∂C/∂a · f'(z),  f'(z) = 1 if z &gt; 0, else α   (so f'(0) = α)
/// </code>
/// </summary>
public sealed class LeakyRelu : ElementwiseActivation
{
    /// <summary>Creates a leaky ReLU.</summary>
    /// <param name="alpha">α, the slope for negative inputs, from 0 (a plain ReLU) to below 1.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="alpha"/> is not in [0, 1).</exception>
    public LeakyRelu(float alpha = 0.01f)
    {
        if (!(alpha >= 0f && alpha < 1f))
        {
            throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "The slope α of a leaky ReLU must be at least 0 and below 1.");
        }

        Alpha = alpha;
    }

    /// <summary>α, the slope for negative inputs.</summary>
    public float Alpha { get; }

    /// <summary><c>[α]</c>.</summary>
    public override IReadOnlyList<double> Configuration => [Alpha];

    /// <inheritdoc />
    public override string Name => $"LeakyReLU(α = {Alpha})";

    /// <inheritdoc />
    protected override void Activate(ReadOnlySpan<float> z, Span<float> a) => ElementwiseKernels.Map(z, a, new Function(Alpha));

    /// <inheritdoc />
    protected override void Backpropagate(ReadOnlySpan<float> z, ReadOnlySpan<float> a, ReadOnlySpan<float> outputGradient, Span<float> inputGradient) =>
        ElementwiseKernels.Map(z, outputGradient, inputGradient, new Gradient(Alpha));

    /// <summary>a = z where z &gt; 0, else α·z (one rounding, the product, in both forms).</summary>
    internal readonly struct Function(float alpha) : IUnaryOperator
    {
        private readonly float _alpha = alpha;
        private readonly Vector256<float> _slope = Vector256.Create(alpha);

        public float Invoke(float z) => z > 0f ? z : _alpha * z;

        public Vector256<float> Invoke(Vector256<float> z) => Vector256.ConditionalSelect(Vector256.GreaterThan(z, Vector256<float>.Zero), z, _slope * z);
    }

    /// <summary>∂C/∂z = ∂C/∂a where z &gt; 0, else α·∂C/∂a (so f'(0) = α, and NaN z takes the α side in both forms).</summary>
    internal readonly struct Gradient(float alpha) : IBinaryOperator
    {
        private readonly float _alpha = alpha;
        private readonly Vector256<float> _slope = Vector256.Create(alpha);

        public float Invoke(float z, float da) => z > 0f ? da : _alpha * da;

        public Vector256<float> Invoke(Vector256<float> z, Vector256<float> da) => Vector256.ConditionalSelect(Vector256.GreaterThan(z, Vector256<float>.Zero), da, _slope * da);
    }
}
