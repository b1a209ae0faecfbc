using ScratchNet.Kernels;

namespace ScratchNet;

/// <summary>
/// Stochastic gradient descent, the seed network's optimizer, with optional L2 weight decay λ and, as
/// in Keras's and PyTorch's <c>SGD</c>, optional momentum μ (classical or Nesterov):
/// <code>
/// g = ∂C/∂w + λ·w                  (the gradient of C + (λ/2)·Σw²; λ = 0 by default)
/// plain (μ = 0):  w ← w − η·g       (the seed's update when λ = 0)
/// momentum:       v ← μ·v + g       (a velocity per weight, starting at 0)
///                 w ← w − η·v
/// Nesterov:       w ← w − η·(g + μ·v)   (looks ahead: the gradient plus the momentum of the next step)
/// </code>
/// where ∂C/∂w is the gradient of the cost averaged over the minibatch. λ keeps weights small and the
/// network from memorising the training set; momentum speeds steps up along directions that agree from
/// batch to batch and cancels them along directions that oscillate. The velocity is kept per
/// <see cref="Parameter"/> and created at its first step; later steps allocate nothing.
/// </summary>
public sealed class Sgd : Optimizer
{
    private readonly Dictionary<Parameter, float[]> _velocity = new(ReferenceEqualityComparer.Instance);

    /// <summary>Creates SGD.</summary>
    /// <param name="learningRate">η, a positive finite number.</param>
    /// <param name="momentum">μ, from 0 (the default: plain SGD) to below 1; 0.9 is the usual choice.</param>
    /// <param name="nesterov"><see langword="true"/> for Nesterov's accelerated gradient; needs a momentum above 0.</param>
    /// <param name="weightDecay">λ, zero (the default) or positive; applied to every parameter.</param>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
    /// <exception cref="ArgumentException">Nesterov without momentum.</exception>
    public Sgd(float learningRate, float momentum = 0f, bool nesterov = false, float weightDecay = 0f)
        : base(learningRate)
    {
        if (!(momentum >= 0f && momentum < 1f))
        {
            throw new ArgumentOutOfRangeException(nameof(momentum), momentum, "The momentum μ must be at least 0 and below 1.");
        }

        if (nesterov && momentum == 0f)
        {
            throw new ArgumentException("Nesterov's update needs a momentum μ above 0.", nameof(nesterov));
        }

        if (!(weightDecay >= 0f) || !float.IsFinite(weightDecay))
        {
            throw new ArgumentOutOfRangeException(nameof(weightDecay), weightDecay, "The weight decay must be zero or a positive finite number.");
        }

        Momentum = momentum;
        Nesterov = nesterov;
        WeightDecay = weightDecay;
    }

    /// <summary>μ, the fraction of the velocity kept from one step to the next (0: plain SGD).</summary>
    public float Momentum { get; }

    /// <summary>Whether the update is Nesterov's rather than classical momentum.</summary>
    public bool Nesterov { get; }

    /// <summary>λ, the L2 weight decay.</summary>
    public float WeightDecay { get; }

    /// <inheritdoc />
    public override void Step(IReadOnlyList<Parameter> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        float eta = LearningRate;
        if (Momentum == 0f)
        {
            float shrink = 1f - (eta * WeightDecay);
            for (int p = 0; p < parameters.Count; p++)
            {
                // w ← (1 − ηλ)·w − η·∂C/∂w, in one pass over w
                VectorMath.ScaleAxpy(shrink, -eta, parameters[p].Gradient.Span, parameters[p].Value.Span);
            }

            return;
        }

        float mu = Momentum;
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

    /// <summary>Writes each parameter's velocity v (none for plain SGD).</summary>
    internal override void SaveState(IReadOnlyList<Parameter> parameters, BinaryWriter writer) =>
        SaveBuffers(parameters, writer, p => _velocity.GetValueOrDefault(p));

    /// <summary>Restores each parameter's velocity v.</summary>
    internal override void LoadState(IReadOnlyList<Parameter> parameters, Serialization.ByteReader reader) =>
        LoadBuffers(parameters, reader, "velocity", (p, v) => _velocity[p] = v);

    /// <inheritdoc />
    public override string ToString()
    {
        string momentum = Momentum == 0f ? "" : $", μ = {Momentum}{(Nesterov ? ", Nesterov" : "")}";
        string decay = WeightDecay == 0f ? "" : $", λ = {WeightDecay}";
        return $"Sgd(η = {LearningRate}{momentum}{decay})";
    }
}
