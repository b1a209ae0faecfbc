using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;

namespace ScratchNet.Kernels;

/// <summary>
/// The three products on 128-bit vectors with the portable API (<see cref="Vector128"/> and
/// <see cref="Vector128.FusedMultiplyAdd(Vector128{float}, Vector128{float}, Vector128{float})"/>), for
/// processors where the 256-bit blocks of the other files do not run: ARM64, whose NEON unit has 128-bit
/// registers and a fused multiply-add. Smaller register blocks than the x86 ones, the same rule: every output
/// is summed in one fixed order whichever block or thread computes it, so the bits do not depend on the
/// number of threads.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>Z[r, j] = b[j] + Σₖ W[j, k]·A[r, k]: one 4-lane accumulator per output over k in steps of 4, its
/// lanes summed, then the scalar tail (blocks of 2 rows × 4 neurons: 6 loads per 8 multiply-adds).</item>
/// <item>G[j, c] = Σᵣ Δ[r, j]·A[r, c] and D[r, c] = Σⱼ Δ[r, j]·W[j, c]: one fused multiply-add per term,
/// in order of r (of j), in blocks of 4 neurons (rows) × 8 columns: 2 vector loads and 4 broadcasts per 8 multiply-adds.</item>
/// </list>
/// The tests run these on x86 too (the portable API compiles to the same instructions there) against the
/// reference kernels and against their own order of sums; <c>.ci/arm64-check</c> runs them on ARM64.
/// </remarks>
internal static unsafe partial class Gemm
{
    private const int Width128 = 4; // floats per Vector128

    /// <summary>True where the 256-bit blocks do not run but 128-bit vectors with a fused multiply-add do: ARM64.</summary>
    private static bool Portable => !Blocked && Vector128.IsHardwareAccelerated && AdvSimd.IsSupported;

    /// <summary>Z = A·Wᵀ + b on 128-bit vectors on this thread, whatever the processor (for the tests; the products use it where <see cref="Portable"/>).</summary>
    internal static void MultiplyTransposedAddBias128(ReadOnlySpan<float> a, ReadOnlySpan<float> w, ReadOnlySpan<float> b, Span<float> z, int n, int k, int m)
    {
        CheckLengths(a.Length, n * k, w.Length, m * k, z.Length, n * m);
        fixed (float* pa = a, pw = w, pb = b, pz = z)
        {
            ForwardRows128(Job.Forward(pa, pw, pb, pz, n, k, m), 0, n);
        }
    }

    /// <summary>G = Δᵀ·A on 128-bit vectors on this thread (for the tests).</summary>
    internal static void TransposedMultiply128(ReadOnlySpan<float> delta, ReadOnlySpan<float> a, Span<float> g, int n, int k, int m)
    {
        CheckLengths(delta.Length, n * m, a.Length, n * k, g.Length, m * k);
        fixed (float* pd = delta, pa = a, pg = g)
        {
            int @unchecked = 1; // the 128-bit blocks check nothing
            WeightGradientNeurons128(Job.WeightGradient(pd, pa, pg, n, k, m, &@unchecked), 0, m);
        }
    }

    /// <summary>D = Δ·W on 128-bit vectors on this thread (for the tests).</summary>
    internal static void Multiply128(ReadOnlySpan<float> delta, ReadOnlySpan<float> w, Span<float> d, int n, int k, int m)
    {
        CheckLengths(delta.Length, n * m, w.Length, m * k, d.Length, n * k);
        fixed (float* pd = delta, pw = w, pout = d)
        {
            InputGradientRows128(Job.InputGradient(pd, pw, pout, n, k, m), 0, n);
        }
    }

    /// <summary>Rows [from, to) of Z = A·Wᵀ + b on 128-bit vectors. (Job: A, W, Bias, Output = Z.)</summary>
    private static void ForwardRows128(in Job job, int from, int to)
    {
        int k = job.K, m = job.M;
        float* a = job.A, w = job.W, z = job.Output;
        int r = from;
        for (; r + 2 <= to; r += 2)
        {
            int j = 0;
            for (; j + 4 <= m; j += 4)
            {
                DotBlock128(a + (r * k), w + (j * k), k, z + (r * m) + j, m, rows: 2);
            }

            for (; j < m; j++)
            {
                z[(r * m) + j] = Dot128(w + (j * k), a + (r * k), k);
                z[((r + 1) * m) + j] = Dot128(w + (j * k), a + ((r + 1) * k), k);
            }
        }

        for (; r < to; r++)
        {
            int j = 0;
            for (; j + 4 <= m; j += 4)
            {
                DotBlock128(a + (r * k), w + (j * k), k, z + (r * m) + j, m, rows: 1);
            }

            for (; j < m; j++)
            {
                z[(r * m) + j] = Dot128(w + (j * k), a + (r * k), k);
            }
        }

        for (r = from; r < to; r++)
        {
            VectorMath.Axpy(1f, new ReadOnlySpan<float>(job.Bias, m), new Span<float>(z + (r * m), m));
        }
    }

    /// <summary>Neurons [from, to) of G = Δᵀ·A on 128-bit vectors, in blocks of <see cref="RowBlock"/> rows. (Job: A, Delta = Δ, Output = G.)</summary>
    private static void WeightGradientNeurons128(in Job job, int from, int to)
    {
        int n = job.N, k = job.K, m = job.M;
        float* a = job.A, delta = job.Delta, g = job.Output;
        for (int j = from; j < to; j++)
        {
            new Span<float>(g + (j * k), k).Clear();
        }

        int slabs = k / (2 * Width128) * (2 * Width128);
        for (int r0 = 0; r0 < n; r0 += RowBlock)
        {
            int rows = Math.Min(RowBlock, n - r0);
            float* aBlock = a + (r0 * k), dBlock = delta + (r0 * m);
            int j = from;
            for (; j + 4 <= to; j += 4)
            {
                for (int c = 0; c < slabs; c += 2 * Width128)
                {
                    OuterBlock128x4(dBlock + j, m, 1, aBlock + c, k, g + (j * k) + c, k, rows);
                }
            }

            for (; j < to; j++)
            {
                for (int c = 0; c < slabs; c += 2 * Width128)
                {
                    OuterBlock128x1(dBlock + j, m, aBlock + c, k, g + (j * k) + c, rows);
                }
            }

            for (j = from; j < to; j++)
            {
                for (int c = slabs; c < k; c++)
                {
                    float sum = g[(j * k) + c];
                    for (int r = 0; r < rows; r++)
                    {
                        sum = MathF.FusedMultiplyAdd(dBlock[(r * m) + j], aBlock[(r * k) + c], sum);
                    }

                    g[(j * k) + c] = sum;
                }
            }
        }
    }

    /// <summary>Rows [from, to) of D = Δ·W on 128-bit vectors. (Job: W, Delta = Δ, Output = D.)</summary>
    private static void InputGradientRows128(in Job job, int from, int to)
    {
        int k = job.K, m = job.M;
        float* w = job.W, delta = job.Delta, d = job.Output;
        int slabs = k / (2 * Width128) * (2 * Width128);
        for (int r = from; r < to; r += 4)
        {
            int rows = Math.Min(4, to - r);
            for (int i = 0; i < rows; i++)
            {
                new Span<float>(d + ((r + i) * k), k).Clear();
            }

            for (int c = 0; c < slabs; c += 2 * Width128)
            {
                // The terms are the neurons j: D[r + i, c..] += Δ[r + i, j]·W[j, c..], for 4 rows at a time, else one by one.
                if (rows == 4)
                {
                    OuterBlock128x4(delta + (r * m), 1, m, w + c, k, d + (r * k) + c, k, m);
                }
                else
                {
                    for (int i = 0; i < rows; i++)
                    {
                        OuterBlock128x1(delta + ((r + i) * m), 1, w + c, k, d + ((r + i) * k) + c, m);
                    }
                }
            }

            for (int i = 0; i < rows; i++)
            {
                for (int c = slabs; c < k; c++)
                {
                    float sum = 0f;
                    for (int j = 0; j < m; j++)
                    {
                        sum = MathF.FusedMultiplyAdd(delta[((r + i) * m) + j], w[(j * k) + c], sum);
                    }

                    d[((r + i) * k) + c] = sum;
                }
            }
        }
    }

    /// <summary>Σᵢ x[i]·y[i] as <see cref="DotBlock128"/> sums each output: one 4-lane accumulator, its lanes summed, then the tail.</summary>
    private static float Dot128(float* x, float* y, int k)
    {
        Vector128<float> s = Vector128<float>.Zero;
        int i = 0;
        for (; i + Width128 <= k; i += Width128)
        {
            s = Vector128.FusedMultiplyAdd(Vector128.Load(x + i), Vector128.Load(y + i), s);
        }

        float sum = Vector128.Sum(s);
        for (; i < k; i++)
        {
            sum += x[i] * y[i];
        }

        return sum;
    }

    /// <summary>
    /// Z[0..rows, 0..4] (rows 1 or 2) = dot products of the rows of A from <paramref name="a"/> with 4 rows of W,
    /// in the order of <see cref="Dot128"/> (bias added by the caller).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void DotBlock128(float* a, float* w, int k, float* z, int m, int rows)
    {
        Vector128<float> s00 = default, s01 = default, s02 = default, s03 = default;
        Vector128<float> s10 = default, s11 = default, s12 = default, s13 = default;
        float* a1 = rows == 2 ? a + k : a, w1 = w + k, w2 = w + (2 * k), w3 = w + (3 * k);
        int i = 0;
        for (; i + Width128 <= k; i += Width128)
        {
            Vector128<float> x0 = Vector128.Load(a + i);
            Vector128<float> x1 = Vector128.Load(a1 + i);
            Vector128<float> v = Vector128.Load(w + i);
            s00 = Vector128.FusedMultiplyAdd(x0, v, s00);
            s10 = Vector128.FusedMultiplyAdd(x1, v, s10);
            v = Vector128.Load(w1 + i);
            s01 = Vector128.FusedMultiplyAdd(x0, v, s01);
            s11 = Vector128.FusedMultiplyAdd(x1, v, s11);
            v = Vector128.Load(w2 + i);
            s02 = Vector128.FusedMultiplyAdd(x0, v, s02);
            s12 = Vector128.FusedMultiplyAdd(x1, v, s12);
            v = Vector128.Load(w3 + i);
            s03 = Vector128.FusedMultiplyAdd(x0, v, s03);
            s13 = Vector128.FusedMultiplyAdd(x1, v, s13);
        }

        FinishRow128(s00, s01, s02, s03, a, w, i, k, z);
        if (rows == 2)
        {
            FinishRow128(s10, s11, s12, s13, a1, w, i, k, z + m);
        }
    }

    /// <summary>Z[0, 0..4] from four accumulators, each finished as <see cref="Dot128"/> finishes, for the 4 rows of W from <paramref name="w"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void FinishRow128(Vector128<float> s0, Vector128<float> s1, Vector128<float> s2, Vector128<float> s3, float* a, float* w, int i, int k, float* z)
    {
        z[0] = Finish128(s0, a, w, i, k);
        z[1] = Finish128(s1, a, w + k, i, k);
        z[2] = Finish128(s2, a, w + (2 * k), i, k);
        z[3] = Finish128(s3, a, w + (3 * k), i, k);
    }

    /// <summary>The lanes of <paramref name="s"/> summed, then x[i]·y[i] + … + x[k−1]·y[k−1] added one at a time.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Finish128(Vector128<float> s, float* x, float* y, int i, int k)
    {
        float sum = Vector128.Sum(s);
        for (; i < k; i++)
        {
            sum += x[i] * y[i];
        }

        return sum;
    }

    /// <summary>
    /// out[i, 0..8] += Σₜ p[t·pStride + i·neuronStride]·q[t·qStride + 0..8] for the 4 outputs rows i (out's rows
    /// <paramref name="outputStride"/> apart), over t in order, one fused multiply-add per term: the weight
    /// gradient's block (p: Δ's columns of 4 neurons, q: A's rows) and the input gradient's (p: 4 rows of Δ, q: W's rows).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void OuterBlock128x4(float* p, int pStride, int neuronStride, float* q, int qStride, float* output, int outputStride, int terms)
    {
        float* o1 = output + outputStride, o2 = output + (2 * outputStride), o3 = output + (3 * outputStride);
        Vector128<float> s00 = Vector128.Load(output), s01 = Vector128.Load(output + Width128);
        Vector128<float> s10 = Vector128.Load(o1), s11 = Vector128.Load(o1 + Width128);
        Vector128<float> s20 = Vector128.Load(o2), s21 = Vector128.Load(o2 + Width128);
        Vector128<float> s30 = Vector128.Load(o3), s31 = Vector128.Load(o3 + Width128);
        for (int t = 0; t < terms; t++)
        {
            Vector128<float> x0 = Vector128.Load(q + (t * qStride));
            Vector128<float> x1 = Vector128.Load(q + (t * qStride) + Width128);
            float* pt = p + (t * pStride);
            Vector128<float> v = Vector128.Create(pt[0]);
            s00 = Vector128.FusedMultiplyAdd(v, x0, s00);
            s01 = Vector128.FusedMultiplyAdd(v, x1, s01);
            v = Vector128.Create(pt[neuronStride]);
            s10 = Vector128.FusedMultiplyAdd(v, x0, s10);
            s11 = Vector128.FusedMultiplyAdd(v, x1, s11);
            v = Vector128.Create(pt[2 * neuronStride]);
            s20 = Vector128.FusedMultiplyAdd(v, x0, s20);
            s21 = Vector128.FusedMultiplyAdd(v, x1, s21);
            v = Vector128.Create(pt[3 * neuronStride]);
            s30 = Vector128.FusedMultiplyAdd(v, x0, s30);
            s31 = Vector128.FusedMultiplyAdd(v, x1, s31);
        }

        s00.Store(output);
        s01.Store(output + Width128);
        s10.Store(o1);
        s11.Store(o1 + Width128);
        s20.Store(o2);
        s21.Store(o2 + Width128);
        s30.Store(o3);
        s31.Store(o3 + Width128);
    }

    /// <summary>As <see cref="OuterBlock128x4"/> for one output row.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void OuterBlock128x1(float* p, int pStride, float* q, int qStride, float* output, int terms)
    {
        Vector128<float> s0 = Vector128.Load(output), s1 = Vector128.Load(output + Width128);
        for (int t = 0; t < terms; t++)
        {
            Vector128<float> v = Vector128.Create(p[t * pStride]);
            s0 = Vector128.FusedMultiplyAdd(v, Vector128.Load(q + (t * qStride)), s0);
            s1 = Vector128.FusedMultiplyAdd(v, Vector128.Load(q + (t * qStride) + Width128), s1);
        }

        s0.Store(output);
        s1.Store(output + Width128);
    }
}
