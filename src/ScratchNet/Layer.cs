namespace ScratchNet;

/// <summary>
/// A step of a network: a forward pass that maps a minibatch of inputs to outputs, and a backward pass,
/// written by hand, that maps ∂C/∂output back to ∂C/∂input and fills the gradients of the layer's
/// parameters. There is no automatic differentiation: each layer's backward pass sits next to its
/// forward pass so the two can be read against each other.
/// </summary>
/// <remarks>
/// <para>
/// To write your own layer, derive from this class, implement <see cref="OutputShape"/>,
/// <see cref="Forward"/> and <see cref="Backward"/>, and list your trainable tensors in
/// <see cref="Parameters"/> and any other tensors it keeps in <see cref="State"/>. The optimizers and
/// the gradient checker then work on it unchanged. To save it with a network, give its settings in
/// <see cref="Configuration"/> and register it once with <see cref="LayerTypes.Register"/>.
/// </para>
/// <para>
/// Contract: <see cref="Forward"/> receives a tensor whose first dimension is the batch and returns a
/// tensor the layer owns (it may reuse it on the next call). <see cref="Backward"/> is called once after
/// each training forward pass with ∂C/∂output of the same shape as that output; it overwrites (does not
/// add to) every parameter's <see cref="Parameter.Gradient"/> and returns ∂C/∂input, of the input's shape.
/// The layer may keep a reference to the input of the last forward pass until then.
/// </para>
/// </remarks>
public abstract class Layer
{
    /// <summary>A short display name such as <c>Dense(784→16)</c>.</summary>
    public virtual string Name => GetType().Name;

    /// <summary>The shape of one input sample this layer requires, or <see langword="null"/> if it takes any shape.</summary>
    public virtual int[]? InputShape => null;

    /// <summary>The trainable tensors of this layer with their gradients; empty for a layer without any.</summary>
    public virtual IReadOnlyList<Parameter> Parameters => [];

    /// <summary>
    /// The tensors this layer keeps without training them (batch norm's running statistics); empty for
    /// most layers. They are saved and loaded with the model, captured by early stopping's best weights
    /// and counted by <see cref="Network.Summary"/>, exactly as parameters are.
    /// </summary>
    public virtual IReadOnlyList<StateTensor> State => [];

    /// <summary>
    /// The settings that rebuild this layer, in the order its factory reads them: what its constructor
    /// takes, e.g. <c>[inputs, outputs]</c> for <see cref="Dense"/>. A model file stores them (as 64-bit
    /// floats, which hold every int and float exactly) with the layer's type name, and
    /// <see cref="LayerTypes"/> passes them back to the factory on loading. Empty for a layer without settings.
    /// </summary>
    public virtual IReadOnlyList<double> Configuration => [];

    /// <summary>The shape of one output sample for a given shape of one input sample (batch dimension excluded).</summary>
    /// <param name="inputShape">The shape of one input sample.</param>
    /// <exception cref="ArgumentException">This layer cannot take inputs of that shape; the message says why.</exception>
    public abstract int[] OutputShape(ReadOnlySpan<int> inputShape);

    /// <summary>Computes the outputs of a minibatch.</summary>
    /// <param name="input">The inputs, batch first.</param>
    /// <param name="training"><see langword="true"/> during training (layers such as dropout act only then).</param>
    /// <returns>The outputs, batch first, in a tensor the layer owns and reuses.</returns>
    public abstract Tensor Forward(Tensor input, bool training);

    /// <summary>Backpropagates through the last forward pass.</summary>
    /// <param name="outputGradient">∂C/∂output, the shape of the last output.</param>
    /// <returns>∂C/∂input, the shape of the last input, in a tensor the layer owns and reuses.</returns>
    public abstract Tensor Backward(Tensor outputGradient);

    /// <summary>Sets the initial values of the parameters. Layers without parameters do nothing.</summary>
    /// <param name="random">The source of every random choice, seeded by the network so that the same seed gives the same weights.</param>
    public virtual void Initialize(Random random)
    {
    }

    /// <summary>The display name.</summary>
    public override string ToString() => Name;

    /// <summary>
    /// The generator a layer draws from during training (dropout's masks), or <see langword="null"/> for a
    /// layer that draws nothing. A resumable checkpoint saves and restores it, so that training resumes
    /// with the numbers it would have drawn.
    /// </summary>
    internal virtual ResumableRandom? TrainingRandom
    {
        get => null;
        set => throw new InvalidOperationException($"{Name} draws no random numbers.");
    }

    /// <summary>
    /// When <see langword="false"/>, <see cref="Backward"/> may skip ∂C/∂input and return a tensor of
    /// unspecified values. The network turns it off for its first layer during training, where nothing
    /// consumes that gradient; layers that save work by it check it, others may ignore it.
    /// </summary>
    internal bool InputGradientNeeded { get; set; } = true;

    /// <summary>
    /// Returns <paramref name="buffer"/> if it already has <paramref name="batchSize"/> samples of
    /// <paramref name="sampleShape"/>, otherwise a new tensor of that shape. Layers use it to allocate
    /// their outputs once per batch size and reuse them after that.
    /// </summary>
    /// <param name="buffer">The tensor used last time, or <see langword="null"/>.</param>
    /// <param name="batchSize">The number of samples.</param>
    /// <param name="sampleShape">The shape of one sample.</param>
    protected static Tensor Reuse(Tensor? buffer, int batchSize, ReadOnlySpan<int> sampleShape)
    {
        if (buffer is not null && buffer.BatchSize == batchSize && buffer.Shape[1..].SequenceEqual(sampleShape))
        {
            return buffer;
        }

        int[] shape = new int[sampleShape.Length + 1];
        shape[0] = batchSize;
        sampleShape.CopyTo(shape.AsSpan(1));
        return new Tensor(shape);
    }

    /// <summary>Throws a clear error when <paramref name="gradient"/> does not have the shape of <paramref name="output"/>.</summary>
    /// <param name="output">The output of the last forward pass, or <see langword="null"/> if there was none.</param>
    /// <param name="gradient">The gradient passed to <see cref="Backward"/>.</param>
    protected void EnsureBackwardMatches(Tensor? output, Tensor gradient)
    {
        ArgumentNullException.ThrowIfNull(gradient);
        if (output is null)
        {
            throw new InvalidOperationException($"{Name}: Backward was called before Forward.");
        }

        if (!gradient.HasShape(output.Shape))
        {
            throw new ArgumentException(
                $"{Name}: the output gradient has shape {Tensor.FormatShape(gradient.Shape)} but the last output had shape {Tensor.FormatShape(output.Shape)}.",
                nameof(gradient));
        }
    }
}
