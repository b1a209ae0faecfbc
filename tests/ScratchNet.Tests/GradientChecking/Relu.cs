namespace ScratchNet.Tests.GradientChecking;

/// <summary>
/// a = max(0, z), with f'(0) taken as <see cref="SlopeAtZero"/>: a test-only activation with a kink, to
/// see the checker report kinks instead of hiding them.
/// </summary>
internal sealed class Relu(float slopeAtZero = 0) : ElementwiseActivation
{
    public float SlopeAtZero { get; } = slopeAtZero;

    protected override void Activate(ReadOnlySpan<float> z, Span<float> a)
    {
        for (int i = 0; i < z.Length; i++)
        {
            a[i] = Math.Max(0, z[i]);
        }
    }

    protected override void Backpropagate(ReadOnlySpan<float> z, ReadOnlySpan<float> a, ReadOnlySpan<float> outputGradient, Span<float> inputGradient)
    {
        for (int i = 0; i < z.Length; i++)
        {
            inputGradient[i] = outputGradient[i] * (z[i] > 0 ? 1 : z[i] < 0 ? 0 : SlopeAtZero);
        }
    }
}
