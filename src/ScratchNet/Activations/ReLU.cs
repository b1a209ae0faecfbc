using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace ScratchNet;

/// <summary>
/// The rectified linear unit, the usual activation of hidden layers in deep networks.
/// <code>
/// forward:   a = max(0, z)
/// backward:  ∂C/∂z = ∂C/∂a · f'(z),  f'(z) = 1 if z &gt; 0, else 0
/// </code>
/// f is not differentiable at z = 0; we define f'(0) = 0 (as PyTorch does), so a neuron whose
/// weighted input is exactly zero passes no gradient back.
/// </summary>
public sealed class ReLU : ElementwiseActivation
{
    /// <inheritdoc />
    protected override void Activate(ReadOnlySpan<float> z, Span<float> a)
    {
        const int Width = 8;
        ref float pz = ref MemoryMarshal.GetReference(z);
        ref float pa = ref MemoryMarshal.GetReference(a);
        int i = 0;
        for (; i + Width <= z.Length; i += Width)
        {
            Vector256.Max(Vector256.LoadUnsafe(ref pz, (nuint)i), Vector256<float>.Zero).StoreUnsafe(ref pa, (nuint)i);
        }

        // The tail goes through the same vector code (padded), so NaN and −0 come out alike everywhere.
        if (i < z.Length)
        {
            Span<float> tail = stackalloc float[Width];
            z[i..].CopyTo(tail);
            Vector256.Max(Vector256.Create<float>(tail), Vector256<float>.Zero).CopyTo(tail);
            tail[..(z.Length - i)].CopyTo(a[i..]);
        }
    }

    /// <inheritdoc />
    protected override void Backpropagate(ReadOnlySpan<float> z, ReadOnlySpan<float> a, ReadOnlySpan<float> outputGradient, Span<float> inputGradient)
    {
        // Branch-free: half the signs are random in a trained network, which a branch mispredicts.
        int i = 0;
        for (; i + 8 <= z.Length; i += 8)
        {
            Vector256<float> positive = Vector256.GreaterThan(Vector256.Create(z.Slice(i, 8)), Vector256<float>.Zero);
            (Vector256.Create(outputGradient.Slice(i, 8)) & positive).CopyTo(inputGradient[i..]);
        }

        for (; i < z.Length; i++)
        {
            inputGradient[i] = z[i] > 0f ? outputGradient[i] : 0f;
        }
    }
}
