using ScratchNet.Kernels;

namespace ScratchNet;

/// <summary>
/// Plain stochastic gradient descent, the seed network's optimizer:
/// <code>
/// w ← w − η·∂C/∂w
/// </code>
/// where ∂C/∂w is the gradient of the cost averaged over the minibatch.
/// </summary>
public sealed class Sgd : Optimizer
{
    /// <summary>Creates plain SGD.</summary>
    /// <param name="learningRate">η, a positive finite number.</param>
    public Sgd(float learningRate)
        : base(learningRate)
    {
    }

    /// <inheritdoc />
    public override void Step(IReadOnlyList<Parameter> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        float eta = LearningRate;
        for (int p = 0; p < parameters.Count; p++)
        {
            Parameter parameter = parameters[p];
            VectorMath.Axpy(-eta, parameter.Gradient.Span, parameter.Value.Span);
        }
    }

    /// <inheritdoc />
    public override string ToString() => $"Sgd(η = {LearningRate})";
}
