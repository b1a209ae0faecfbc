using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace ScratchNet.Kernels;

/// <summary>A function of one value, computed for 8 values at once.</summary>
internal interface IVectorFunction
{
    /// <summary>f(x) for every lane.</summary>
    static abstract Vector256<float> Invoke(Vector256<float> x);
}

/// <summary>σ(z) = 1 / (1 + e^(−z)); e^(−z) = ∞ gives exactly 0, never NaN.</summary>
internal readonly struct LogisticFunction : IVectorFunction
{
    public static Vector256<float> Invoke(Vector256<float> z) => Vector256<float>.One / (Vector256<float>.One + Vector256.Exp(-z));
}

/// <summary>max(0, z).</summary>
internal readonly struct RectifierFunction : IVectorFunction
{
    public static Vector256<float> Invoke(Vector256<float> z) => Vector256.Max(z, Vector256<float>.Zero);
}

/// <summary>
/// Element-wise kernels for the activations. Every value goes through the same vector code, the tail
/// too (padded to a whole vector), so a sample's results never depend on where it sits in the batch.
/// </summary>
internal static class ElementwiseKernels
{
    private const int Width = 8;

    /// <summary>y[i] = f(x[i]) for every i.</summary>
    public static void Map<TFunction>(ReadOnlySpan<float> x, Span<float> y)
        where TFunction : struct, IVectorFunction
    {
        ref float px = ref MemoryMarshal.GetReference(x);
        ref float py = ref MemoryMarshal.GetReference(y);
        int i = 0;
        for (; i + Width <= x.Length; i += Width)
        {
            TFunction.Invoke(Vector256.LoadUnsafe(ref px, (nuint)i)).StoreUnsafe(ref py, (nuint)i);
        }

        if (i < x.Length)
        {
            Span<float> tail = stackalloc float[Width];
            tail.Clear();
            x[i..].CopyTo(tail);
            TFunction.Invoke(Vector256.Create<float>(tail)).CopyTo(tail);
            tail[..(x.Length - i)].CopyTo(y[i..]);
        }
    }

    /// <summary>∂C/∂z[i] = ∂C/∂a[i] where z[i] &gt; 0, else 0 (the rectifier's derivative, branch-free).</summary>
    public static void PassWherePositive(ReadOnlySpan<float> z, ReadOnlySpan<float> outputGradient, Span<float> inputGradient)
    {
        int i = 0;
        for (; i + Width <= z.Length; i += Width)
        {
            Vector256<float> positive = Vector256.GreaterThan(Vector256.Create(z.Slice(i, Width)), Vector256<float>.Zero);
            (Vector256.Create(outputGradient.Slice(i, Width)) & positive).CopyTo(inputGradient[i..]);
        }

        for (; i < z.Length; i++)
        {
            inputGradient[i] = z[i] > 0f ? outputGradient[i] : 0f;
        }
    }

    /// <summary>a = z where z &gt; 0, else α·z (a leaky ReLU), 8 values at a time, the same bits as the scalar rule.</summary>
    public static void LeakyRectify(ReadOnlySpan<float> z, float alpha, Span<float> a) => LeakyPass(z, alpha, z, a);

    /// <summary>∂C/∂z = ∂C/∂a where z &gt; 0, else α·∂C/∂a (the leaky ReLU's derivative applied to the gradient).</summary>
    public static void LeakyPass(ReadOnlySpan<float> z, float alpha, ReadOnlySpan<float> outputGradient, Span<float> inputGradient)
    {
        if (outputGradient.Length != z.Length || inputGradient.Length != z.Length)
        {
            throw new ArgumentException($"The spans differ in length: z {z.Length}, output gradient {outputGradient.Length}, input gradient {inputGradient.Length}.");
        }

        ref float pz = ref MemoryMarshal.GetReference(z);
        ref float pd = ref MemoryMarshal.GetReference(outputGradient);
        ref float pi = ref MemoryMarshal.GetReference(inputGradient);
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            Vector256<float> slope = Vector256.Create(alpha);
            for (; i + Width <= z.Length; i += Width)
            {
                Vector256<float> positive = Vector256.GreaterThan(Vector256.LoadUnsafe(ref pz, (nuint)i), Vector256<float>.Zero);
                Vector256<float> d = Vector256.LoadUnsafe(ref pd, (nuint)i);
                Vector256.ConditionalSelect(positive, d, slope * d).StoreUnsafe(ref pi, (nuint)i);
            }
        }

        ReferenceKernels.LeakyPass(z, alpha, outputGradient, inputGradient, from: i);
    }
}
