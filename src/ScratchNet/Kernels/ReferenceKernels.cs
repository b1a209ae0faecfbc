namespace ScratchNet.Kernels;

/// <summary>
/// Plain scalar versions of every kernel, written to be obviously right rather than fast. Tests compare
/// the fast kernels with these on odd shapes; readers can start here.
/// </summary>
internal static class ReferenceKernels
{
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

    /// <summary>a[i] = σ(z[i]) = 1 / (1 + e^(−z[i])).</summary>
    public static void Logistic(ReadOnlySpan<float> z, Span<float> a)
    {
        for (int i = 0; i < z.Length; i++)
        {
            a[i] = (float)(1.0 / (1.0 + Math.Exp(-z[i])));
        }
    }

    /// <summary>a[i] = max(0, z[i]).</summary>
    public static void Rectifier(ReadOnlySpan<float> z, Span<float> a)
    {
        for (int i = 0; i < z.Length; i++)
        {
            a[i] = Math.Max(0f, z[i]);
        }
    }

    /// <summary>g[i] = d[i] where z[i] &gt; 0, else 0.</summary>
    public static void PassWherePositive(ReadOnlySpan<float> z, ReadOnlySpan<float> d, Span<float> g)
    {
        for (int i = 0; i < z.Length; i++)
        {
            g[i] = z[i] > 0f ? d[i] : 0f;
        }
    }
}
