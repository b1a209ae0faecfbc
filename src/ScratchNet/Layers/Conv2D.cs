using ScratchNet.Kernels;

namespace ScratchNet;

/// <summary>
/// A 2-D convolution over images stored channels-last, <c>[N, H, W, C]</c>: F filters of size k×k slide
/// over the image with stride s and zero padding p; each filter sees all C channels.
/// <code>
/// forward:   z[n, y, x, f] = b[f] + Σ_{u,v,c} W[f, u, v, c] · a[n, y·s + u − p, x·s + v − p, c]   (a = 0 outside the image)
///            as a matrix product: R = im2row(a), one row per output pixel holding the k×k×C values it sees,
///            Z = R·Wᵀ + b                                         (W is [F, k·k·C])
/// backward:  Δ = ∂C/∂Z (given)
///            ∂C/∂W = Δᵀ·R          ∂C/∂b[f] = Σ over n, y, x of Δ[n, y, x, f]
///            ∂C/∂R = Δ·W,  then ∂C/∂a = row2im(∂C/∂R): each pixel sums the gradients of every patch that saw it
/// </code>
/// Output size: H' = (H + 2p − k)/s + 1, W' likewise.
/// </summary>
/// <remarks>
/// In training (with 16, 32, 64 … filters) Z is summed as outer products, each z one chain of multiply-adds over the
/// patch in order; in inference as dot products, eight partial sums per z added at the end. Both are exact sums rounded
/// differently, so the same weights give outputs that agree to about 1e-6 relative, not to the bit, between
/// <c>training: true</c> and <c>training: false</c>; within each mode a sample's output never depends on the batch
/// around it or the number of threads.
/// </remarks>
public sealed class Conv2D : Layer
{
    private readonly Initializer _initializer;
    private readonly Parameter[] _parameters;
    private Geometry _geometry;
    private Tensor? _rows;
    private Tensor? _rowGradient;
    private Tensor? _transposedWeights;

    /// <summary>Creates a convolution layer.</summary>
    /// <param name="inputChannels">C, the channels of the input (1 for MNIST).</param>
    /// <param name="filters">F, the number of filters and so of output channels.</param>
    /// <param name="kernelSize">k, the side of each square filter.</param>
    /// <param name="stride">s, the step between two positions of a filter.</param>
    /// <param name="padding">p, the zeros added on every side of the image.</param>
    /// <param name="initializer">How W and b start; <see cref="Initializer.GlorotUniform"/> if omitted.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is out of range.</exception>
    public Conv2D(int inputChannels, int filters, int kernelSize, int stride = 1, int padding = 0, Initializer? initializer = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inputChannels, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(filters, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(kernelSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(stride, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(padding);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(padding, kernelSize);
        InputChannels = inputChannels;
        Filters = filters;
        KernelSize = kernelSize;
        Stride = stride;
        Padding = padding;
        _initializer = initializer ?? Initializer.GlorotUniform;
        int patch = kernelSize * kernelSize * inputChannels;
        Weights = new Parameter("W", new Tensor(filters, patch), new Tensor(filters, patch));
        Biases = new Parameter("b", new Tensor(filters), new Tensor(filters));
        _parameters = [Weights, Biases];
    }

    /// <summary>C, the input channels.</summary>
    public int InputChannels { get; }

    /// <summary>F, the filters (output channels).</summary>
    public int Filters { get; }

    /// <summary>k, the side of a filter.</summary>
    public int KernelSize { get; }

    /// <summary>s, the stride.</summary>
    public int Stride { get; }

    /// <summary>p, the zero padding on each side.</summary>
    public int Padding { get; }

    /// <summary>W, shape [F, k·k·C], each row a filter ordered (row u, column v, channel c), with ∂C/∂W.</summary>
    public Parameter Weights { get; }

    /// <summary>b, shape [F], with ∂C/∂b.</summary>
    public Parameter Biases { get; }

    /// <inheritdoc />
    public override string Name => $"Conv2D({InputChannels}→{Filters}, {KernelSize}×{KernelSize}" + (Stride != 1 ? $", stride {Stride}" : string.Empty) + (Padding != 0 ? $", pad {Padding}" : string.Empty) + ")";

    /// <inheritdoc />
    public override IReadOnlyList<Parameter> Parameters => _parameters;

    /// <summary><c>[input channels, filters, kernel size, stride, padding]</c>.</summary>
    public override IReadOnlyList<double> Configuration => [InputChannels, Filters, KernelSize, Stride, Padding];

    /// <inheritdoc />
    public override int[] OutputShape(ReadOnlySpan<int> inputShape)
    {
        Geometry g = Measure(inputShape);
        return [g.OutHeight, g.OutWidth, Filters];
    }

    /// <inheritdoc />
    public override void Initialize(Random random) =>
        _initializer.Initialize(Weights.Value.Span, Biases.Value.Span, KernelSize * KernelSize * InputChannels, KernelSize * KernelSize * Filters, random);

    /// <inheritdoc />
    protected override Tensor ForwardCore(Tensor input, bool training)
    {
        _geometry = Measure(input.Shape[1..]);
        Geometry g = _geometry;
        int n = input.BatchSize;
        int pixels = n * g.OutHeight * g.OutWidth;
        _rows = Reuse(_rows, pixels, [g.Patch]);
        Tensor output = OutputBuffer(n);

        // Z = R·Wᵀ + b, R the patches as rows
        if (training && Gemm.ForwardByTransposeFits(Filters))
        {
            // Training: thousands of rows (every output pixel of a batch) against one W, so W is transposed once and
            // Z = R·(Wᵀ) + b runs as outer products, near the FMA peak. Inference keeps the dot products, which need no
            // transposed copy and skip the blank blocks of one image's rows; the two round differently (see remarks).
            // Either way each core gathers the rows it multiplies, just before it multiplies them.
            _transposedWeights ??= new Tensor(g.Patch, Filters);
            Im2Row.GatherMultiplyByTransposeAddBias(input.Span, _rows.Span, g, Weights.Value.Span, Biases.Value.Span, _transposedWeights.Span, output.Span, Filters);
        }
        else
        {
            Im2Row.GatherMultiplyTransposedAddBias(input.Span, _rows.Span, g, Weights.Value.Span, Biases.Value.Span, output.Span, Filters, unchangedWeights: !training);
        }

        return output;
    }

    /// <inheritdoc />
    protected override Tensor BackwardCore(Tensor outputGradient)
    {
        Geometry g = _geometry;
        int pixels = _rows!.BatchSize;
        ReadOnlySpan<float> delta = outputGradient.Span;

        // ∂C/∂W = Δᵀ·R
        Weights.GradientCheckedFinite = Gemm.TransposedMultiply(delta, _rows.Span, Weights.Gradient.Span, pixels, g.Patch, Filters);

        // ∂C/∂b[f] = Σ Δ[·, f]
        Span<float> biasGradient = Biases.Gradient.Span;
        delta[..Filters].CopyTo(biasGradient);
        for (int r = 1; r < pixels; r++)
        {
            VectorMath.Axpy(1f, delta.Slice(r * Filters, Filters), biasGradient);
        }

        // ∂C/∂a = row2im(Δ·W)
        Tensor inputGradient = InputGradientBuffer();
        if (InputGradientNeeded)
        {
            _rowGradient = Reuse(_rowGradient, pixels, [g.Patch]);
            Gemm.Multiply(delta, Weights.Value.Span, _rowGradient.Span, pixels, g.Patch, Filters);
            Im2Row.Scatter(_rowGradient.Span, inputGradient.Span, g);
        }

        return inputGradient;
    }

    private Geometry Measure(ReadOnlySpan<int> inputShape)
    {
        if (inputShape.Length != 3 || inputShape[2] != InputChannels)
        {
            throw new ArgumentException($"{Name} takes images of shape [H, W, {InputChannels}], not {Tensor.FormatShape(inputShape)}.", nameof(inputShape));
        }

        int height = inputShape[0], width = inputShape[1];
        if (height + (2 * Padding) < KernelSize || width + (2 * Padding) < KernelSize)
        {
            throw new ArgumentException($"{Name} cannot fit a {KernelSize}×{KernelSize} filter in a padded {height}×{width} image.", nameof(inputShape));
        }

        return new Geometry(height, width, InputChannels, KernelSize, Stride, Padding);
    }
}
