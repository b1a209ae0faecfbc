namespace ScratchNet;

/// <summary>
/// One trainable tensor of a layer, paired with the gradient of the cost with respect to it.
/// Optimizers and the gradient checker see a network only through these pairs, so a layer you write
/// yourself trains and checks like a built-in one as soon as it lists its parameters.
/// </summary>
public sealed class Parameter
{
    /// <summary>Pairs a value with a gradient of the same shape.</summary>
    /// <param name="name">A short name such as <c>W</c> or <c>b</c>, used in reports and errors.</param>
    /// <param name="value">The trainable values.</param>
    /// <param name="gradient">∂C/∂value, written by the layer's backward pass; same shape as <paramref name="value"/>.</param>
    /// <exception cref="ArgumentException">The two tensors differ in shape.</exception>
    public Parameter(string name, Tensor value, Tensor gradient)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(gradient);
        if (!value.HasShape(gradient.Shape))
        {
            throw new ArgumentException(
                $"Parameter '{name}': the gradient has shape {Tensor.FormatShape(gradient.Shape)} but the value has shape {Tensor.FormatShape(value.Shape)}.",
                nameof(gradient));
        }

        Name = name;
        Value = value;
        Gradient = gradient;
    }

    /// <summary>The short name, such as <c>W</c> or <c>b</c>.</summary>
    public string Name { get; }

    /// <summary>The trainable values.</summary>
    public Tensor Value { get; }

    /// <summary>∂C/∂value for the last backward pass, where C is the cost averaged over the minibatch.</summary>
    public Tensor Gradient { get; }

    /// <summary>
    /// True when the layer's last backward pass wrote <see cref="Gradient"/> with a kernel that checked every value
    /// finite as it wrote it (Dense's and Conv2D's weights on the 256- and 512-bit paths). The trainer's guard, which
    /// refuses a step whose gradients hold an infinity or a NaN, then need not read those values again: it trusts the
    /// flag for a Dense or Conv2D layer of the network itself (a layer that wraps one, and could write into its
    /// gradient afterwards, is read as before), and clears every flag after each step.
    /// </summary>
    internal bool GradientCheckedFinite { get; set; }

    /// <summary>The name and shape, e.g. <c>W[16, 784]</c>.</summary>
    public override string ToString() => Name + Tensor.FormatShape(Value.Shape);
}
