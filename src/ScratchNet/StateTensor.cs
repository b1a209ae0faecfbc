namespace ScratchNet;

/// <summary>
/// A tensor a layer keeps beside its trainable parameters and that defines what it computes, although
/// no gradient trains it: batch norm's running mean and variance. Keras calls these non-trainable
/// weights, PyTorch buffers. A layer lists them in <see cref="Layer.State"/>; saving, loading,
/// checkpoints, early stopping's best weights and <see cref="Network.Summary"/> all go through that list,
/// so a layer you write keeps its state everywhere a built-in layer does.
/// </summary>
public sealed class StateTensor
{
    /// <summary>Names a state tensor.</summary>
    /// <param name="name">A short name such as <c>running mean</c>, used in files, reports and errors.</param>
    /// <param name="value">The values; the layer reads and updates them in place.</param>
    /// <param name="nonNegative">
    /// <see langword="true"/> if a negative value is impossible (a variance): loading a file with one is
    /// then refused instead of computing square roots of negative numbers.
    /// </param>
    public StateTensor(string name, Tensor value, bool nonNegative = false)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(value);
        Name = name;
        Value = value;
        NonNegative = nonNegative;
    }

    /// <summary>The short name, such as <c>running mean</c>.</summary>
    public string Name { get; }

    /// <summary>The values.</summary>
    public Tensor Value { get; }

    /// <summary>Whether every value must be zero or positive.</summary>
    public bool NonNegative { get; }

    /// <summary>The name and shape, e.g. <c>running mean[32]</c>.</summary>
    public override string ToString() => Name + Tensor.FormatShape(Value.Shape);
}
