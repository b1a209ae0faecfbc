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

    /// <summary>
    /// Writes what the optimizer keeps per parameter (velocities, moments, step counts), for a resumable
    /// checkpoint. The built-in optimizers override it; any other optimizer cannot be checkpointed, since
    /// state it keeps would be lost silently.
    /// </summary>
    /// <exception cref="NotSupportedException">The optimizer is not a built-in one.</exception>
    internal virtual void SaveState(IReadOnlyList<Parameter> parameters, BinaryWriter writer) =>
        throw new NotSupportedException($"{GetType().FullName} cannot be saved in a resumable checkpoint: only the built-in optimizers (Sgd, RmsProp, Adam) declare their state.");

    /// <summary>Reads what <see cref="SaveState"/> wrote, for the same parameters in the same order.</summary>
    internal virtual void LoadState(IReadOnlyList<Parameter> parameters, Serialization.ByteReader reader) =>
        throw new NotSupportedException($"{GetType().FullName} cannot be restored from a resumable checkpoint.");

    /// <summary>Writes one float buffer per parameter, or a 0 flag for a parameter that has none yet.</summary>
    private protected static void SaveBuffers(IReadOnlyList<Parameter> parameters, BinaryWriter writer, Func<Parameter, float[]?> buffer)
    {
        foreach (Parameter parameter in parameters)
        {
            float[]? values = buffer(parameter);
            writer.Write(values is not null);
            foreach (float value in values ?? [])
            {
                writer.Write(value);
            }
        }
    }

    /// <summary>Reads what <see cref="SaveBuffers"/> wrote, handing each parameter's buffer (its length) to <paramref name="restore"/>.</summary>
    private protected static void LoadBuffers(IReadOnlyList<Parameter> parameters, Serialization.ByteReader reader, string what, Action<Parameter, float[]> restore)
    {
        for (int p = 0; p < parameters.Count; p++)
        {
            if (reader.Bytes(1, $"the {what} flag of parameter {p}")[0] == 0)
            {
                continue;
            }

            float[] values = new float[parameters[p].Value.Length];
            reader.Floats(values, $"the {what} of parameter {p} ({parameters[p]})");
            restore(parameters[p], values);
        }
    }
}
