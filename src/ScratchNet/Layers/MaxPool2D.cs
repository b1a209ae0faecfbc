using System.Runtime.Intrinsics;
using ScratchNet.Kernels;

namespace ScratchNet;

/// <summary>
/// Max pooling over channels-last images <c>[N, H, W, C]</c>: each output is the largest value of a
/// size×size window, channel by channel.
/// <code>
/// forward:   a[n, y, x, c] = max over u, v &lt; size of z[n, y·s + u, x·s + v, c]
/// backward:  ∂C/∂z = ∂C/∂a at the position that held the maximum (the first, on a tie), 0 elsewhere
/// </code>
/// Rows and columns that do not fill a whole window at the bottom and right edges are dropped.
/// </summary>
public sealed class MaxPool2D : Layer
{
    private int[] _argMax = [];
    private PoolShape _shape;

    /// <summary>Creates a max-pooling layer.</summary>
    /// <param name="size">The side of the window (2 halves the image).</param>
    /// <param name="stride">The step between windows; the window size if omitted.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is below 1.</exception>
    public MaxPool2D(int size = 2, int? stride = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        Size = size;
        Stride = stride ?? size;
        ArgumentOutOfRangeException.ThrowIfLessThan(Stride, 1, nameof(stride));
    }

    /// <summary>The side of the window.</summary>
    public int Size { get; }

    /// <summary>The step between windows.</summary>
    public int Stride { get; }

    /// <summary><c>[size, stride]</c>.</summary>
    public override IReadOnlyList<double> Configuration => [Size, Stride];

    /// <inheritdoc />
    public override string Name => Stride == Size ? $"MaxPool2D({Size}×{Size})" : $"MaxPool2D({Size}×{Size}, stride {Stride})";

    /// <inheritdoc />
    public override int[] OutputShape(ReadOnlySpan<int> inputShape)
    {
        if (inputShape.Length != 3 || inputShape[0] < Size || inputShape[1] < Size)
        {
            throw new ArgumentException($"{Name} takes images [H, W, C] of at least {Size}×{Size}, not {Tensor.FormatShape(inputShape)}.", nameof(inputShape));
        }

        return [((inputShape[0] - Size) / Stride) + 1, ((inputShape[1] - Size) / Stride) + 1, inputShape[2]];
    }

    /// <inheritdoc />
    protected override Tensor ForwardCore(Tensor input, bool training)
    {
        Tensor output = OutputBuffer(input.BatchSize);
        _argMax = Reuse(_argMax, output.Length);
        _shape = new PoolShape(input.Dimension(1), input.Dimension(2), input.Dimension(3), Size, Stride, output.Dimension(1), output.Dimension(2));

        // a = the largest z of each window, and where it was (PoolingKernels.SelectWindow, window by window)
        PoolingKernels.Pool<Larger>(input.Values, output.Span, _argMax, _shape);
        return output;
    }

    /// <inheritdoc />
    protected override Tensor BackwardCore(Tensor outputGradient)
    {
        // Each window's gradient goes to the input that was its maximum; the others get 0.
        Tensor inputGradient = InputGradientBuffer();
        PoolingKernels.Route(outputGradient.Span, _argMax, inputGradient.Span, _shape);
        return inputGradient;
    }

    /// <summary>
    /// The rule of max pooling, a = max z: a value replaces the one kept only if it is strictly larger, so
    /// on a tie the first stays (and receives ∂C/∂a in the backward pass).
    /// </summary>
    internal readonly struct Larger : IWindowRule
    {
        /// <inheritdoc />
        public static bool Replaces(float candidate, float kept) => candidate > kept;

        /// <inheritdoc />
        public static Vector256<float> Replaces(Vector256<float> candidate, Vector256<float> kept) => Vector256.GreaterThan(candidate, kept);
    }
}
