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

    /// <summary>ẑ = (z − μ)·s, a = γ·ẑ + β, per column.</summary>
    public static void Normalize(ReadOnlySpan<float> z, ReadOnlySpan<float> mean, ReadOnlySpan<float> inverseDeviation, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> zHat, Span<float> a, int rows, int f)
    {
        for (int i = 0; i < rows * f; i++)
        {
            int c = i % f;
            zHat[i] = (z[i] - mean[c]) * inverseDeviation[c];
            a[i] = (gamma[c] * zHat[i]) + beta[c];
        }
    }

    /// <summary>∂C/∂z = s·((R·∂C/∂a − ∂C/∂β) − ẑ·∂C/∂γ), per column.</summary>
    public static void NormalizeGradient(ReadOnlySpan<float> da, ReadOnlySpan<float> zHat, ReadOnlySpan<float> dBeta, ReadOnlySpan<float> dGamma, ReadOnlySpan<float> scale, Span<float> dz, int rows, int f)
    {
        for (int i = 0; i < rows * f; i++)
        {
            int c = i % f;
            dz[i] = scale[c] * (((float)rows * da[i]) - dBeta[c] - (zHat[i] * dGamma[c]));
        }
    }

    /// <summary>
    /// The maximum of one size × size window of channels-last values for each channel from
    /// <paramref name="firstChannel"/> on, and its index (ties keep the first).
    /// </summary>
    public static void MaxWindow(ReadOnlySpan<float> z, int corner, int rowStride, int channels, int size, Span<float> a, Span<int> argMax, int firstChannel = 0)
    {
        for (int c = firstChannel; c < channels; c++)
        {
            int best = corner + c;
            for (int u = 0; u < size; u++)
            {
                for (int v = 0; v < size; v++)
                {
                    int i = corner + (u * rowStride) + (v * channels) + c;
                    if (z[i] > z[best])
                    {
                        best = i;
                    }
                }
            }

            a[c] = z[best];
            argMax[c] = best;
        }
    }

    /// <summary>One Adam(W) step from index <paramref name="from"/> on (see <see cref="OptimizerKernels.Adam"/>).</summary>
    public static void Adam(Span<float> w, ReadOnlySpan<float> gradient, Span<float> m, Span<float> v, AdamStep step, int from = 0)
    {
        for (int i = from; i < w.Length; i++)
        {
            float g = gradient[i];
            m[i] = (step.Beta1 * m[i]) + ((1f - step.Beta1) * g);
            v[i] = (step.Beta2 * v[i]) + ((1f - step.Beta2) * g * g);
            float mHat = m[i] / step.Correction1;
            float vHat = v[i] / step.Correction2;

            // w ← (1 − ηλ)·w − η·m̂/(√v̂ + ε)
            w[i] = (step.Shrink * w[i]) - (step.LearningRate * mHat / (MathF.Sqrt(vHat) + step.Epsilon));
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

    /// <summary>∂C/∂z = ∂C/∂a where z &gt; 0, else α·∂C/∂a, from index <paramref name="from"/> on (with ∂C/∂a = z, the leaky ReLU itself).</summary>
    public static void LeakyPass(ReadOnlySpan<float> z, float alpha, ReadOnlySpan<float> outputGradient, Span<float> inputGradient, int from = 0)
    {
        for (int i = from; i < z.Length; i++)
        {
            inputGradient[i] = z[i] > 0f ? outputGradient[i] : alpha * outputGradient[i];
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
