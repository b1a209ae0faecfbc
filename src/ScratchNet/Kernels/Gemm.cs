namespace ScratchNet.Kernels;

/// <summary>
/// The three matrix products a dense layer needs, on row-major spans, without materialising a
/// transpose. A is n×k (a minibatch of n rows), W is m×k (one row per output neuron), Δ is n×m.
/// Each has a scalar twin in <see cref="ReferenceKernels"/>.
/// </summary>
internal static class Gemm
{
    /// <summary>Forward: Z = A·Wᵀ + b, that is Z[r, j] = b[j] + Σₖ W[j, k]·A[r, k].</summary>
    public static void MultiplyTransposedAddBias(ReadOnlySpan<float> a, ReadOnlySpan<float> w, ReadOnlySpan<float> b, Span<float> z, int n, int k, int m)
    {
        for (int r = 0; r < n; r++)
        {
            ReadOnlySpan<float> row = a.Slice(r * k, k);
            Span<float> zRow = z.Slice(r * m, m);
            for (int j = 0; j < m; j++)
            {
                zRow[j] = b[j] + VectorMath.Dot(w.Slice(j * k, k), row);
            }
        }
    }

    /// <summary>Weight gradient: G = Δᵀ·A, that is G[j, k] = Σᵣ Δ[r, j]·A[r, k] (overwrites G).</summary>
    public static void TransposedMultiply(ReadOnlySpan<float> delta, ReadOnlySpan<float> a, Span<float> g, int n, int k, int m)
    {
        g[..(m * k)].Clear();
        for (int j = 0; j < m; j++)
        {
            Span<float> gRow = g.Slice(j * k, k);
            for (int r = 0; r < n; r++)
            {
                float d = delta[(r * m) + j];
                if (d != 0f)
                {
                    VectorMath.Axpy(d, a.Slice(r * k, k), gRow);
                }
            }
        }
    }

    /// <summary>Input gradient: D = Δ·W, that is D[r, k] = Σⱼ Δ[r, j]·W[j, k] (overwrites D).</summary>
    public static void Multiply(ReadOnlySpan<float> delta, ReadOnlySpan<float> w, Span<float> d, int n, int k, int m)
    {
        d[..(n * k)].Clear();
        for (int r = 0; r < n; r++)
        {
            Span<float> dRow = d.Slice(r * k, k);
            for (int j = 0; j < m; j++)
            {
                float dj = delta[(r * m) + j];
                if (dj != 0f)
                {
                    VectorMath.Axpy(dj, w.Slice(j * k, k), dRow);
                }
            }
        }
    }
}
