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
/// <see cref="ForwardCore"/> and <see cref="BackwardCore"/>, and list your trainable tensors in
/// <see cref="Parameters"/> and any other tensors it keeps in <see cref="State"/>. The optimizers and
/// the gradient checker then work on it unchanged. To save it with a network, give its settings in
/// <see cref="Configuration"/> and register it once with <see cref="LayerTypes.Register"/>.
/// </para>
/// <para>
/// What the base class does, so that a layer file holds only its formula, its two passes and its
/// parameters: <see cref="Forward"/> checks the input (not null, batch first, a sample shape that
/// <see cref="OutputShape"/> accepts: checked once per shape, so a training step allocates nothing),
/// remembers it as <see cref="LastInput"/>, and calls <see cref="ForwardCore"/>; <see cref="Backward"/>
/// checks that a forward pass came first and that ∂C/∂output has the last output's shape, then calls
/// <see cref="BackwardCore"/>. <see cref="OutputBuffer"/> and <see cref="InputGradientBuffer"/> give
/// tensors that are reused from call to call, also when the batch size changes (see <see cref="Reuse"/>).
/// </para>
/// <para>
/// Contract of the two passes: <see cref="ForwardCore"/> returns a tensor the layer owns (it may reuse it
/// on the next call). <see cref="BackwardCore"/> is called once after each training forward pass; it
/// overwrites (does not add to) every parameter's <see cref="Parameter.Gradient"/> and returns ∂C/∂input,
/// of the input's shape.
/// </para>
/// </remarks>
public abstract class Layer
{
    private int[]? _checkedSample;
    private int[] _outputSample = [];
    private Tensor? _input;
    private Tensor? _output;
    private Tensor? _outputBuffer;
    private Tensor? _inputGradientBuffer;

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

    /// <summary>Computes the outputs of a minibatch: checks the input, then runs <see cref="ForwardCore"/>.</summary>
    /// <param name="input">The inputs, batch first.</param>
    /// <param name="training"><see langword="true"/> during training (layers such as dropout act only then).</param>
    /// <returns>The outputs, batch first, in a tensor the layer owns and reuses.</returns>
    /// <exception cref="ArgumentException">The input has no batch dimension, or its samples have a shape this layer cannot take.</exception>
    public Tensor Forward(Tensor input, bool training)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank < 1)
        {
            throw new ArgumentException($"{Name} takes a minibatch, batch first, but the input has shape {Tensor.FormatShape(input.Shape)}.", nameof(input));
        }

        ReadOnlySpan<int> sample = input.Shape[1..];
        if (_checkedSample is null || !sample.SequenceEqual(_checkedSample))
        {
            _outputSample = OutputShape(sample);   // throws, naming the layer, for a shape it cannot take
            _checkedSample = sample.ToArray();
        }

        _input = input;
        _output = ForwardCore(input, training);
        return _output;
    }

    /// <summary>Backpropagates through the last forward pass: checks ∂C/∂output, then runs <see cref="BackwardCore"/>.</summary>
    /// <param name="outputGradient">∂C/∂output, the shape of the last output.</param>
    /// <returns>∂C/∂input, the shape of the last input, in a tensor the layer owns and reuses.</returns>
    /// <exception cref="InvalidOperationException">No forward pass came first.</exception>
    /// <exception cref="ArgumentException">The gradient's shape is not the last output's.</exception>
    public Tensor Backward(Tensor outputGradient)
    {
        ArgumentNullException.ThrowIfNull(outputGradient);
        if (_output is null)
        {
            throw new InvalidOperationException($"{Name}: Backward was called before Forward.");
        }

        if (!outputGradient.HasShape(_output.Shape))
        {
            throw new ArgumentException(
                $"{Name}: the output gradient has shape {Tensor.FormatShape(outputGradient.Shape)} but the last output had shape {Tensor.FormatShape(_output.Shape)}.",
                nameof(outputGradient));
        }

        return BackwardCore(outputGradient);
    }

    /// <summary>The forward pass: the outputs of a minibatch whose shape <see cref="Forward"/> has checked.</summary>
    /// <param name="input">The inputs, batch first; <see cref="OutputShape"/> accepts their sample shape.</param>
    /// <param name="training"><see langword="true"/> during training.</param>
    /// <returns>The outputs, usually <see cref="OutputBuffer"/> filled in.</returns>
    protected abstract Tensor ForwardCore(Tensor input, bool training);

    /// <summary>The backward pass: ∂C/∂input from ∂C/∂output, filling every parameter's gradient.</summary>
    /// <param name="outputGradient">∂C/∂output, checked to have the last output's shape.</param>
    /// <returns>∂C/∂input, usually <see cref="InputGradientBuffer"/> filled in.</returns>
    protected abstract Tensor BackwardCore(Tensor outputGradient);

    /// <summary>The input of the last forward pass (the a of the layer before), which the backward pass needs.</summary>
    /// <exception cref="InvalidOperationException">No forward pass has run.</exception>
    protected Tensor LastInput => _input ?? throw new InvalidOperationException($"{Name}: no forward pass has run.");

    /// <summary>The output of the last forward pass.</summary>
    /// <exception cref="InvalidOperationException">No forward pass has run.</exception>
    protected Tensor LastOutput => _output ?? throw new InvalidOperationException($"{Name}: no forward pass has run.");

    /// <summary>A tensor for the outputs of <paramref name="batchSize"/> samples of the shape <see cref="OutputShape"/> gave for the last input, reused from call to call (see <see cref="Reuse"/>).</summary>
    /// <param name="batchSize">The number of samples.</param>
    protected Tensor OutputBuffer(int batchSize) => _outputBuffer = Reuse(_outputBuffer, batchSize, _outputSample);

    /// <summary>A tensor of the last input's shape for ∂C/∂input, reused from call to call (see <see cref="Reuse"/>).</summary>
    protected Tensor InputGradientBuffer() => _inputGradientBuffer = Reuse(_inputGradientBuffer, LastInput.BatchSize, LastInput.Shape[1..]);

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
    /// A batch of <paramref name="batchSize"/> samples of <paramref name="sampleShape"/> in the storage of
    /// <paramref name="buffer"/> when it has that sample shape and room for them: <paramref name="buffer"/> itself
    /// for the same batch size, else a view of its storage (the first samples' worth of it). Otherwise, or when
    /// the batch would use less than a sixteenth of that storage, a new tensor of zeros. So a network that trains
    /// on batches of 64, ends an epoch with a smaller one and evaluates in batches of 256 allocates its buffers
    /// once, for the largest; a single prediction after large batches frees them (they are garbage once
    /// replaced). For buffers beyond <see cref="OutputBuffer"/> and <see cref="InputGradientBuffer"/> (a
    /// convolution's patch rows). The values of a reused buffer are those of an earlier call: write every value
    /// you read.
    /// </summary>
    /// <param name="buffer">The tensor used last time, or <see langword="null"/>.</param>
    /// <param name="batchSize">The number of samples.</param>
    /// <param name="sampleShape">The shape of one sample.</param>
    protected static Tensor Reuse(Tensor? buffer, int batchSize, ReadOnlySpan<int> sampleShape)
    {
        if (buffer is not null && buffer.Shape[1..].SequenceEqual(sampleShape))
        {
            if (buffer.BatchSize == batchSize)
            {
                return buffer;
            }

            if (KeepsStorage(buffer.Capacity, (long)batchSize * buffer.SampleSize) && buffer.WithBatchSize(batchSize) is { } view)
            {
                return view;
            }
        }

        int[] shape = new int[sampleShape.Length + 1];
        shape[0] = batchSize;
        sampleShape.CopyTo(shape.AsSpan(1));
        return new Tensor(shape);
    }

    /// <summary>
    /// <paramref name="array"/> when it holds at least <paramref name="length"/> values and not more than 16 times
    /// as many (the rule of <see cref="Reuse"/>), else a new array of <paramref name="length"/>; for a layer's
    /// per-value records, such as max pooling's winners or dropout's mask.
    /// </summary>
    internal static T[] Reuse<T>(T[] array, int length) => KeepsStorage(array.Length, length) ? array : new T[length];

    /// <summary>Whether storage of <paramref name="capacity"/> values serves <paramref name="needed"/>: room enough, and at least a sixteenth of it used.</summary>
    private static bool KeepsStorage(long capacity, long needed) => needed <= capacity && needed >= capacity / 16;
}
