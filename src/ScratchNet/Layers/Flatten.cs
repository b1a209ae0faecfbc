namespace ScratchNet;

/// <summary>
/// Sees each sample as one long vector, e.g. feature maps <c>[N, 7, 7, 64]</c> as <c>[N, 3136]</c>, so a
/// <see cref="Dense"/> layer can follow a convolution. Nothing is copied and nothing is computed:
/// a = z and ∂C/∂z = ∂C/∂a, only the shape changes.
/// </summary>
public sealed class Flatten : Layer
{
    private Tensor? _inputSource;
    private Tensor? _inputView;
    private Tensor? _gradientSource;
    private Tensor? _gradientView;

    /// <inheritdoc />
    public override int[] OutputShape(ReadOnlySpan<int> inputShape)
    {
        int size = 1;
        foreach (int dimension in inputShape)
        {
            size *= dimension;
        }

        return [size];
    }

    /// <inheritdoc />
    protected override Tensor ForwardCore(Tensor input, bool training)
    {
        // a = z, seen as [N, size]: a view, made once per input tensor
        if (!ReferenceEquals(input, _inputSource))
        {
            _inputSource = input;
            _inputView = input.Reshape(input.BatchSize, input.SampleSize);
        }

        return _inputView!;
    }

    /// <inheritdoc />
    protected override Tensor BackwardCore(Tensor outputGradient)
    {
        // ∂C/∂z = ∂C/∂a, seen in the input's shape
        if (!ReferenceEquals(outputGradient, _gradientSource))
        {
            _gradientSource = outputGradient;
            _gradientView = outputGradient.Reshape(LastInput.Shape.ToArray());
        }

        return _gradientView!;
    }
}
