using System.Runtime.Intrinsics;
using ScratchNet.Kernels;

namespace ScratchNet;

/// <summary>
/// Adam (Kingma &amp; Ba, 2015): momentum on the gradient and RMSProp's per-weight scaling together,
/// with both running means corrected for starting at zero. With weight decay it is AdamW
/// (Loshchilov &amp; Hutter, 2019).
/// <code>
/// g = ∂C/∂w,  t = the number of steps this parameter has taken, counting this one
/// m ← β₁·m + (1 − β₁)·g              (first moment, starts at 0)
/// v ← β₂·v + (1 − β₂)·g²             (second moment, starts at 0)
/// m̂ = m / (1 − β₁ᵗ),  v̂ = v / (1 − β₂ᵗ)
/// w ← w − η·(m̂ / (√v̂ + ε) + λ·w)     (λ·w decoupled: outside the adaptive scaling)
/// </code>
/// </summary>
/// <remarks>
/// <para>
/// Decoupled weight decay is not L2 regularisation. L2 adds λ·w to the gradient g, and Adam then
/// divides it by √v̂ like the rest of g: weights with large gradients are barely decayed and weights
/// with small ones decayed hard. AdamW shrinks every weight by the same η·λ·w, independently of its
/// gradient history, which is what "weight decay" means for SGD (where the two coincide) and
/// generalises better. PyTorch's <c>AdamW</c> computes the same update.
/// </para>
/// <para>The moments are kept per <see cref="Parameter"/> and created at its first step; later steps allocate nothing.</para>
/// </remarks>
public sealed class Adam : Optimizer
{
    private readonly Dictionary<Parameter, Moments> _moments = new(ReferenceEqualityComparer.Instance);

    /// <summary>Creates Adam, or AdamW when <paramref name="weightDecay"/> is above 0.</summary>
    /// <param name="learningRate">η, a positive finite number; 0.001 by default.</param>
    /// <param name="beta1">β₁, the decay of the first moment, from 0 to below 1; 0.9 by default.</param>
    /// <param name="beta2">β₂, the decay of the second moment, from 0 to below 1; 0.999 by default.</param>
    /// <param name="epsilon">ε, a positive number that keeps the division finite; 10⁻⁸ by default.</param>
    /// <param name="weightDecay">λ, zero (the default) or positive: decoupled weight decay.</param>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
    public Adam(float learningRate = 0.001f, float beta1 = 0.9f, float beta2 = 0.999f, float epsilon = 1e-8f, float weightDecay = 0f)
        : base(learningRate)
    {
        Beta1 = beta1 >= 0f && beta1 < 1f ? beta1 : throw new ArgumentOutOfRangeException(nameof(beta1), beta1, "β₁ must be at least 0 and below 1.");
        Beta2 = beta2 >= 0f && beta2 < 1f ? beta2 : throw new ArgumentOutOfRangeException(nameof(beta2), beta2, "β₂ must be at least 0 and below 1.");
        Epsilon = epsilon > 0f && float.IsFinite(epsilon) ? epsilon : throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "ε must be a positive finite number.");
        WeightDecay = weightDecay >= 0f && float.IsFinite(weightDecay) ? weightDecay : throw new ArgumentOutOfRangeException(nameof(weightDecay), weightDecay, "The weight decay must be zero or a positive finite number.");
    }

    /// <summary>β₁, the decay of the running mean of g.</summary>
    public float Beta1 { get; }

    /// <summary>β₂, the decay of the running mean of g².</summary>
    public float Beta2 { get; }

    /// <summary>ε, added to √v̂.</summary>
    public float Epsilon { get; }

    /// <summary>λ, the decoupled weight decay (0: plain Adam).</summary>
    public float WeightDecay { get; }

    /// <inheritdoc />
    public override void Step(IReadOnlyList<Parameter> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        float eta = LearningRate;
        float beta1 = Beta1;
        float beta2 = Beta2;
        float epsilon = Epsilon;
        float shrink = 1f - (eta * WeightDecay);
        for (int p = 0; p < parameters.Count; p++)
        {
            Parameter parameter = parameters[p];
            Span<float> w = parameter.Value.Span;
            ReadOnlySpan<float> gradient = parameter.Gradient.Span;
            if (!_moments.TryGetValue(parameter, out Moments? state))
            {
                state = new Moments(w.Length);
                _moments.Add(parameter, state);
            }

            state.Steps++;
            float correction1 = (float)(1.0 - Math.Pow(beta1, state.Steps));
            float correction2 = (float)(1.0 - Math.Pow(beta2, state.Steps));
            OptimizerKernels.Update(w, gradient, state.First, state.Second, new Rule(beta1, beta2, correction1, correction2, eta, epsilon, shrink));
        }
    }

    /// <summary>Writes each parameter's step count t, then its moments m and v.</summary>
    internal override void SaveState(IReadOnlyList<Parameter> parameters, BinaryWriter writer)
    {
        foreach (Parameter parameter in parameters)
        {
            writer.Write(_moments.TryGetValue(parameter, out Moments? state) ? state.Steps : 0);
        }

        SaveBuffers(parameters, writer, p => _moments.GetValueOrDefault(p)?.First);
        SaveBuffers(parameters, writer, p => _moments.GetValueOrDefault(p)?.Second);
    }

    /// <summary>Restores each parameter's step count t and moments m and v.</summary>
    internal override void LoadState(IReadOnlyList<Parameter> parameters, Serialization.ByteReader reader)
    {
        _moments.Clear();
        int[] steps = new int[parameters.Count];
        for (int p = 0; p < parameters.Count; p++)
        {
            int offset = reader.Offset;
            steps[p] = reader.Int32($"the step count of parameter {p}");
            if (steps[p] < 0)
            {
                throw reader.Error(offset, $"the step count of parameter {p} is {steps[p]}");
            }
        }

        LoadBuffers(parameters, reader, "first moment", (p, m) => MomentsOf(p).First = m);
        LoadBuffers(parameters, reader, "second moment", (p, v) => MomentsOf(p).Second = v);
        for (int p = 0; p < parameters.Count; p++)
        {
            if (steps[p] > 0)
            {
                MomentsOf(parameters[p]).Steps = steps[p];
            }
        }
    }

    private Moments MomentsOf(Parameter parameter)
    {
        if (!_moments.TryGetValue(parameter, out Moments? state))
        {
            state = new Moments(parameter.Value.Length);
            _moments.Add(parameter, state);
        }

        return state;
    }

    /// <inheritdoc />
    public override string ToString() =>
        WeightDecay == 0f
            ? $"Adam(η = {LearningRate}, β₁ = {Beta1}, β₂ = {Beta2}, ε = {Epsilon})"
            : $"AdamW(η = {LearningRate}, β₁ = {Beta1}, β₂ = {Beta2}, ε = {Epsilon}, λ = {WeightDecay})";

    /// <summary>m, v and t of one parameter.</summary>
    private sealed class Moments(int length)
    {
        public float[] First { get; set; } = new float[length];

        public float[] Second { get; set; } = new float[length];

        public int Steps { get; set; }
    }

    /// <summary>
    /// One Adam(W) step for one weight, with this step's constants: m ← β₁·m + (1 − β₁)·g,
    /// v ← β₂·v + (1 − β₂)·g·g, m̂ = m / c₁, v̂ = v / c₂, w ← s·w − η·m̂ / (√v̂ + ε), where c₁ = 1 − β₁ᵗ and
    /// c₂ = 1 − β₂ᵗ are the bias corrections and s = 1 − ηλ the decoupled decay. Every operation is
    /// rounded on its own in both forms (no fused multiply-add), so they agree bit for bit.
    /// </summary>
    internal readonly struct Rule : IUpdateRule
    {
        private readonly float _beta1, _beta2, _correction1, _correction2, _eta, _epsilon, _shrink;
        private readonly Vector256<float> _beta1s, _oneMinusBeta1s, _beta2s, _oneMinusBeta2s, _correction1s, _correction2s, _etas, _epsilons, _shrinks;

        /// <summary>The constants of one step: β₁, β₂, c₁, c₂, η, ε and s.</summary>
        public Rule(float beta1, float beta2, float correction1, float correction2, float learningRate, float epsilon, float shrink)
        {
            (_beta1, _beta2, _correction1, _correction2, _eta, _epsilon, _shrink) = (beta1, beta2, correction1, correction2, learningRate, epsilon, shrink);

            // The vector constants once per parameter, not once per 8 weights.
            (_beta1s, _oneMinusBeta1s) = (Vector256.Create(beta1), Vector256.Create(1f - beta1));
            (_beta2s, _oneMinusBeta2s) = (Vector256.Create(beta2), Vector256.Create(1f - beta2));
            (_correction1s, _correction2s) = (Vector256.Create(correction1), Vector256.Create(correction2));
            (_etas, _epsilons, _shrinks) = (Vector256.Create(learningRate), Vector256.Create(epsilon), Vector256.Create(shrink));
        }

        public void Invoke(ref float w, float g, ref float m, ref float v)
        {
            m = (_beta1 * m) + ((1f - _beta1) * g);
            v = (_beta2 * v) + ((1f - _beta2) * g * g);
            float mHat = m / _correction1;
            float vHat = v / _correction2;
            w = (_shrink * w) - (_eta * mHat / (MathF.Sqrt(vHat) + _epsilon));
        }

        public void Invoke(ref Vector256<float> w, Vector256<float> g, ref Vector256<float> m, ref Vector256<float> v)
        {
            m = (_beta1s * m) + (_oneMinusBeta1s * g);
            v = (_beta2s * v) + (_oneMinusBeta2s * g * g);
            Vector256<float> mHat = m / _correction1s;
            Vector256<float> vHat = v / _correction2s;
            w = (_shrinks * w) - (_etas * mHat / (Vector256.Sqrt(vHat) + _epsilons));
        }
    }
}
