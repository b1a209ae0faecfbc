using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace ScratchNet.Kernels;

/// <summary>
/// A rule applied to each value of a row-major <c>rows × f</c> matrix with parameters that depend on the
/// column (one column per feature or channel): y = f_c(x). The layer that owns the rule declares it
/// (<c>BatchNorm.Standardize</c> …) as a struct over its per-column arrays, which any core may read. Both forms
/// must round alike: the driver runs the vector form on whole groups of 8 columns and the scalar form on the rest.
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
/// <see cref="ReferenceKernels"/>, so the two agree bit for bit. From <see cref="RangeSplit.MinValues"/> values on
/// (a ConvNet's batch norm: 0.4–1.6 M), both cores work: the maps split the rows, the sums the columns (each
/// column's sum still runs over its rows in order), so the split changes no bit.
/// </summary>
internal static unsafe class ColumnKernels
{
    private const int Width = 8; // floats per Vector256

    /// <summary>
    /// The fewest columns whose sums split over the cores: 64, so each core's half of a row is two whole cache lines of
    /// its own. With 32 columns the halves are neighbouring lines, which both cores' prefetchers fetch: batch norm's
    /// backward over [64, 28, 28, 32] went from 760–780 to 810–840 µs split, against 170 → 100 µs at 64 and 128 columns.
    /// </summary>
    private const int MinSplitColumns = 64;

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
        if (total.Length < f)
        {
            throw new ArgumentException($"The totals hold {total.Length} values for {f} columns.");
        }

        fixed (float* px = x, py = y, pm = m)
        fixed (double* pt = total)
        {
            var sums = new ColumnSums(px, py, pm, rows, f, pt);
            int groups = Vector256.IsHardwareAccelerated ? f / Width : 0;
            RangeSplit.Run(sums, groups, grain: 1, split: (long)rows * f >= RangeSplit.MinValues && f >= MinSplitColumns, rangesPerCore: 1);
            sums.RunColumns(groups * Width, f); // the columns left over, one at a time
        }
    }

    /// <summary>The column sums over groups of 8 columns [from, to), or single columns for the rest (<see cref="Run"/>).</summary>
    private readonly struct ColumnSums(float* x, float* y, float* m, int rows, int f, double* total) : IRangeWork
    {
        /// <summary>
        /// Groups of 8 columns [from, to): in blocks of 32, 16 and 8 whose sums stay in registers for the whole pass over
        /// the rows (each pass reads its columns' cache lines once).
        /// </summary>
        public void Run(int from, int to)
        {
            int c = from * Width, end = to * Width;
            for (; c + (4 * Width) <= end; c += 4 * Width)
            {
                SumBlock(x, y, m, rows, f, c, 4, total);
            }

            for (; c + (2 * Width) <= end; c += 2 * Width)
            {
                SumBlock(x, y, m, rows, f, c, 2, total);
            }

            for (; c < end; c += Width)
            {
                SumBlock(x, y, m, rows, f, c, 1, total);
            }
        }

        /// <summary>Columns [from, to) one at a time, each summed over the rows in order.</summary>
        public void RunColumns(int from, int to)
        {
            for (int c = from; c < to; c++)
            {
                double sum = 0;
                for (int r = 0; r < rows; r++)
                {
                    int i = (r * f) + c;
                    float deviation = m == null ? 0f : x[i] - m[c];
                    sum += m != null ? deviation * deviation : y == null ? x[i] : x[i] * y[i];
                }

                total[c] = sum;
            }
        }
    }

    /// <summary>
    /// y[r, c] = f_c(x[r, c]) for every row r and column c, 8 columns at a time, the scalar form for the
    /// columns left over: the operator holds the per-column parameters (μ, γ …) and reads them at column c.
    /// </summary>
    public static void Map<TOp>(ReadOnlySpan<float> x, Span<float> y, int rows, int f, TOp op)
        where TOp : struct, IColumnOperator
    {
        CheckLength(x.Length, rows, f);
        CheckLength(y.Length, rows, f);
        op.CheckColumns(f);
        fixed (float* px = x, py = y)
        {
            RangeSplit.Run(new RowMap<TOp>(px, py, f, op), rows, valuesPerItem: f);
        }
    }

    /// <summary>y[r, c] = f_c(x[r, c], d[r, c]) for every row r and column c, as the one-input <see cref="Map{TOp}(ReadOnlySpan{float}, Span{float}, int, int, TOp)"/>.</summary>
    public static void Map<TOp>(ReadOnlySpan<float> x, ReadOnlySpan<float> d, Span<float> y, int rows, int f, TOp op)
        where TOp : struct, IColumnBinaryOperator
    {
        CheckLength(x.Length, rows, f);
        CheckLength(d.Length, rows, f);
        CheckLength(y.Length, rows, f);
        op.CheckColumns(f);
        fixed (float* px = x, pd = d, py = y)
        {
            RangeSplit.Run(new RowMap2<TOp>(px, pd, py, f, op), rows, valuesPerItem: f);
        }
    }

    /// <summary>Rows [from, to) of a one-input map.</summary>
    private readonly struct RowMap<TOp>(float* x, float* y, int f, TOp op) : IRangeWork
        where TOp : struct, IColumnOperator
    {
        public void Run(int from, int to)
        {
            for (int r = from; r < to; r++)
            {
                float* xr = x + ((nint)r * f), yr = y + ((nint)r * f);
                int c = 0;
                if (Vector256.IsHardwareAccelerated)
                {
                    for (; c + Width <= f; c += Width)
                    {
                        op.Invoke(c, Vector256.Load(xr + c)).Store(yr + c);
                    }
                }

                for (; c < f; c++)
                {
                    yr[c] = op.Invoke(c, xr[c]);
                }
            }
        }
    }

    /// <summary>Rows [from, to) of a two-input map.</summary>
    private readonly struct RowMap2<TOp>(float* x, float* d, float* y, int f, TOp op) : IRangeWork
        where TOp : struct, IColumnBinaryOperator
    {
        public void Run(int from, int to)
        {
            for (int r = from; r < to; r++)
            {
                nint i = (nint)r * f;
                float* xr = x + i, dr = d + i, yr = y + i;
                int c = 0;
                if (Vector256.IsHardwareAccelerated)
                {
                    for (; c + Width <= f; c += Width)
                    {
                        op.Invoke(c, Vector256.Load(xr + c), Vector256.Load(dr + c)).Store(yr + c);
                    }
                }

                for (; c < f; c++)
                {
                    yr[c] = op.Invoke(c, xr[c], dr[c]);
                }
            }
        }
    }

    /// <summary>Sums of <paramref name="blocks"/> (1, 2 or 4) × 8 columns from column <paramref name="c"/>, in 2 × blocks double accumulators.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void SumBlock(float* x, float* y, float* m, int rows, int f, int c, int blocks, double* total)
    {
        bool products = y != null, deviations = m != null;
        Vector256<double> s0 = default, s1 = default, s2 = default, s3 = default, s4 = default, s5 = default, s6 = default, s7 = default;
        for (int r = 0; r < rows; r++)
        {
            nint i = ((nint)r * f) + c;
            (Vector256<double> low, Vector256<double> high) = Vector256.Widen(Term(x, y, m, i, c, products, deviations));
            s0 += low;
            s1 += high;
            if (blocks >= 2)
            {
                (low, high) = Vector256.Widen(Term(x, y, m, i + Width, c + Width, products, deviations));
                s2 += low;
                s3 += high;
            }

            if (blocks == 4)
            {
                (low, high) = Vector256.Widen(Term(x, y, m, i + (2 * Width), c + (2 * Width), products, deviations));
                s4 += low;
                s5 += high;
                (low, high) = Vector256.Widen(Term(x, y, m, i + (3 * Width), c + (3 * Width), products, deviations));
                s6 += low;
                s7 += high;
            }
        }

        s0.Store(total + c);
        s1.Store(total + c + 4);
        if (blocks >= 2)
        {
            s2.Store(total + c + 8);
            s3.Store(total + c + 12);
        }

        if (blocks == 4)
        {
            s4.Store(total + c + 16);
            s5.Store(total + c + 20);
            s6.Store(total + c + 24);
            s7.Store(total + c + 28);
        }
    }

    /// <summary>8 terms of a column sum: x, x·y, or (x − m)², each rounded to float.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Term(float* x, float* y, float* m, nint i, int column, bool products, bool deviations)
    {
        Vector256<float> v = Vector256.Load(x + i);
        if (deviations)
        {
            Vector256<float> deviation = v - Vector256.Load(m + column);
            return deviation * deviation;
        }

        return products ? v * Vector256.Load(y + i) : v;
    }

    /// <summary>Per-column parameters c … c + 7, without a bounds check: operators call it after <see cref="CheckColumns"/> passed.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Load(float[] parameter, int c) => Vector256.LoadUnsafe(ref MemoryMarshal.GetArrayDataReference(parameter), (nuint)c);

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
