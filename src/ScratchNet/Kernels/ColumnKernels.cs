using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace ScratchNet.Kernels;

/// <summary>
/// A rule applied to each value of a row-major <c>rows × f</c> matrix with parameters that depend on the
/// column (one column per feature or channel): y = f_c(x). The layer that owns the rule declares it
/// (<c>BatchNorm.Standardize</c> …), usually as a ref struct over its per-column spans. Both forms must
/// round alike: the driver runs the vector form on whole groups of 8 columns and the scalar form on the rest.
/// </summary>
internal interface IColumnOperator
{
    /// <summary>Throws when a per-column parameter holds fewer than <paramref name="f"/> values, so the vector form may read 8 from any c ≤ f − 8.</summary>
    void CheckColumns(int f);

    /// <summary>f_c(x).</summary>
    float Invoke(int c, float x);

    /// <summary>f_c(x) for columns c … c + 7.</summary>
    Vector256<float> Invoke(int c, Vector256<float> x);
}

/// <summary>As <see cref="IColumnOperator"/>, with two inputs at the same index: y = f_c(x, d).</summary>
internal interface IColumnBinaryOperator
{
    /// <summary>Throws when a per-column parameter holds fewer than <paramref name="f"/> values.</summary>
    void CheckColumns(int f);

    /// <summary>f_c(x, d).</summary>
    float Invoke(int c, float x, float d);

    /// <summary>f_c(x, d) for columns c … c + 7.</summary>
    Vector256<float> Invoke(int c, Vector256<float> x, Vector256<float> d);
}

/// <summary>
/// Drivers over the columns of a row-major matrix of <c>rows × f</c> values, one column per feature or
/// channel: the column sums that batch statistics need, and maps with per-column parameters. The sums
/// compute every value with the same operations, in the same order, as their scalar twins in
/// <see cref="ReferenceKernels"/>, so the two agree bit for bit.
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

    /// <summary>
    /// y[r, c] = f_c(x[r, c]) for every row r and column c, 8 columns at a time, the scalar form for the
    /// columns left over: the operator holds the per-column parameters (μ, γ …) and reads them at column c.
    /// </summary>
    public static void Map<TOp>(ReadOnlySpan<float> x, Span<float> y, int rows, int f, TOp op)
        where TOp : IColumnOperator, allows ref struct
    {
        CheckLength(x.Length, rows, f);
        CheckLength(y.Length, rows, f);
        op.CheckColumns(f);
        ref float px = ref MemoryMarshal.GetReference(x);
        ref float py = ref MemoryMarshal.GetReference(y);
        for (int r = 0; r < rows; r++)
        {
            int i = r * f;
            int c = 0;
            if (Vector256.IsHardwareAccelerated)
            {
                for (; c + Width <= f; c += Width)
                {
                    op.Invoke(c, Vector256.LoadUnsafe(ref px, (nuint)(i + c))).StoreUnsafe(ref py, (nuint)(i + c));
                }
            }

            for (; c < f; c++)
            {
                y[i + c] = op.Invoke(c, x[i + c]);
            }
        }
    }

    /// <summary>y[r, c] = f_c(x[r, c], d[r, c]) for every row r and column c, as the one-input <see cref="Map{TOp}(ReadOnlySpan{float}, Span{float}, int, int, TOp)"/>.</summary>
    public static void Map<TOp>(ReadOnlySpan<float> x, ReadOnlySpan<float> d, Span<float> y, int rows, int f, TOp op)
        where TOp : IColumnBinaryOperator, allows ref struct
    {
        CheckLength(x.Length, rows, f);
        CheckLength(d.Length, rows, f);
        CheckLength(y.Length, rows, f);
        op.CheckColumns(f);
        ref float px = ref MemoryMarshal.GetReference(x);
        ref float pd = ref MemoryMarshal.GetReference(d);
        ref float py = ref MemoryMarshal.GetReference(y);
        for (int r = 0; r < rows; r++)
        {
            int i = r * f;
            int c = 0;
            if (Vector256.IsHardwareAccelerated)
            {
                for (; c + Width <= f; c += Width)
                {
                    nuint k = (nuint)(i + c);
                    op.Invoke(c, Vector256.LoadUnsafe(ref px, k), Vector256.LoadUnsafe(ref pd, k)).StoreUnsafe(ref py, k);
                }
            }

            for (; c < f; c++)
            {
                y[i + c] = op.Invoke(c, x[i + c], d[i + c]);
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

    /// <summary>Per-column parameters c … c + 7, without a bounds check: operators call it after <see cref="CheckColumns"/> passed.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Load(ReadOnlySpan<float> parameter, int c) => Vector256.LoadUnsafe(ref MemoryMarshal.GetReference(parameter), (nuint)c);

    /// <summary>Throws unless each per-column parameter holds at least <paramref name="f"/> values.</summary>
    public static void CheckColumns(int f, params ReadOnlySpan<int> lengths)
    {
        foreach (int length in lengths)
        {
            if (length < f)
            {
                throw new ArgumentException($"A per-column parameter holds {length} values for {f} columns.");
            }
        }
    }

    private static void CheckLength(int length, int rows, int f)
    {
        if (length < rows * f)
        {
            throw new ArgumentException($"A span holds {length} values, fewer than {rows} rows × {f} columns.");
        }
    }
}
