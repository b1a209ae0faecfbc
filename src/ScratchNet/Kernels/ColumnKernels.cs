using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace ScratchNet.Kernels;

/// <summary>
/// Kernels over the columns of a row-major matrix of <c>rows × f</c> values, one column per feature or
/// channel: what batch normalisation needs. Each computes every value with the same operations, in the
/// same order, as its scalar twin in <see cref="ReferenceKernels"/>, so the two agree bit for bit.
/// </summary>
internal static class ColumnKernels
{
    private const int Width = 8; // floats per Vector256

    /// <summary>
    /// total[c] = Σᵣ x[r, c] (or Σᵣ x[r, c]·y[r, c] when <paramref name="y"/> is not empty), the products
    /// rounded to float and the sum kept in double, rows in order.
    /// </summary>
    public static void Sums(ReadOnlySpan<float> x, ReadOnlySpan<float> y, int rows, int f, Span<double> total)
    {
        if (!y.IsEmpty)
        {
            CheckLength(y.Length, rows, f);
        }

        SumsOf(x, y, default, rows, f, total);
    }

    /// <summary>
    /// total[c] = Σᵣ (x[r, c] − m[c])², the difference and its square rounded to float, the sum kept in
    /// double, rows in order: a variance's numerator without writing the centred values anywhere.
    /// </summary>
    public static void SquaredDeviationSums(ReadOnlySpan<float> x, ReadOnlySpan<float> m, int rows, int f, Span<double> total)
    {
        if (m.Length < f)
        {
            throw new ArgumentException($"The means hold {m.Length} values for {f} columns.");
        }

        SumsOf(x, default, m, rows, f, total);
    }

    /// <summary>The sums of x, of x·y, or of (x − m)², whichever of <paramref name="y"/> and <paramref name="m"/> is given.</summary>
    private static void SumsOf(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> m, int rows, int f, Span<double> total)
    {
        CheckLength(x.Length, rows, f);

        int c = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            // Columns in blocks whose sums stay in registers for the whole pass over the rows.
            for (; c + (4 * Width) <= f; c += 4 * Width)
            {
                SumBlock(x, y, m, rows, f, c, 4, total);
            }

            for (; c + Width <= f; c += Width)
            {
                SumBlock(x, y, m, rows, f, c, 1, total);
            }
        }

        for (; c < f; c++)
        {
            double sum = 0;
            for (int r = 0; r < rows; r++)
            {
                int i = (r * f) + c;
                float deviation = m.IsEmpty ? 0f : x[i] - m[c];
                sum += !m.IsEmpty ? deviation * deviation : y.IsEmpty ? x[i] : x[i] * y[i];
            }

            total[c] = sum;
        }
    }

    /// <summary>ẑ[r, c] = (z[r, c] − μ[c])·s[c] and a[r, c] = γ[c]·ẑ[r, c] + β[c] (two roundings each, no fused multiply-add).</summary>
    public static void Normalize(ReadOnlySpan<float> z, ReadOnlySpan<float> mean, ReadOnlySpan<float> inverseDeviation, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> zHat, Span<float> a, int rows, int f)
    {
        CheckLength(z.Length, rows, f);
        CheckLength(zHat.Length, rows, f);
        CheckLength(a.Length, rows, f);
        ref float pz = ref MemoryMarshal.GetReference(z);
        ref float ph = ref MemoryMarshal.GetReference(zHat);
        ref float pa = ref MemoryMarshal.GetReference(a);
        ref float pm = ref MemoryMarshal.GetReference(mean);
        ref float ps = ref MemoryMarshal.GetReference(inverseDeviation);
        ref float pg = ref MemoryMarshal.GetReference(gamma);
        ref float pb = ref MemoryMarshal.GetReference(beta);
        for (int r = 0; r < rows; r++)
        {
            nuint i = (nuint)(r * f);
            int c = 0;
            if (Vector256.IsHardwareAccelerated)
            {
                for (; c + Width <= f; c += Width)
                {
                    nuint k = (nuint)c;
                    Vector256<float> normalized = (Vector256.LoadUnsafe(ref pz, i + k) - Vector256.LoadUnsafe(ref pm, k)) * Vector256.LoadUnsafe(ref ps, k);
                    normalized.StoreUnsafe(ref ph, i + k);
                    ((Vector256.LoadUnsafe(ref pg, k) * normalized) + Vector256.LoadUnsafe(ref pb, k)).StoreUnsafe(ref pa, i + k);
                }
            }

            for (; c < f; c++)
            {
                int j = (int)i + c;
                zHat[j] = (z[j] - mean[c]) * inverseDeviation[c];
                a[j] = (gamma[c] * zHat[j]) + beta[c];
            }
        }
    }

    /// <summary>∂C/∂z[r, c] = s[c]·((R·∂C/∂a[r, c] − ∂C/∂β[c]) − ẑ[r, c]·∂C/∂γ[c]), with R = <paramref name="rows"/>.</summary>
    public static void NormalizeGradient(ReadOnlySpan<float> da, ReadOnlySpan<float> zHat, ReadOnlySpan<float> dBeta, ReadOnlySpan<float> dGamma, ReadOnlySpan<float> scale, Span<float> dz, int rows, int f)
    {
        CheckLength(da.Length, rows, f);
        CheckLength(zHat.Length, rows, f);
        CheckLength(dz.Length, rows, f);
        ref float pd = ref MemoryMarshal.GetReference(da);
        ref float ph = ref MemoryMarshal.GetReference(zHat);
        ref float po = ref MemoryMarshal.GetReference(dz);
        ref float pb = ref MemoryMarshal.GetReference(dBeta);
        ref float pg = ref MemoryMarshal.GetReference(dGamma);
        ref float ps = ref MemoryMarshal.GetReference(scale);
        float count = rows;
        Vector256<float> counts = Vector256.Create(count);
        for (int r = 0; r < rows; r++)
        {
            nuint i = (nuint)(r * f);
            int c = 0;
            if (Vector256.IsHardwareAccelerated)
            {
                for (; c + Width <= f; c += Width)
                {
                    nuint k = (nuint)c;
                    Vector256<float> g = (counts * Vector256.LoadUnsafe(ref pd, i + k)) - Vector256.LoadUnsafe(ref pb, k) - (Vector256.LoadUnsafe(ref ph, i + k) * Vector256.LoadUnsafe(ref pg, k));
                    (Vector256.LoadUnsafe(ref ps, k) * g).StoreUnsafe(ref po, i + k);
                }
            }

            for (; c < f; c++)
            {
                int j = (int)i + c;
                dz[j] = scale[c] * ((count * da[j]) - dBeta[c] - (zHat[j] * dGamma[c]));
            }
        }
    }

    /// <summary>Sums of <paramref name="blocks"/> × 8 columns from column <paramref name="c"/>, in 2 × blocks double accumulators.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void SumBlock(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> m, int rows, int f, int c, int blocks, Span<double> total)
    {
        ref float px = ref MemoryMarshal.GetReference(x);
        ref float py = ref MemoryMarshal.GetReference(y);
        ref float pm = ref MemoryMarshal.GetReference(m);
        bool products = !y.IsEmpty, deviations = !m.IsEmpty;
        Vector256<double> s0 = default, s1 = default, s2 = default, s3 = default, s4 = default, s5 = default, s6 = default, s7 = default;
        for (int r = 0; r < rows; r++)
        {
            nuint i = (nuint)((r * f) + c);
            (Vector256<double> low, Vector256<double> high) = Vector256.Widen(Term(ref px, ref py, ref pm, i, (nuint)c, products, deviations));
            s0 += low;
            s1 += high;
            if (blocks == 4)
            {
                (low, high) = Vector256.Widen(Term(ref px, ref py, ref pm, i + Width, (nuint)(c + Width), products, deviations));
                s2 += low;
                s3 += high;
                (low, high) = Vector256.Widen(Term(ref px, ref py, ref pm, i + (2 * Width), (nuint)(c + (2 * Width)), products, deviations));
                s4 += low;
                s5 += high;
                (low, high) = Vector256.Widen(Term(ref px, ref py, ref pm, i + (3 * Width), (nuint)(c + (3 * Width)), products, deviations));
                s6 += low;
                s7 += high;
            }
        }

        ref double pt = ref MemoryMarshal.GetReference(total);
        s0.StoreUnsafe(ref pt, (nuint)c);
        s1.StoreUnsafe(ref pt, (nuint)(c + 4));
        if (blocks == 4)
        {
            s2.StoreUnsafe(ref pt, (nuint)(c + 8));
            s3.StoreUnsafe(ref pt, (nuint)(c + 12));
            s4.StoreUnsafe(ref pt, (nuint)(c + 16));
            s5.StoreUnsafe(ref pt, (nuint)(c + 20));
            s6.StoreUnsafe(ref pt, (nuint)(c + 24));
            s7.StoreUnsafe(ref pt, (nuint)(c + 28));
        }
    }

    /// <summary>8 terms of a column sum: x, x·y, or (x − m)², each rounded to float.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Term(ref float px, ref float py, ref float pm, nuint i, nuint column, bool products, bool deviations)
    {
        Vector256<float> v = Vector256.LoadUnsafe(ref px, i);
        if (deviations)
        {
            Vector256<float> deviation = v - Vector256.LoadUnsafe(ref pm, column);
            return deviation * deviation;
        }

        return products ? v * Vector256.LoadUnsafe(ref py, i) : v;
    }

    private static void CheckLength(int length, int rows, int f)
    {
        if (length < rows * f)
        {
            throw new ArgumentException($"A span holds {length} values, fewer than {rows} rows × {f} columns.");
        }
    }
}
