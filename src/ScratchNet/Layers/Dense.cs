using ScratchNet.Kernels;

namespace ScratchNet;

/// <summary>
/// A fully connected layer: every output neuron i sees every input j through a weight wᵢⱼ.
/// <code>
/// forward:   zᵢ = Σⱼ wᵢⱼ·aⱼ + bᵢ                 (z = W·a + b; for a minibatch Z = A·Wᵀ + b)
/// backward:  δᵢ = ∂C/∂zᵢ (given)
///            ∂C/∂wᵢⱼ = δᵢ·aⱼ                      (summed over the minibatch: ∂C/∂W = Δᵀ·A)
///            ∂C/∂bᵢ  = δᵢ                         (summed over the minibatch)
///            ∂C/∂aⱼ  = Σᵢ wᵢⱼ·δᵢ                  (∂C/∂A = Δ·W)
/// </code>
/// W has shape [outputs, inputs] (row i holds the weights into neuron i) and b has shape [outputs].
/// </summary>
/// <remarks>
/// Z is summed as dot products (eight partial sums per z, added at the end), except in training a layer of 16 neurons
/// on a batch of 32 rows or more (the seed network's hidden layers at batch 100), which sums it as outer products, each
/// z one chain of multiply-adds over j in order: narrow layers run nearer the FMA peak that way. Both are exact sums
/// rounded differently, so such a layer's outputs agree to about 1e-6 relative, not to the bit, between
/// <c>training: true</c> and <c>training: false</c> or batches of fewer rows; a given batch size and seed always gives
/// the same bits, whatever the number of threads, with 256- or 512-bit vectors alike.
/// </remarks>
public sealed class Dense : Layer
{
    private readonly Initializer _initializer;
    private readonly Parameter[] _parameters;
    private Tensor? _transposedWeights;

    /// <summary>Creates a dense layer.</summary>
    /// <param name="inputs">Inputs per sample (j runs over these).</param>
    /// <param name="outputs">Neurons (i runs over these).</param>
    /// <param name="initializer">How W and b start; <see cref="Initializer.GlorotUniform"/> if omitted.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is below 1.</exception>
    public Dense(int inputs, int outputs, Initializer? initializer = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inputs, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(outputs, 1);
        Inputs = inputs;
        Outputs = outputs;
        _initializer = initializer ?? Initializer.GlorotUniform;
        Weights = new Parameter("W", new Tensor(outputs, inputs), new Tensor(outputs, inputs));
        Biases = new Parameter("b", new Tensor(outputs), new Tensor(outputs));
        _parameters = [Weights, Biases];
    }

    /// <summary>Inputs per sample.</summary>
    public int Inputs { get; }

    /// <summary>Output neurons.</summary>
    public int Outputs { get; }

    /// <summary>W, shape [outputs, inputs], with ∂C/∂W.</summary>
    public Parameter Weights { get; }

    /// <summary>b, shape [outputs], with ∂C/∂b.</summary>
    public Parameter Biases { get; }

    /// <inheritdoc />
    public override string Name => $"Dense({Inputs}→{Outputs})";

    /// <inheritdoc />
    public override int[] InputShape => [Inputs];

    /// <inheritdoc />
    public override IReadOnlyList<Parameter> Parameters => _parameters;

    /// <summary><c>[inputs, outputs]</c>.</summary>
    public override IReadOnlyList<double> Configuration => [Inputs, Outputs];

    /// <inheritdoc />
    public override int[] OutputShape(ReadOnlySpan<int> inputShape)
    {
        if (inputShape.Length != 1 || inputShape[0] != Inputs)
        {
            throw new ArgumentException($"{Name} takes samples of shape [{Inputs}], not {Tensor.FormatShape(inputShape)}.", nameof(inputShape));
        }

        return [Outputs];
    }

    /// <inheritdoc />
    public override void Initialize(Random random) =>
        _initializer.Initialize(Weights.Value.Span, Biases.Value.Span, Inputs, Outputs, random);

    /// <inheritdoc />
    protected override Tensor ForwardCore(Tensor input, bool training)
    {
        // Z = A·Wᵀ + b
        int n = input.BatchSize;
        Tensor z = OutputBuffer(n);
        if (training && Gemm.NarrowForwardByTransposePays(n, Outputs))
        {
            // 16 neurons, 32 rows or more: W transposed, then Z = A·(Wᵀ) + b as outer products (see remarks).
            _transposedWeights ??= new Tensor(Inputs, Outputs);
            Gemm.MultiplyByTransposeAddBias(input.Span, Weights.Value.Span, Biases.Value.Span, _transposedWeights.Span, z.Span, n, Inputs, Outputs);
        }
        else
        {
            Gemm.MultiplyTransposedAddBias(input.Span, Weights.Value.Span, Biases.Value.Span, z.Span, n, Inputs, Outputs, unchangedWeights: !training);
        }

        return z;
    }

    /// <inheritdoc />
    protected override Tensor BackwardCore(Tensor outputGradient)
    {
        Tensor input = LastInput;
        int n = input.BatchSize;
        ReadOnlySpan<float> delta = outputGradient.Span;

        // ∂C/∂wᵢⱼ = Σ over the batch of δᵢ·aⱼ
        Weights.GradientCheckedFinite = Gemm.TransposedMultiply(delta, input.Span, Weights.Gradient.Span, n, Inputs, Outputs);

        // ∂C/∂bᵢ = Σ over the batch of δᵢ
        Span<float> biasGradient = Biases.Gradient.Span;
        delta[..Outputs].CopyTo(biasGradient);
        for (int r = 1; r < n; r++)
        {
            VectorMath.Axpy(1f, delta.Slice(r * Outputs, Outputs), biasGradient);
        }

        // ∂C/∂aⱼ = Σᵢ wᵢⱼ·δᵢ
        Tensor inputGradient = InputGradientBuffer();
        if (InputGradientNeeded)
        {
            Gemm.Multiply(delta, Weights.Value.Span, inputGradient.Span, n, Inputs, Outputs);
        }

        return inputGradient;
    }
}
