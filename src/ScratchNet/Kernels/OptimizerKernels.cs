using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace ScratchNet.Kernels;

/// <summary>
/// A per-weight update rule that reads the gradient g and updates the weight w and two running buffers
/// m and v (moments, velocities …) in place, written for one weight and for 8 at once. The optimizer that
/// owns the rule declares it (<c>Adam.Rule</c>). Both forms must round alike (no fused multiply-add; IEEE
/// division and square root), because the driver runs the vector form on groups of 8 and the scalar form
/// on the rest, and training must not depend on where a weight sits.
/// </summary>
internal interface IUpdateRule
{
    /// <summary>Updates one weight and its buffers.</summary>
    void Invoke(ref float w, float g, ref float m, ref float v);

    /// <summary>Updates 8 weights and their buffers.</summary>
    void Invoke(ref Vector256<float> w, Vector256<float> g, ref Vector256<float> m, ref Vector256<float> v);
}

/// <summary>The driver that runs a per-weight update rule over a parameter, 8 weights at a time.</summary>
internal static class OptimizerKernels
{
    /// <summary>Applies <paramref name="rule"/> to every (w[i], g[i], m[i], v[i]).</summary>
    public static void Update<TRule>(Span<float> w, ReadOnlySpan<float> gradient, Span<float> m, Span<float> v, TRule rule)
        where TRule : struct, IUpdateRule
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
            for (; i <= w.Length - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                nuint k = (nuint)i;
                Vector256<float> wi = Vector256.LoadUnsafe(ref pw, k), mi = Vector256.LoadUnsafe(ref pm, k), vi = Vector256.LoadUnsafe(ref pv, k);
                rule.Invoke(ref wi, Vector256.LoadUnsafe(ref pg, k), ref mi, ref vi);
                wi.StoreUnsafe(ref pw, k);
                mi.StoreUnsafe(ref pm, k);
                vi.StoreUnsafe(ref pv, k);
            }
        }

        for (; i < w.Length; i++)
        {
            rule.Invoke(ref w[i], gradient[i], ref m[i], ref v[i]);
        }
    }
}
