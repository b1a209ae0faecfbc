namespace ScratchNet.OnnxTests;

/// <summary>A custom layer, a = z³, that exports itself through <see cref="IOnnxExportable"/> as two ONNX Mul nodes.</summary>
internal sealed class Cube : ElementwiseActivation, IOnnxExportable
{
    public string ExportOnnx(OnnxExportContext context)
    {
        string square = context.AddNode("Mul", [context.Input, context.Input]);
        return context.AddNode("Mul", [square, context.Input]);
    }

    protected override void Activate(ReadOnlySpan<float> z, Span<float> a)
    {
        for (int i = 0; i < z.Length; i++)
        {
            a[i] = z[i] * z[i] * z[i];
        }
    }

    protected override void Backpropagate(ReadOnlySpan<float> z, ReadOnlySpan<float> a, ReadOnlySpan<float> outputGradient, Span<float> inputGradient)
    {
        for (int i = 0; i < z.Length; i++)
        {
            inputGradient[i] = outputGradient[i] * 3 * z[i] * z[i];   // d(z³)/dz = 3z²
        }
    }
}
