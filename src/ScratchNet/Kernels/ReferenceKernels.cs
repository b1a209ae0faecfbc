namespace ScratchNet.Kernels;

/// <summary>
/// Plain scalar versions of every kernel and driver, written to be obviously right rather than fast.
/// Tests compare the fast kernels with these on odd shapes; readers can start here. The drivers run an
/// operator's scalar form only (the fast drivers finish their tails with it too, but do not call in here).
/// </summary>
internal static class ReferenceKernels
{
    /// <summary>y[i] = f(x[i]), the scalar form of <typeparamref name="TOp"/>.</summary>
    public static void Map<TOp>(ReadOnlySpan<float> x, Span<float> y, TOp op = default)
        where TOp : struct, IUnaryOperator
    {
        for (int i = 0; i < x.Length; i++)
        {
            y[i] = op.Invoke(x[i]);
        }
    }

    /// <summary>y[i] = f(x[i], d[i]), the scalar form of <typeparamref name="TOp"/>.</summary>
    public static void Map<TOp>(ReadOnlySpan<float> x, ReadOnlySpan<float> d, Span<float> y, TOp op = default)
        where TOp : struct, IBinaryOperator
    {
        for (int i = 0; i < x.Length; i++)
        {
            y[i] = op.Invoke(x[i], d[i]);
        }
    }

    /// <summary>y[r, c] = f_c(x[r, c]), the scalar form of <typeparamref name="TOp"/>.</summary>
    public static void ColumnMap<TOp>(ReadOnlySpan<float> x, Span<float> y, int rows, int f, TOp op)
        where TOp : struct, IColumnOperator
    {
        for (int i = 0; i < rows * f; i++)
        {
            y[i] = op.Invoke(i % f, x[i]);
        }
    }

    /// <summary>y[r, c] = f_c(x[r, c], d[r, c]), the scalar form of <typeparamref name="TOp"/>.</summary>
    public static void ColumnMap<TOp>(ReadOnlySpan<float> x, ReadOnlySpan<float> d, Span<float> y, int rows, int f, TOp op)
        where TOp : struct, IColumnBinaryOperator
    {
        for (int i = 0; i < rows * f; i++)
        {
            y[i] = op.Invoke(i % f, x[i], d[i]);
        }
    }

    /// <summary>The scalar form of <typeparamref name="TRule"/> on every (w[i], g[i], m[i], v[i]).</summary>
    public static void Update<TRule>(Span<float> w, ReadOnlySpan<float> gradient, Span<float> m, Span<float> v, TRule rule)
        where TRule : struct, IUpdateRule
    {
        for (int i = 0; i < w.Length; i++)
        {
            rule.Invoke(ref w[i], gradient[i], ref m[i], ref v[i]);
        }
    }

    /// <summary>Σᵢ x[i]·y[i], accumulated in double.</summary>
    public static float Dot(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        double sum = 0;
        for (int i = 0; i < x.Length; i++)
        {
            sum += (double)x[i] * y[i];
        }

        return (float)sum;
    }

    /// <summary>The index of the first NaN or infinity (−1 if none), and whether every value is 0.</summary>
    public static int IndexOfNonFinite(ReadOnlySpan<float> x, out bool allZero)
    {
        allZero = true;
        for (int i = 0; i < x.Length; i++)
        {
            if (!float.IsFinite(x[i]))
            {
                allZero = false;
                return i;
            }

            allZero &= x[i] == 0f;
        }

        return -1;
    }

    /// <summary>y[i] += α·x[i].</summary>
    public static void Axpy(float alpha, ReadOnlySpan<float> x, Span<float> y)
    {
        for (int i = 0; i < x.Length; i++)
        {
            y[i] += alpha * x[i];
        }
    }

    /// <summary>y[i] = α·x[i] + s·y[i].</summary>
    public static void ScaleAxpy(float s, float alpha, ReadOnlySpan<float> x, Span<float> y)
    {
        for (int i = 0; i < x.Length; i++)
        {
            y[i] = (s * y[i]) + (alpha * x[i]);
        }
    }

    /// <summary>Z = A·Wᵀ + b.</summary>
    public static void MultiplyTransposedAddBias(ReadOnlySpan<float> a, ReadOnlySpan<float> w, ReadOnlySpan<float> b, Span<float> z, int n, int k, int m)
    {
        for (int r = 0; r < n; r++)
        {
            for (int j = 0; j < m; j++)
            {
                double sum = b[j];
                for (int i = 0; i < k; i++)
                {
                    sum += (double)w[(j * k) + i] * a[(r * k) + i];
                }

                z[(r * m) + j] = (float)sum;
            }
        }
    }

    /// <summary>G = Δᵀ·A.</summary>
    public static void TransposedMultiply(ReadOnlySpan<float> delta, ReadOnlySpan<float> a, Span<float> g, int n, int k, int m)
    {
        for (int j = 0; j < m; j++)
        {
            for (int i = 0; i < k; i++)
            {
                double sum = 0;
                for (int r = 0; r < n; r++)
                {
                    sum += (double)delta[(r * m) + j] * a[(r * k) + i];
                }

                g[(j * k) + i] = (float)sum;
            }
        }
    }

    /// <summary>D = Δ·W.</summary>
    public static void Multiply(ReadOnlySpan<float> delta, ReadOnlySpan<float> w, Span<float> d, int n, int k, int m)
    {
        for (int r = 0; r < n; r++)
        {
            for (int i = 0; i < k; i++)
            {
                double sum = 0;
                for (int j = 0; j < m; j++)
                {
                    sum += (double)delta[(r * m) + j] * w[(j * k) + i];
                }

                d[(r * k) + i] = (float)sum;
            }
        }
    }

    /// <summary>total[c] = Σᵣ x[r, c] (or x[r, c]·y[r, c], rounded to float), summed in double, rows in order.</summary>
    public static void ColumnSums(ReadOnlySpan<float> x, ReadOnlySpan<float> y, int rows, int f, Span<double> total)
    {
        for (int c = 0; c < f; c++)
        {
            double sum = 0;
            for (int r = 0; r < rows; r++)
            {
                float value = y.IsEmpty ? x[(r * f) + c] : x[(r * f) + c] * y[(r * f) + c];
                sum += value;
            }

            total[c] = sum;
        }
    }

    /// <summary>
    /// For each channel from <paramref name="firstChannel"/> on, the value of one size × size window of
    /// channels-last values that <typeparamref name="TRule"/> keeps, and its index, one value at a time.
    /// </summary>
    public static void SelectWindow<TRule>(ReadOnlySpan<float> z, int corner, int rowStride, int channels, int size, Span<float> a, Span<int> argMax, int firstChannel = 0)
        where TRule : IWindowRule
    {
        for (int c = firstChannel; c < channels; c++)
        {
            int kept = corner + c;
            for (int u = 0; u < size; u++)
            {
                for (int v = 0; v < size; v++)
                {
                    int i = corner + (u * rowStride) + (v * channels) + c;
                    if (TRule.Replaces(z[i], z[kept]))
                    {
                        kept = i;
                    }
                }
            }

            a[c] = z[kept];
            argMax[c] = kept;
        }
    }

    /// <summary>rows[(n, y, x), (u, v, c)] = a[n, y·s + u − p, x·s + v − p, c], or 0 outside the image: im2row, one value at a time.</summary>
    public static void Im2RowGather(ReadOnlySpan<float> images, Span<float> rows, Geometry g)
    {
        int n = images.Length / (g.Height * g.Width * g.Channels);
        int row = 0;
        for (int sample = 0; sample < n; sample++)
        {
            for (int y = 0; y < g.OutHeight; y++)
            {
                for (int x = 0; x < g.OutWidth; x++, row++)
                {
                    int i = 0;
                    for (int u = 0; u < g.Kernel; u++)
                    {
                        for (int v = 0; v < g.Kernel; v++)
                        {
                            for (int c = 0; c < g.Channels; c++, i++)
                            {
                                int iy = (y * g.Stride) + u - g.Padding, ix = (x * g.Stride) + v - g.Padding;
                                bool inside = iy >= 0 && iy < g.Height && ix >= 0 && ix < g.Width;
                                rows[(row * g.Patch) + i] = inside ? images[(((((sample * g.Height) + iy) * g.Width) + ix) * g.Channels) + c] : 0f;
                            }
                        }
                    }
                }
            }
        }
    }

    /// <summary>total[c] = Σᵣ (x[r, c] − m[c])², difference and square rounded to float, summed in double, rows in order.</summary>
    public static void SquaredDeviationSums(ReadOnlySpan<float> x, ReadOnlySpan<float> m, int rows, int f, Span<double> total)
    {
        for (int c = 0; c < f; c++)
        {
            double sum = 0;
            for (int r = 0; r < rows; r++)
            {
                float deviation = x[(r * f) + c] - m[c];
                float square = deviation * deviation;
                sum += square;
            }

            total[c] = sum;
        }
    }
}
