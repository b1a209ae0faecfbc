namespace ScratchNet;

/// <summary>
/// SGD with momentum: a velocity v per parameter accumulates past gradients, so steps speed up along
/// directions that agree from batch to batch and cancel along directions that oscillate.
/// <code>
/// g ← ∂C/∂w + λ·w                 (λ, the L2 weight decay, as in <see cref="Sgd"/>; 0 by default)
/// v ← μ·v + g                     (v starts at 0)
/// classical:  w ← w − η·v
/// Nesterov:   w ← w − η·(g + μ·v)  (looks ahead: the gradient step plus the momentum of the next step)
/// </code>
/// This is the form PyTorch uses; with μ = 0 both are plain SGD. The velocity is kept per
/// <see cref="Parameter"/> and created at its first step; later steps allocate nothing.
/// </summary>
public sealed class Momentum : Optimizer
{
    private readonly Dictionary<Parameter, float[]> _velocity = new(ReferenceEqualityComparer.Instance);

    /// <summary>Creates SGD with momentum.</summary>
    /// <param name="learningRate">η, a positive finite number.</param>
    /// <param name="momentum">μ, from 0 to below 1; 0.9 by default.</param>
    /// <param name="nesterov"><see langword="true"/> for Nesterov's accelerated gradient, <see langword="false"/> (the default) for classical momentum.</param>
    /// <param name="weightDecay">λ, zero or positive: L2 weight decay added to the gradient.</param>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
    public Momentum(float learningRate, float momentum = 0.9f, bool nesterov = false, float weightDecay = 0f)
        : base(learningRate)
    {
        if (!(momentum >= 0f && momentum < 1f))
        {
            throw new ArgumentOutOfRangeException(nameof(momentum), momentum, "The momentum μ must be at least 0 and below 1.");
        }

        if (!(weightDecay >= 0f) || !float.IsFinite(weightDecay))
        {
            throw new ArgumentOutOfRangeException(nameof(weightDecay), weightDecay, "The weight decay must be zero or a positive finite number.");
        }

        MomentumCoefficient = momentum;
        Nesterov = nesterov;
        WeightDecay = weightDecay;
    }

    /// <summary>μ, the fraction of the velocity kept from one step to the next.</summary>
    public float MomentumCoefficient { get; }

    /// <summary>Whether the update is Nesterov's rather than classical momentum.</summary>
    public bool Nesterov { get; }

    /// <summary>λ, the L2 weight decay.</summary>
    public float WeightDecay { get; }

    /// <inheritdoc />
    public override void Step(IReadOnlyList<Parameter> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        float eta = LearningRate;
        float mu = MomentumCoefficient;
        float lambda = WeightDecay;
        for (int p = 0; p < parameters.Count; p++)
        {
            Parameter parameter = parameters[p];
            Span<float> w = parameter.Value.Span;
            ReadOnlySpan<float> gradient = parameter.Gradient.Span;
            Span<float> v = OptimizerState.Get(_velocity, parameter);
            for (int i = 0; i < w.Length; i++)
            {
                float g = gradient[i] + (lambda * w[i]);
                v[i] = (mu * v[i]) + g;
                w[i] -= eta * (Nesterov ? g + (mu * v[i]) : v[i]);
            }
        }
    }

    /// <summary>Writes each parameter's velocity v.</summary>
    internal override void SaveState(IReadOnlyList<Parameter> parameters, BinaryWriter writer) =>
        SaveBuffers(parameters, writer, p => _velocity.GetValueOrDefault(p));

    /// <summary>Restores each parameter's velocity v.</summary>
    internal override void LoadState(IReadOnlyList<Parameter> parameters, Serialization.ByteReader reader) =>
        LoadBuffers(parameters, reader, "velocity", (p, v) => _velocity[p] = v);

    /// <inheritdoc />
    public override string ToString() =>
        $"{(Nesterov ? "Nesterov momentum" : "Momentum")}(η = {LearningRate}, μ = {MomentumCoefficient}{(WeightDecay == 0f ? "" : $", λ = {WeightDecay}")})";
}
