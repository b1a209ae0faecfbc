using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace ScratchNet;

/// <summary>
/// The logistic sigmoid, the seed network's activation.
/// <code>
/// forward:   a = σ(z) = 1 / (1 + e^(−z))
/// backward:  ∂C/∂z = ∂C/∂a · σ'(z),  σ'(z) = σ(z)·(1 − σ(z)) = a·(1 − a)
/// </code>
/// Saturates cleanly: z = −1000 gives 0 and z = 1000 gives 1, never NaN.
/// </summary>
public sealed class Sigmoid : ElementwiseActivation
{
    /// <inheritdoc />
    protected override void Activate(ReadOnlySpan<float> z, Span<float> a)
    {
        // Every value goes through the same vector code, the tail too (padded), so a sample's
        // activations never depend on where it sits in the batch.
        const int Width = 8;
        ref float pz = ref MemoryMarshal.GetReference(z);
        ref float pa = ref MemoryMarshal.GetReference(a);
        int i = 0;
        for (; i + Width <= z.Length; i += Width)
        {
            Logistic(Vector256.LoadUnsafe(ref pz, (nuint)i)).StoreUnsafe(ref pa, (nuint)i);
        }

        if (i < z.Length)
        {
            Span<float> tail = stackalloc float[Width];
            z[i..].CopyTo(tail);
            Logistic(Vector256.Create<float>(tail)).CopyTo(tail);
            tail[..(z.Length - i)].CopyTo(a[i..]);
        }
    }

    /// <summary>σ(z) = 1 / (1 + e^(−z)) for 8 values at once; e^(−z) = ∞ gives exactly 0.</summary>
    private static Vector256<float> Logistic(Vector256<float> z) =>
        Vector256<float>.One / (Vector256<float>.One + Vector256.Exp(-z));

    /// <inheritdoc />
    protected override void Backpropagate(ReadOnlySpan<float> z, ReadOnlySpan<float> a, ReadOnlySpan<float> outputGradient, Span<float> inputGradient)
    {
        for (int i = 0; i < a.Length; i++)
        {
            inputGradient[i] = outputGradient[i] * a[i] * (1f - a[i]);
        }
    }
}
