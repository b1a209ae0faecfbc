namespace ScratchNet.Tests.GradientChecking;

/// <summary>
/// A square dense layer, z = W·a + b, whose backward pass can be broken on purpose, to show that the
/// checker catches a wrong gradient and names the tensor it is in.
/// </summary>
internal sealed class BrokenDense : Layer
{
    private readonly int _size;
    private readonly Bug _bug;
    private Tensor? _input;
    private Tensor? _output;
    private Tensor? _inputGradient;

    public BrokenDense(int size, Bug bug)
    {
        _size = size;
        _bug = bug;
        Weights = new Parameter("W", new Tensor(size, size), new Tensor(size, size));
        Biases = new Parameter("b", new Tensor(size), new Tensor(size));
    }

    public enum Bug
    {
        /// <summary>∂C/∂W is 1.5 times too large (a stray factor).</summary>
        WeightGradientFactor,

        /// <summary>∂C/∂b forgets to sum over the batch (only the first sample counts).</summary>
        BiasGradientFirstSampleOnly,

        /// <summary>∂C/∂a uses W instead of Wᵀ: Σᵢ wⱼᵢ·δᵢ instead of Σᵢ wᵢⱼ·δᵢ.</summary>
        TransposedWeightInInputGradient,
    }

    public Parameter Weights { get; }

    public Parameter Biases { get; }

    public override string Name => $"Broken({_bug})";

    public override IReadOnlyList<Parameter> Parameters => [Weights, Biases];

    public override int[] OutputShape(ReadOnlySpan<int> inputShape) => [_size];

    public override void Initialize(Random random)
    {
        for (int e = 0; e < Weights.Value.Length; e++)
        {
            Weights.Value[e] = (random.NextSingle() * 2) - 1;
        }

        for (int i = 0; i < _size; i++)
        {
            Biases.Value[i] = (random.NextSingle() * 2) - 1;
        }
    }

    protected override Tensor ForwardCore(Tensor input, bool training)
    {
        _input = input;
        _output = Reuse(_output, input.BatchSize, [_size]);
        for (int n = 0; n < input.BatchSize; n++)
        {
            for (int i = 0; i < _size; i++)
            {
                float z = Biases.Value[i];
                for (int j = 0; j < _size; j++)
                {
                    z += Weights.Value[(i * _size) + j] * input[(n * _size) + j];
                }

                _output[(n * _size) + i] = z;
            }
        }

        return _output;
    }

    protected override Tensor BackwardCore(Tensor outputGradient)
    {
        Tensor a = _input!;
        _inputGradient = Reuse(_inputGradient, a.BatchSize, [_size]);
        Weights.Gradient.Clear();
        Biases.Gradient.Clear();
        _inputGradient.Clear();
        for (int n = 0; n < a.BatchSize; n++)
        {
            for (int i = 0; i < _size; i++)
            {
                float delta = outputGradient[(n * _size) + i];
                if (_bug != Bug.BiasGradientFirstSampleOnly || n == 0)
                {
                    Biases.Gradient[i] += delta;
                }

                for (int j = 0; j < _size; j++)
                {
                    float factor = _bug == Bug.WeightGradientFactor ? 1.5f : 1f;
                    Weights.Gradient[(i * _size) + j] += factor * delta * a[(n * _size) + j];
                    int w = _bug == Bug.TransposedWeightInInputGradient ? (j * _size) + i : (i * _size) + j;
                    _inputGradient[(n * _size) + j] += Weights.Value[w] * delta;
                }
            }
        }

        return _inputGradient;
    }
}
