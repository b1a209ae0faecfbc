using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace ScratchNet.Kernels;

/// <summary>
/// Per-parameter update rules, 8 values at a time. Each rounds every operation exactly as its scalar twin
/// in <see cref="ReferenceKernels"/> (no fused multiply-add; IEEE division and square root), so the two
/// agree bit for bit and training does not depend on which one ran.
/// </summary>
internal static class OptimizerKernels
{
    /// <summary>
    /// One Adam(W) step: m ← β₁·m + (1 − β₁)·g, v ← β₂·v + (1 − β₂)·g·g,
    /// w ← s·w − η·(m / c₁) / (√(v / c₂) + ε), with c₁, c₂ the bias corrections and s = 1 − ηλ.
    /// </summary>
    public static void Adam(Span<float> w, ReadOnlySpan<float> gradient, Span<float> m, Span<float> v, AdamStep step)
    {
        if (gradient.Length != w.Length || m.Length != w.Length || v.Length != w.Length)
        {
            throw new ArgumentException($"The spans differ in length: w {w.Length}, gradient {gradient.Length}, m {m.Length}, v {v.Length}.");
        }

        ref float pw = ref MemoryMarshal.GetReference(w);
        ref float pg = ref MemoryMarshal.GetReference(gradient);
        ref float pm = ref MemoryMarshal.GetReference(m);
        ref float pv = ref MemoryMarshal.GetReference(v);
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            Vector256<float> beta1 = Vector256.Create(step.Beta1), oneMinusBeta1 = Vector256.Create(1f - step.Beta1);
            Vector256<float> beta2 = Vector256.Create(step.Beta2), oneMinusBeta2 = Vector256.Create(1f - step.Beta2);
            Vector256<float> correction1 = Vector256.Create(step.Correction1), correction2 = Vector256.Create(step.Correction2);
            Vector256<float> eta = Vector256.Create(step.LearningRate), epsilon = Vector256.Create(step.Epsilon), shrink = Vector256.Create(step.Shrink);
            for (; i <= w.Length - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                nuint k = (nuint)i;
                Vector256<float> g = Vector256.LoadUnsafe(ref pg, k);
                Vector256<float> mi = (beta1 * Vector256.LoadUnsafe(ref pm, k)) + (oneMinusBeta1 * g);
                Vector256<float> vi = (beta2 * Vector256.LoadUnsafe(ref pv, k)) + (oneMinusBeta2 * g * g);
                mi.StoreUnsafe(ref pm, k);
                vi.StoreUnsafe(ref pv, k);
                Vector256<float> mHat = mi / correction1;
                Vector256<float> vHat = vi / correction2;
                ((shrink * Vector256.LoadUnsafe(ref pw, k)) - (eta * mHat / (Vector256.Sqrt(vHat) + epsilon))).StoreUnsafe(ref pw, k);
            }
        }

        ReferenceKernels.Adam(w, gradient, m, v, step, from: i);
    }
}

/// <summary>The constants of one Adam step: β₁, β₂, the bias corrections c₁ = 1 − β₁ᵗ and c₂ = 1 − β₂ᵗ, η, ε and the decay factor s = 1 − ηλ.</summary>
internal readonly record struct AdamStep(float Beta1, float Beta2, float Correction1, float Correction2, float LearningRate, float Epsilon, float Shrink);
