namespace ScratchNet.Tests.GradientChecking;

/// <summary>
/// <see cref="Dropout"/> that draws the same mask on every training pass, so finite differences see one
/// fixed function (a = z ⊙ m) and the gradient check is meaningful. Forward and backward are Dropout's own.
/// </summary>
internal sealed class SeededDropout(float rate, int seed) : Layer
{
    private readonly Dropout _dropout = new(rate);

    public override string Name => _dropout.Name;

    public override int[] OutputShape(ReadOnlySpan<int> inputShape) => _dropout.OutputShape(inputShape);

    protected override Tensor ForwardCore(Tensor input, bool training)
    {
        _dropout.Initialize(new Random(seed));
        return _dropout.Forward(input, training);
    }

    protected override Tensor BackwardCore(Tensor outputGradient) => _dropout.Backward(outputGradient);
}
