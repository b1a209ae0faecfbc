namespace ScratchNet;

/// <summary>
/// Measures how far a network's outputs a are from the targets y. A cost defines C for one sample;
/// <see cref="Loss"/> averages it over the minibatch and <see cref="Gradient"/> returns the gradient of
/// that average, so the optimizer's step is the same size whatever the batch size.
/// </summary>
public abstract class Cost
{
    /// <summary>The mean cost over the minibatch, (1/N) Σₙ C(aₙ, yₙ), accumulated in double precision.</summary>
    /// <param name="output">The network's outputs a, batch first.</param>
    /// <param name="target">The targets y, same shape.</param>
    public abstract double Loss(Tensor output, Tensor target);

    /// <summary>Writes ∂/∂a of the mean cost: (1/N) ∂C/∂aₙ for each sample n.</summary>
    /// <param name="output">The network's outputs a.</param>
    /// <param name="target">The targets y, same shape.</param>
    /// <param name="gradient">Where to write the gradient, same shape.</param>
    public abstract void Gradient(Tensor output, Tensor target, Tensor gradient);

    /// <summary>Throws a clear error when the three tensors do not share one shape.</summary>
    /// <param name="output">The outputs.</param>
    /// <param name="target">The targets.</param>
    /// <param name="gradient">The gradient, or <see langword="null"/> when there is none.</param>
    protected void EnsureSameShape(Tensor output, Tensor target, Tensor? gradient = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(target);
        if (!target.HasShape(output.Shape))
        {
            throw new ArgumentException($"{GetType().Name}: the targets have shape {Tensor.FormatShape(target.Shape)} but the outputs have shape {Tensor.FormatShape(output.Shape)}.", nameof(target));
        }

        if (gradient is not null && !gradient.HasShape(output.Shape))
        {
            throw new ArgumentException($"{GetType().Name}: the gradient has shape {Tensor.FormatShape(gradient.Shape)} but the outputs have shape {Tensor.FormatShape(output.Shape)}.", nameof(gradient));
        }
    }
}
