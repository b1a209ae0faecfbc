using ScratchNet.Kernels;

namespace ScratchNet;

/// <summary>
/// Stochastic gradient descent, the seed network's optimizer, with optional L2 weight decay λ:
/// <code>
/// w ← w − η·(∂C/∂w + λ·w)
/// </code>
/// where ∂C/∂w is the gradient of the cost averaged over the minibatch. With λ = 0 (the default) this is
/// the seed's plain update w ← w − η·∂C/∂w; λ &gt; 0 is the gradient of the extra cost (λ/2)·Σw², which
/// keeps weights small and the network from memorising the training set.
/// </summary>
public sealed class Sgd : Optimizer
{
    /// <summary>Creates SGD.</summary>
    /// <param name="learningRate">η, a positive finite number.</param>
    /// <param name="weightDecay">λ, zero or positive; applied to every parameter.</param>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
    public Sgd(float learningRate, float weightDecay = 0f)
        : base(learningRate)
    {
        if (!(weightDecay >= 0f) || !float.IsFinite(weightDecay))
        {
            throw new ArgumentOutOfRangeException(nameof(weightDecay), weightDecay, "The weight decay must be zero or a positive finite number.");
        }

        WeightDecay = weightDecay;
    }

    /// <summary>λ, the L2 weight decay.</summary>
    public float WeightDecay { get; }

    /// <inheritdoc />
    public override void Step(IReadOnlyList<Parameter> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        float eta = LearningRate;
        float shrink = 1f - (eta * WeightDecay);
        for (int p = 0; p < parameters.Count; p++)
        {
            // w ← (1 − ηλ)·w − η·∂C/∂w, in one pass over w
            VectorMath.ScaleAxpy(shrink, -eta, parameters[p].Gradient.Span, parameters[p].Value.Span);
        }
    }

    /// <summary>Plain SGD keeps nothing between steps.</summary>
    internal override void SaveState(IReadOnlyList<Parameter> parameters, BinaryWriter writer)
    {
    }

    /// <summary>Plain SGD keeps nothing between steps.</summary>
    internal override void LoadState(IReadOnlyList<Parameter> parameters, Serialization.ByteReader reader)
    {
    }

    /// <inheritdoc />
    public override string ToString() => WeightDecay == 0f ? $"Sgd(η = {LearningRate})" : $"Sgd(η = {LearningRate}, λ = {WeightDecay})";
}
