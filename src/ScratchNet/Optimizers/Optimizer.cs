namespace ScratchNet;

/// <summary>
/// Updates parameters from their gradients. An optimizer sees only (value, gradient) pairs, never a
/// layer, so it trains any layer that lists its <see cref="Layer.Parameters"/>.
/// </summary>
public abstract class Optimizer
{
    private float _learningRate;

    /// <summary>Sets the learning rate η.</summary>
    /// <param name="learningRate">η, a positive finite number.</param>
    protected Optimizer(float learningRate) => LearningRate = learningRate;

    /// <summary>The step size η. A learning-rate schedule changes it between epochs.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not a positive finite number.</exception>
    public float LearningRate
    {
        get => _learningRate;
        set
        {
            if (!(value > 0f) || !float.IsFinite(value))
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, "The learning rate must be a positive finite number.");
            }

            _learningRate = value;
        }
    }

    /// <summary>Applies one update to every parameter, using the gradients of the last backward pass.</summary>
    /// <param name="parameters">The parameters with their gradients.</param>
    public abstract void Step(IReadOnlyList<Parameter> parameters);
}
