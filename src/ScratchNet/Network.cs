using ScratchNet.Serialization;

namespace ScratchNet;

/// <summary>
/// A feed-forward network: an ordered list of layers, each feeding the next.
/// <code>
/// var network = new Network(
///     new Dense(784, 16), new Sigmoid(),
///     new Dense(16, 16), new Sigmoid(),
///     new Dense(16, 10), new Sigmoid());
/// int digit = network.Classify(image);
/// </code>
/// </summary>
/// <remarks>
/// <see cref="Predict(ReadOnlySpan{float})"/>, <see cref="Classify"/> and <see cref="Evaluate"/> are
/// safe to call from several threads at once (they take turns). While <see cref="Trainer.Fit"/> trains
/// the network, they throw <see cref="InvalidOperationException"/> when called from another thread,
/// rather than answer from weights that change under them or disturb the training (callbacks, on the
/// training thread, may call them between steps): to serve predictions while a network trains, predict
/// with another network, e.g. the last saved one. <see cref="Forward"/> and <see cref="Backward(Tensor)"/>
/// use the layers' own buffers and must not overlap with anything else.
/// </remarks>
public sealed class Network
{
    private readonly Layer[] _layers;
    private readonly int[] _inputShape;
    private readonly int[] _outputShape;
    private readonly int _inputSize;
    private readonly int _outputSize;
    private readonly Parameter[] _parameters;
    private readonly Lock _inference = new();
    private int _trainingThread;
    private Tensor? _single;
    private Tensor? _inputView;
    private Tensor? _inputViewSource;

    /// <summary>
    /// Builds a network from layers, taking the input shape from the first layer (a <see cref="Dense"/>
    /// layer knows it), and initializes every layer with seed 0.
    /// </summary>
    /// <param name="layers">The layers, input first.</param>
    /// <exception cref="ArgumentException">There are no layers, the first layer does not state its input shape, or two neighbouring layers do not fit.</exception>
    public Network(params Layer[] layers)
        : this(FirstInputShape(layers), layers)
    {
    }

    /// <summary>Builds a network for inputs of the given shape and initializes every layer with seed 0.</summary>
    /// <param name="inputShape">The shape of one input sample, e.g. <c>[784]</c>.</param>
    /// <param name="layers">The layers, input first.</param>
    /// <exception cref="ArgumentException">There are no layers or two neighbouring layers do not fit.</exception>
    public Network(int[] inputShape, params Layer[] layers)
    {
        ArgumentNullException.ThrowIfNull(inputShape);
        ArgumentNullException.ThrowIfNull(layers);
        if (layers.Length == 0)
        {
            throw new ArgumentException("A network needs at least one layer.", nameof(layers));
        }

        _layers = (Layer[])layers.Clone();
        _inputShape = (int[])inputShape.Clone();
        EnsureSampleSize(_inputShape, $"The input shape {Tensor.FormatShape(_inputShape)}");
        int[] shape = _inputShape;
        for (int i = 0; i < _layers.Length; i++)
        {
            Layer layer = _layers[i] ?? throw new ArgumentException($"Layer {i} is null.", nameof(layers));
            if (Array.IndexOf(_layers, layer) != i)
            {
                throw new ArgumentException($"Layer {i} ({layer.Name}) appears twice; each layer holds its own state, so create a new one.", nameof(layers));
            }

            try
            {
                shape = layer.OutputShape(shape);
            }
            catch (ArgumentException e)
            {
                throw new ArgumentException($"Layer {i} ({layer.Name}) cannot follow a layer with output shape {Tensor.FormatShape(shape)}: {e.Message}", nameof(layers), e);
            }

            EnsureSampleSize(shape, $"Layer {i} ({layer.Name}) gives samples of shape {Tensor.FormatShape(shape)}");
        }

        _outputShape = shape;
        _inputSize = Product(_inputShape);
        _outputSize = Product(_outputShape);
        _parameters = _layers.SelectMany(l => l.Parameters).ToArray();
        Initialize(0);
    }

    /// <summary>The layers, input first.</summary>
    public IReadOnlyList<Layer> Layers => _layers;

    /// <summary>The shape of one input sample.</summary>
    public IReadOnlyList<int> InputShape => _inputShape;

    /// <summary>The shape of one output sample.</summary>
    public IReadOnlyList<int> OutputShape => _outputShape;

    /// <summary>Every trainable parameter of every layer, input side first.</summary>
    public IReadOnlyList<Parameter> Parameters => _parameters;

    /// <summary>The number of trainable values (13,002 for 784-16-16-10).</summary>
    public int ParameterCount => _parameters.Sum(p => p.Value.Length);

    /// <summary>
    /// Loads a network saved with <see cref="Save(string)"/> (any format version). The file is checked
    /// before the network is built: its CRC-32 (format 3), every size it declares against its own length
    /// and the format's limits, every weight and statistic for being finite, and nothing may follow its
    /// end. A load allocates little more than the file's size. A custom layer's type must be registered
    /// with <see cref="LayerTypes.Register"/> first.
    /// </summary>
    /// <param name="path">The model file.</param>
    /// <exception cref="InvalidDataException">
    /// The contents are not a loadable model: not a ScratchNet file, a newer version, truncated, damaged
    /// (checksum), a size out of range, a non-finite value, an unknown layer type or a layer that rejects
    /// its settings. The message names the file, the layer and field, and the byte offset.
    /// </exception>
    /// <exception cref="IOException">
    /// The file cannot be read: it does not exist (<see cref="FileNotFoundException"/>), its folder does not
    /// (<see cref="DirectoryNotFoundException"/>), it is a directory, access is denied, or reading fails.
    /// </exception>
    public static Network Load(string path) => ModelReader.ReadFile(path).Network;

    /// <summary>Loads a network from a stream holding a ScratchNet model file, read to its end, with the checks of <see cref="Load(string)"/>.</summary>
    /// <param name="stream">The stream, positioned at the start of the model.</param>
    /// <exception cref="InvalidDataException">The contents are not a loadable model (see <see cref="Load(string)"/>).</exception>
    /// <exception cref="IOException">Reading the stream fails.</exception>
    public static Network Load(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return ModelReader.Read(stream, "stream").Network;
    }

    /// <summary>
    /// Saves the architecture, the weights and every layer's <see cref="Layer.State"/> in model format 3.
    /// The file is written to a temporary file beside it (<c>&lt;path&gt;.&lt;8 hex digits&gt;.tmp</c>) and then
    /// renamed, so a crash never leaves a half-written model; the next save to the same path removes
    /// temporary files that a killed process left behind.
    /// </summary>
    /// <param name="path">The model file; replaced if it exists.</param>
    /// <exception cref="NotSupportedException">A layer's type is not registered (a custom layer); nothing is written, and the message says how to register it.</exception>
    /// <exception cref="InvalidOperationException">A weight is NaN or infinite (training diverged); nothing is written.</exception>
    /// <exception cref="IOException">The file cannot be written; the message names <paramref name="path"/>.</exception>
    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        byte[] contents = ModelWriter.ToBytes(this);
        AtomicFile.Write(path, stream => stream.Write(contents));
    }

    /// <summary>Writes the model to a stream, in model format 3.</summary>
    /// <param name="stream">A writable stream.</param>
    /// <exception cref="NotSupportedException">A layer's type is not registered (a custom layer); nothing is written.</exception>
    /// <exception cref="InvalidOperationException">A weight is NaN or infinite; nothing is written.</exception>
    public void Save(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ModelWriter.Write(this, stream);
    }

    /// <summary>Sets every parameter to its starting value, drawing from one <see cref="Random"/> seeded with <paramref name="seed"/>, layer by layer.</summary>
    /// <param name="seed">The seed: the same seed gives the same weights, bit for bit.</param>
    public void Initialize(int seed)
    {
        var random = new Random(seed);
        foreach (Layer layer in _layers)
        {
            layer.Initialize(random);
        }
    }

    /// <summary>Runs a minibatch through every layer.</summary>
    /// <param name="input">Inputs, batch first; each sample must have the shape <see cref="InputShape"/>.</param>
    /// <param name="training"><see langword="true"/> in training, so that training-only layers act.</param>
    /// <returns>The outputs, owned by the last layer and overwritten by the next call: copy what you keep.</returns>
    /// <exception cref="ArgumentException">The samples do not have the input shape.</exception>
    public Tensor Forward(Tensor input, bool training = false)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.SampleSize != _inputSize)
        {
            throw new ArgumentException($"The network takes samples of shape {Tensor.FormatShape(_inputShape)}, but the input has shape {Tensor.FormatShape(input.Shape)}.", nameof(input));
        }

        Tensor a = ShapedInput(input);
        foreach (Layer layer in _layers)
        {
            a = layer.Forward(a, training);
        }

        return a;
    }

    /// <summary>Backpropagates ∂C/∂output through every layer, last first, filling every parameter's gradient.</summary>
    /// <param name="outputGradient">∂C/∂a of the last layer, the shape of the last <see cref="Forward"/> output.</param>
    /// <returns>∂C/∂input, the shape of the last input, owned by the first layer.</returns>
    public Tensor Backward(Tensor outputGradient) => Backward(outputGradient, inputGradientNeeded: true);

    /// <summary>Backpropagates; without <paramref name="inputGradientNeeded"/> the first layer may skip ∂C/∂input.</summary>
    internal Tensor Backward(Tensor outputGradient, bool inputGradientNeeded)
    {
        ArgumentNullException.ThrowIfNull(outputGradient);
        _layers[0].InputGradientNeeded = inputGradientNeeded;

        Tensor delta = outputGradient;
        for (int i = _layers.Length - 1; i >= 0; i--)
        {
            delta = _layers[i].Backward(delta);
        }

        return delta;
    }

    /// <summary>The outputs for one sample, e.g. the ten activations of the output layer.</summary>
    /// <param name="input">One sample: as many values as the input shape holds (784 for MNIST).</param>
    /// <returns>A new array with the outputs.</returns>
    public float[] Predict(ReadOnlySpan<float> input)
    {
        float[] output = new float[_outputSize];
        Predict(input, output);
        return output;
    }

    /// <summary>Writes the outputs for one sample into <paramref name="output"/>, allocating nothing.</summary>
    /// <param name="input">One sample.</param>
    /// <param name="output">Where to write the outputs; its length must be the output size.</param>
    /// <exception cref="ArgumentException">A length does not match the network, or an input is NaN or infinite (the message gives its index).</exception>
    /// <exception cref="InvalidOperationException">The network is being trained on another thread.</exception>
    public void Predict(ReadOnlySpan<float> input, Span<float> output)
    {
        lock (_inference)
        {
            EnsureNotTrainingElsewhere();
            _single ??= new Tensor([1, .. _inputShape]);
            if (input.Length != _single.Length)
            {
                throw new ArgumentException($"The network takes {_single.Length} inputs per sample, but {input.Length} were given.", nameof(input));
            }

            EnsureFinite(input, nameof(input));

            input.CopyTo(_single.Span);
            Tensor result = Forward(_single);
            if (output.Length != result.Length)
            {
                throw new ArgumentException($"The network gives {result.Length} outputs per sample, but the output span holds {output.Length}.", nameof(output));
            }

            result.Span.CopyTo(output);
        }
    }

    /// <summary>The outputs for a batch of samples, in a new tensor.</summary>
    /// <param name="inputs">Samples, batch first.</param>
    /// <exception cref="ArgumentException">The samples do not have the input shape, or a value is NaN or infinite (the message gives its index).</exception>
    /// <exception cref="InvalidOperationException">The network is being trained on another thread.</exception>
    public Tensor Predict(Tensor inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        lock (_inference)
        {
            EnsureNotTrainingElsewhere();
            EnsureFinite(inputs.Span, nameof(inputs));
            return Forward(inputs).Clone();
        }
    }

    /// <summary>The class of one sample: the index of the largest output (the digit, for MNIST).</summary>
    /// <param name="input">One sample.</param>
    /// <exception cref="ArgumentException">The length does not match the network, or an input is NaN or infinite.</exception>
    /// <exception cref="InvalidOperationException">The network is being trained on another thread.</exception>
    public int Classify(ReadOnlySpan<float> input)
    {
        Span<float> output = stackalloc float[_outputSize];
        Predict(input, output);
        return Dataset.ArgMax(output);
    }

    /// <summary>
    /// Measures a classifier on a dataset: accuracy, the confusion matrix (rows = true class, columns =
    /// predicted), per-class precision and recall, the indices of the misclassified samples and, if a
    /// cost is given, the mean cost. The class of a sample is the index of its largest output (for a
    /// single output: 1 if it is at least ½, else 0), and the same for its target.
    /// </summary>
    /// <param name="data">The samples and their targets.</param>
    /// <param name="cost">The cost to average, or <see langword="null"/> for accuracy only.</param>
    /// <param name="batchSize">How many samples go through the network at once.</param>
    /// <param name="cancellationToken">Checked before every batch.</param>
    /// <exception cref="InvalidOperationException">The network is being trained on another thread.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public Evaluation Evaluate(Dataset data, Cost? cost = null, int batchSize = 256, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        batchSize = Math.Min(batchSize, Math.Max(1, data.Count));   // start += batchSize can then not overflow
        lock (_inference)
        {
            EnsureNotTrainingElsewhere();
            return Evaluator.Evaluate(this, data, cost, batchSize, cancellationToken);
        }
    }

    /// <summary>
    /// A table of the layers, as Keras prints it: each layer's name, the shape of one output sample and
    /// its number of trainable values, then the total. For the seed network:
    /// <code>
    /// Layer               Output shape       Parameters
    /// ─────────────────────────────────────────────────
    /// Dense(784→16)       [16]                   12,560
    /// Sigmoid             [16]                        0
    /// …
    /// ─────────────────────────────────────────────────
    /// Total                                      13,002
    /// </code>
    /// The first line gives the input shape; layers with <see cref="Layer.State"/> (batch norm's running
    /// mean and variance) add a line counting those values, which are saved but not trained.
    /// </summary>
    public string Summary() => NetworkSummary.Format(this);

    /// <summary>Marks the network as training on this thread (<see cref="Trainer"/> calls it), refusing a second trainer.</summary>
    /// <exception cref="InvalidOperationException">Another trainer, or the same one re-entered, is training it.</exception>
    internal void EnterTraining()
    {
        lock (_inference)
        {
            if (_trainingThread != 0)
            {
                throw new InvalidOperationException("The network is already being trained; a network trains in one Fit or TrainBatch at a time.");
            }

            _trainingThread = Environment.CurrentManagedThreadId;
        }
    }

    /// <summary>Ends what <see cref="EnterTraining"/> began.</summary>
    internal void ExitTraining()
    {
        lock (_inference)
        {
            _trainingThread = 0;
        }
    }

    /// <summary>Refuses inference from another thread while the network trains (called under the inference lock).</summary>
    private void EnsureNotTrainingElsewhere()
    {
        if (_trainingThread != 0 && _trainingThread != Environment.CurrentManagedThreadId)
        {
            throw new InvalidOperationException(
                "The network is being trained (Trainer.Fit is running on another thread), so its weights change with every step. " +
                "Predict after Fit returns, from a callback, or with another network such as the last saved one.");
        }
    }

    /// <summary>Refuses NaN and infinite inputs, which would otherwise give a confident, meaningless answer.</summary>
    private static void EnsureFinite(ReadOnlySpan<float> input, string name)
    {
        int at = Kernels.VectorMath.IndexOfNonFinite(input);
        if (at >= 0)
        {
            throw new ArgumentException($"Input value {at} is {input[at]}; a network can only predict from finite numbers.", name);
        }
    }

    /// <summary>The input seen as <c>[N, ..InputShape]</c> (e.g. MNIST rows [N, 784] as images [N, 28, 28, 1]), without copying.</summary>
    private Tensor ShapedInput(Tensor input)
    {
        if (input.Rank == _inputShape.Length + 1 && input.Shape[1..].SequenceEqual(_inputShape))
        {
            return input;
        }

        if (_inputView is { } view && ReferenceEquals(_inputViewSource, input))
        {
            return view;
        }

        _inputViewSource = input;
        _inputView = input.Reshape([input.BatchSize, .. _inputShape]);
        return _inputView;
    }

    /// <summary>Refuses a sample shape with a size below 1 or more values than a tensor can hold.</summary>
    private static void EnsureSampleSize(int[] shape, string what)
    {
        long size = 1;
        foreach (int dimension in shape)
        {
            if (dimension < 1)
            {
                throw new ArgumentException($"{what}: every size must be at least 1.");
            }

            size = Math.Min(size * dimension, int.MaxValue + 1L);
        }

        if (size > int.MaxValue)
        {
            throw new ArgumentException($"{what}: more than {int.MaxValue} values per sample.");
        }
    }

    private static int Product(int[] shape)
    {
        int product = 1;
        foreach (int dimension in shape)
        {
            product *= dimension;
        }

        return product;
    }

    private static int[] FirstInputShape(Layer[] layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        if (layers.Length == 0)
        {
            throw new ArgumentException("A network needs at least one layer.", nameof(layers));
        }

        return layers[0]?.InputShape
            ?? throw new ArgumentException($"The first layer ({layers[0]?.Name ?? "null"}) does not state its input shape; use the constructor that takes an input shape.", nameof(layers));
    }
}
