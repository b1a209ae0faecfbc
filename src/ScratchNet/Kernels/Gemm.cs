using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ScratchNet.Kernels;

/// <summary>
/// The three matrix products that dense and convolution layers need, on row-major spans, without
/// materialising a transpose. A is n×k (n rows: samples, or image patches), W is m×k (one row per
/// output neuron or filter), Δ is n×m. Each has a scalar twin in <see cref="ReferenceKernels"/> that
/// the tests compare it with.
/// </summary>
/// <remarks>
/// The kernels are register-blocked: each pass of the inner loop loads a few vectors of two operands
/// and does every multiply-add between them, so the FMA units, not the loads, set the pace. Large
/// products are split over the cores by output rows or output neurons; every output value is still
/// summed by one thread in one fixed order, so the bits never depend on the number of threads, and a
/// row's result never depends on where it sits in the batch.
/// </remarks>
internal static unsafe class Gemm
{
    private const int Width = 8; // floats per Vector256

    /// <summary>Below this many multiply-adds a product runs on one core: splitting would cost more than it saves.</summary>
    private const long ParallelThreshold = 4_000_000;

    /// <summary>The same for a forward product whose weights have not changed since the last call (see <see cref="MultiplyTransposedAddBias"/>).</summary>
    private const long InferenceParallelThreshold = 1_000_000;

    /// <summary>From this many multiply-adds on, a forward product of a few rows with unchanged weights is split by neurons.</summary>
    private const long NeuronSplitThreshold = 200_000;

    /// <summary>
    /// Rows of A per block of the weight gradient: 128, so that what one group of 6 neurons reads for one
    /// slab of 16 columns (128 rows of A's slab and of Δ, ≈ 16 KB) stays in L1. Measured at the ConvNet's
    /// shapes on one core: 62 → 71 GFLOP/s for conv2, 62 → 66 for conv3, against blocks of 256 rows.
    /// </summary>
    private const int RowBlock = 128;

    /// <summary>Rows of A per panel of the forward product (a multiple of 3): 24 rows of a few hundred floats stay in L1 with one group of 4 rows of W.</summary>
    private const int PanelRows = 24;

    private static bool Blocked => Vector256.IsHardwareAccelerated && Fma.IsSupported;

    /// <summary>Forward: Z = A·Wᵀ + b, that is Z[r, j] = b[j] + Σₖ W[j, k]·A[r, k].</summary>
    /// <remarks>
    /// Pass unchangedWeights = true when W is the same as at the last call (inference): the other cores
    /// still hold it in their caches, so products from <see cref="InferenceParallelThreshold"/>
    /// multiply-adds on are split. In training the optimizer rewrites W on this core after every step, and
    /// every core that reads it must fetch it again; there only products from
    /// <see cref="ParallelThreshold"/> on pay for the split.
    /// </remarks>
    public static void MultiplyTransposedAddBias(ReadOnlySpan<float> a, ReadOnlySpan<float> w, ReadOnlySpan<float> b, Span<float> z, int n, int k, int m, bool unchangedWeights = false)
    {
        CheckLengths(a.Length, n * k, w.Length, m * k, z.Length, n * m);
        if (b.Length < m)
        {
            throw new ArgumentException($"The bias has {b.Length} values for {m} outputs.");
        }

        if (k < 2 * Width && m >= 2 * Width && Blocked && k * m <= 4096)
        {
            // Few inputs per row (a first convolution sees k = 9 values per pixel) but many outputs: vectorise
            // over the outputs instead, Z = A·(Wᵀ), with Wᵀ small enough for the stack.
            Span<float> transposed = stackalloc float[k * m];
            for (int j = 0; j < m; j++)
            {
                for (int c = 0; c < k; c++)
                {
                    transposed[(c * m) + j] = w[(j * k) + c];
                }
            }

            Multiply(a, transposed, z, n, m, k);
            for (int r = 0; r < n; r++)
            {
                VectorMath.Axpy(1f, b[..m], z.Slice(r * m, m));
            }

            return;
        }

        fixed (float* pa = a, pw = w, pb = b, pz = z)
        {
            var job = new Job(pa, pw, pb, pz, n, k, m);
            long multiplyAdds = (long)n * k * m;
            if (unchangedWeights && n < 6 && m >= 32 && multiplyAdds >= NeuronSplitThreshold && Blocked)
            {
                // A few samples through a wide layer (one digit through the ConvNet's 1152→256, whose W is
                // 1.2 MB): each core takes half of the neurons, always the same half, and keeps its half of
                // W in its own cache from one call to the next instead of reading all of it from memory.
                ForChunks(m, 16, multiplyAdds, job, static (in Job j, int from, int to) => ForwardNeurons(j, from, to), chunksPerCore: 1, threshold: NeuronSplitThreshold);
                return;
            }

            ForChunks(n, 2, multiplyAdds, job, static (in Job j, int from, int to) => ForwardRows(j, from, to), threshold: unchangedWeights ? InferenceParallelThreshold : ParallelThreshold);
        }
    }

    /// <summary>Weight gradient: G = Δᵀ·A, that is G[j, k] = Σᵣ Δ[r, j]·A[r, k] (overwrites G).</summary>
    public static void TransposedMultiply(ReadOnlySpan<float> delta, ReadOnlySpan<float> a, Span<float> g, int n, int k, int m)
    {
        CheckLengths(delta.Length, n * m, a.Length, n * k, g.Length, m * k);
        if (k < 2 * Width && m >= 2 * Width && Blocked && k * m <= 4096)
        {
            // Few columns (a first convolution sees k = 9 values per pixel) but many neurons: vectorise over
            // the neurons instead, Gᵀ = Aᵀ·Δ, then transpose the small result.
            Span<float> transposed = stackalloc float[k * m];
            TransposedMultiply(a, delta, transposed, n, m, k);
            for (int c = 0; c < k; c++)
            {
                for (int j = 0; j < m; j++)
                {
                    g[(j * k) + c] = transposed[(c * m) + j];
                }
            }

            return;
        }

        fixed (float* pd = delta, pa = a, pg = g)
        {
            var job = new Job(pa, null, pd, pg, n, k, m);
            // One chunk per core: every chunk reads all of A, so more chunks would read it more often.
            ForChunks(m, 4, (long)n * k * m, job, static (in Job j, int from, int to) => WeightGradientNeurons(j, from, to), chunksPerCore: 1);
        }
    }

    /// <summary>Input gradient: D = Δ·W, that is D[r, k] = Σⱼ Δ[r, j]·W[j, k] (overwrites D).</summary>
    public static void Multiply(ReadOnlySpan<float> delta, ReadOnlySpan<float> w, Span<float> d, int n, int k, int m)
    {
        CheckLengths(delta.Length, n * m, w.Length, m * k, d.Length, n * k);
        fixed (float* pd = delta, pw = w, pout = d)
        {
            var job = new Job(null, pw, pd, pout, n, k, m);
            ForChunks(n, 4, (long)n * k * m, job, static (in Job j, int from, int to) => InputGradientRows(j, from, to));
        }
    }

    /// <summary>Rows [from, to) of Z = A·Wᵀ + b. (Job: A, W, b = Extra, Z = Output.)</summary>
    private static void ForwardRows(in Job job, int from, int to)
    {
        int k = job.K, m = job.M;
        float* a = job.A, w = job.W, z = job.Output;
        int r = from;
        if (Blocked)
        {
            // Blocks of 3 rows, except that 4 rows left go as 2 + 2 rather than 3 + 1 (one row has half the
            // accumulators to hide the latency of its multiply-adds). The blocks of 3 go in panels of up to
            // 24 rows: each group of 4 rows of W is read into L1 once per panel, not once per 3 rows.
            int threes = (to - from) / 3;
            if ((to - from) % 3 == 1 && threes > 0)
            {
                threes--;
            }

            int threesEnd = from + (3 * threes);
            for (int panel = from; panel < threesEnd; panel += PanelRows)
            {
                int panelEnd = Math.Min(panel + PanelRows, threesEnd);
                int j = 0;
                for (; j + 4 <= m; j += 4)
                {
                    for (r = panel; r < panelEnd; r += 3)
                    {
                        DotBlock3x4(a + (r * k), w + (j * k), k, z + (r * m) + j, m);
                    }
                }

                for (; j < m; j++)
                {
                    for (r = panel; r < panelEnd; r++)
                    {
                        z[(r * m) + j] = Dot(w + (j * k), a + (r * k), k);
                    }
                }
            }

            r = threesEnd;
            for (; r + 2 <= to; r += 2)
            {
                int j = 0;
                for (; j + 4 <= m; j += 4)
                {
                    DotBlock2x4(a + (r * k), w + (j * k), k, z + (r * m) + j, m);
                }

                for (; j < m; j++)
                {
                    z[(r * m) + j] = Dot(w + (j * k), a + (r * k), k);
                    z[((r + 1) * m) + j] = Dot(w + (j * k), a + ((r + 1) * k), k);
                }
            }
        }

        for (; r < to; r++)
        {
            // The last row of a batch (and the only one when a single digit is classified): 4 neurons at a
            // time still share each load of the row.
            int j = 0;
            if (Blocked)
            {
                for (; j + 4 <= m; j += 4)
                {
                    DotBlock1x4(a + (r * k), w + (j * k), k, z + (r * m) + j);
                }
            }

            for (; j < m; j++)
            {
                z[(r * m) + j] = Dot(w + (j * k), a + (r * k), k);
            }
        }

        for (r = from; r < to; r++)
        {
            VectorMath.Axpy(1f, new ReadOnlySpan<float>(job.Extra, m), new Span<float>(z + (r * m), m));
        }
    }

    /// <summary>Every row of Z = A·Wᵀ + b for neurons [from, to), for a batch of a few rows. (Job: A, W, b = Extra, Z = Output.)</summary>
    private static void ForwardNeurons(in Job job, int from, int to)
    {
        int n = job.N, k = job.K, m = job.M;
        float* a = job.A, w = job.W, z = job.Output;
        for (int r = 0; r < n; r++)
        {
            int j = from;
            for (; j + 4 <= to; j += 4)
            {
                DotBlock1x4(a + (r * k), w + (j * k), k, z + (r * m) + j);
            }

            for (; j < to; j++)
            {
                z[(r * m) + j] = Dot(w + (j * k), a + (r * k), k);
            }

            VectorMath.Axpy(1f, new ReadOnlySpan<float>(job.Extra + from, to - from), new Span<float>(z + (r * m) + from, to - from));
        }
    }

    /// <summary>Neurons [from, to) of G = Δᵀ·A. (Job: A, Δ = Extra, G = Output.)</summary>
    private static void WeightGradientNeurons(in Job job, int from, int to)
    {
        int n = job.N, k = job.K, m = job.M;
        float* a = job.A, delta = job.Extra, g = job.Output;
        int c = 0;
        if (Blocked)
        {
            // Columns of G in slabs of two vectors, rows of A in blocks that stay in cache while every group
            // of 6 (or 4) neurons reads them. Each block continues the sums the previous one left in G, so the
            // order of the multiply-adds is the same as without blocking.
            int slabs = k / (2 * Width) * (2 * Width);
            for (int r0 = 0; r0 < n; r0 += RowBlock)
            {
                int rows = Math.Min(RowBlock, n - r0);
                bool first = r0 == 0;
                float* aBlock = a + (r0 * k);
                float* dBlock = delta + (r0 * m);
                for (c = 0; c < slabs; c += 2 * Width)
                {
                    int j = from;
                    for (; j + 6 <= to && to - j != 8; j += 6) // 8 neurons left go as 4 + 4, not 6 + 1 + 1
                    {
                        OuterBlock6x16(dBlock + j, aBlock + c, g + (j * k) + c, rows, k, m, first);
                    }

                    for (; j + 4 <= to; j += 4)
                    {
                        OuterBlock4x16(dBlock + j, aBlock + c, g + (j * k) + c, rows, k, m, first);
                    }

                    for (; j < to; j++)
                    {
                        OuterBlock1x16(dBlock + j, aBlock + c, g + (j * k) + c, rows, k, m, first);
                    }
                }
            }

            c = slabs;
        }

        // The remaining columns (fewer than 16), one at a time.
        for (; c < k; c++)
        {
            for (int j = from; j < to; j++)
            {
                float sum = 0f;
                for (int r = 0; r < n; r++)
                {
                    sum += delta[(r * m) + j] * a[(r * k) + c];
                }

                g[(j * k) + c] = sum;
            }
        }
    }

    /// <summary>Rows [from, to) of D = Δ·W. (Job: W, Δ = Extra, D = Output.)</summary>
    private static void InputGradientRows(in Job job, int from, int to)
    {
        int k = job.K, m = job.M;
        float* w = job.W, delta = job.Extra, d = job.Output;
        int c = 0;
        if (Blocked)
        {
            // Rows outside, column slabs inside: 6 (or 4) rows of Δ stay in L1 while W streams from L2.
            int slabs = k / (2 * Width) * (2 * Width);
            int r = from;
            for (; r + 6 <= to && to - r != 8; r += 6) // 8 rows left go as 4 + 4, not 6 + 1 + 1
            {
                for (c = 0; c < slabs; c += 2 * Width)
                {
                    CombineBlock6x16(delta + (r * m), w + c, d + (r * k) + c, k, m);
                }
            }

            for (; r + 4 <= to; r += 4)
            {
                for (c = 0; c < slabs; c += 2 * Width)
                {
                    CombineBlock4x16(delta + (r * m), w + c, d + (r * k) + c, k, m);
                }
            }

            for (; r < to; r++)
            {
                for (c = 0; c < slabs; c += 2 * Width)
                {
                    CombineBlock1x16(delta + (r * m), w + c, d + (r * k) + c, k, m);
                }
            }

            c = slabs;
        }

        for (; c < k; c++)
        {
            for (int r = from; r < to; r++)
            {
                float sum = 0f;
                for (int j = 0; j < m; j++)
                {
                    sum += delta[(r * m) + j] * w[(j * k) + c];
                }

                d[(r * k) + c] = sum;
            }
        }
    }

    /// <summary>Σᵢ x[i]·y[i] in the same order as <see cref="DotBlock2x4"/>: one vector accumulator, its lanes summed, then the tail.</summary>
    private static float Dot(float* x, float* y, int k) =>
        VectorMath.Dot(new ReadOnlySpan<float>(x, k), new ReadOnlySpan<float>(y, k));

    /// <summary>
    /// Z[0..3, 0..4] = dot products of 3 rows of A with 4 rows of W: 12 accumulators, 7 loads per 12
    /// multiply-adds. Each output keeps its own accumulator in the same order as <see cref="DotBlock2x4"/>
    /// and <see cref="Dot"/>, so the bits do not depend on which block computes it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void DotBlock3x4(float* a, float* w, int k, float* z, int m)
    {
        Vector256<float> s00 = default, s01 = default, s02 = default, s03 = default;
        Vector256<float> s10 = default, s11 = default, s12 = default, s13 = default;
        Vector256<float> s20 = default, s21 = default, s22 = default, s23 = default;
        float* a1 = a + k, a2 = a + (2 * k);
        float* w1 = w + k, w2 = w + (2 * k), w3 = w + (3 * k);
        int i = 0;
        for (; i + Width <= k; i += Width)
        {
            Vector256<float> x0 = Vector256.Load(a + i);
            Vector256<float> x1 = Vector256.Load(a1 + i);
            Vector256<float> x2 = Vector256.Load(a2 + i);
            Vector256<float> v = Vector256.Load(w + i);
            s00 = Fma.MultiplyAdd(x0, v, s00);
            s10 = Fma.MultiplyAdd(x1, v, s10);
            s20 = Fma.MultiplyAdd(x2, v, s20);
            v = Vector256.Load(w1 + i);
            s01 = Fma.MultiplyAdd(x0, v, s01);
            s11 = Fma.MultiplyAdd(x1, v, s11);
            s21 = Fma.MultiplyAdd(x2, v, s21);
            v = Vector256.Load(w2 + i);
            s02 = Fma.MultiplyAdd(x0, v, s02);
            s12 = Fma.MultiplyAdd(x1, v, s12);
            s22 = Fma.MultiplyAdd(x2, v, s22);
            v = Vector256.Load(w3 + i);
            s03 = Fma.MultiplyAdd(x0, v, s03);
            s13 = Fma.MultiplyAdd(x1, v, s13);
            s23 = Fma.MultiplyAdd(x2, v, s23);
        }

        Finish(s00, a, w, i, k, z);
        Finish(s01, a, w1, i, k, z + 1);
        Finish(s02, a, w2, i, k, z + 2);
        Finish(s03, a, w3, i, k, z + 3);
        Finish(s10, a1, w, i, k, z + m);
        Finish(s11, a1, w1, i, k, z + m + 1);
        Finish(s12, a1, w2, i, k, z + m + 2);
        Finish(s13, a1, w3, i, k, z + m + 3);
        Finish(s20, a2, w, i, k, z + (2 * m));
        Finish(s21, a2, w1, i, k, z + (2 * m) + 1);
        Finish(s22, a2, w2, i, k, z + (2 * m) + 2);
        Finish(s23, a2, w3, i, k, z + (2 * m) + 3);
    }

    /// <summary>Sums the lanes of one accumulator, adds the scalar tail x[i..k)·y[i..k), and stores the dot product.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Finish(Vector256<float> accumulator, float* x, float* y, int i, int k, float* z)
    {
        float sum = Vector256.Sum(accumulator);
        for (; i < k; i++)
        {
            sum += x[i] * y[i];
        }

        *z = sum;
    }

    /// <summary>Z[0, 0..4] = dot products of one row of A with 4 rows of W, in the same order as <see cref="Dot"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void DotBlock1x4(float* a, float* w, int k, float* z)
    {
        Vector256<float> s0 = default, s1 = default, s2 = default, s3 = default;
        float* w1 = w + k, w2 = w + (2 * k), w3 = w + (3 * k);
        int i = 0;
        for (; i + Width <= k; i += Width)
        {
            Vector256<float> x = Vector256.Load(a + i);
            s0 = Fma.MultiplyAdd(x, Vector256.Load(w + i), s0);
            s1 = Fma.MultiplyAdd(x, Vector256.Load(w1 + i), s1);
            s2 = Fma.MultiplyAdd(x, Vector256.Load(w2 + i), s2);
            s3 = Fma.MultiplyAdd(x, Vector256.Load(w3 + i), s3);
        }

        Finish(s0, a, w, i, k, z);
        Finish(s1, a, w1, i, k, z + 1);
        Finish(s2, a, w2, i, k, z + 2);
        Finish(s3, a, w3, i, k, z + 3);
    }

    /// <summary>Z[0..2, 0..4] = dot products of 2 rows of A with 4 rows of W (bias added by the caller).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void DotBlock2x4(float* a, float* w, int k, float* z, int m)
    {
        Vector256<float> s00 = default, s01 = default, s02 = default, s03 = default;
        Vector256<float> s10 = default, s11 = default, s12 = default, s13 = default;
        float* a1 = a + k, w1 = w + k, w2 = w + (2 * k), w3 = w + (3 * k);
        int i = 0;
        for (; i + Width <= k; i += Width)
        {
            Vector256<float> x0 = Vector256.Load(a + i);
            Vector256<float> x1 = Vector256.Load(a1 + i);
            Vector256<float> v = Vector256.Load(w + i);
            s00 = Fma.MultiplyAdd(x0, v, s00);
            s10 = Fma.MultiplyAdd(x1, v, s10);
            v = Vector256.Load(w1 + i);
            s01 = Fma.MultiplyAdd(x0, v, s01);
            s11 = Fma.MultiplyAdd(x1, v, s11);
            v = Vector256.Load(w2 + i);
            s02 = Fma.MultiplyAdd(x0, v, s02);
            s12 = Fma.MultiplyAdd(x1, v, s12);
            v = Vector256.Load(w3 + i);
            s03 = Fma.MultiplyAdd(x0, v, s03);
            s13 = Fma.MultiplyAdd(x1, v, s13);
        }

        float t00 = Vector256.Sum(s00), t01 = Vector256.Sum(s01), t02 = Vector256.Sum(s02), t03 = Vector256.Sum(s03);
        float t10 = Vector256.Sum(s10), t11 = Vector256.Sum(s11), t12 = Vector256.Sum(s12), t13 = Vector256.Sum(s13);
        for (; i < k; i++)
        {
            float x0 = a[i], x1 = a1[i];
            t00 += x0 * w[i];
            t01 += x0 * w1[i];
            t02 += x0 * w2[i];
            t03 += x0 * w3[i];
            t10 += x1 * w[i];
            t11 += x1 * w1[i];
            t12 += x1 * w2[i];
            t13 += x1 * w3[i];
        }

        z[0] = t00;
        z[1] = t01;
        z[2] = t02;
        z[3] = t03;
        z[m] = t10;
        z[m + 1] = t11;
        z[m + 2] = t12;
        z[m + 3] = t13;
    }

    /// <summary>G[j..j+6, c..c+16] (+)= Σᵣ Δ[r, j..j+6] ⊗ A[r, c..c+16]: 12 accumulators, 2 loads and 6 broadcasts per row.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)] // its own method, so its 12 accumulators stay in registers
    private static void OuterBlock6x16(float* delta, float* a, float* g, int n, int k, int m, bool first)
    {
        Vector256<float> g00 = default, g01 = default, g10 = default, g11 = default, g20 = default, g21 = default;
        Vector256<float> g30 = default, g31 = default, g40 = default, g41 = default, g50 = default, g51 = default;
        if (!first)
        {
            g00 = Vector256.Load(g);
            g01 = Vector256.Load(g + Width);
            g10 = Vector256.Load(g + k);
            g11 = Vector256.Load(g + k + Width);
            g20 = Vector256.Load(g + (2 * k));
            g21 = Vector256.Load(g + (2 * k) + Width);
            g30 = Vector256.Load(g + (3 * k));
            g31 = Vector256.Load(g + (3 * k) + Width);
            g40 = Vector256.Load(g + (4 * k));
            g41 = Vector256.Load(g + (4 * k) + Width);
            g50 = Vector256.Load(g + (5 * k));
            g51 = Vector256.Load(g + (5 * k) + Width);
        }

        for (int r = 0; r < n; r++)
        {
            float* row = a + (r * k);
            Vector256<float> x0 = Vector256.Load(row);
            Vector256<float> x1 = Vector256.Load(row + Width);
            float* d = delta + (r * m);
            Vector256<float> e = Vector256.Create(d[0]);
            g00 = Fma.MultiplyAdd(e, x0, g00);
            g01 = Fma.MultiplyAdd(e, x1, g01);
            e = Vector256.Create(d[1]);
            g10 = Fma.MultiplyAdd(e, x0, g10);
            g11 = Fma.MultiplyAdd(e, x1, g11);
            e = Vector256.Create(d[2]);
            g20 = Fma.MultiplyAdd(e, x0, g20);
            g21 = Fma.MultiplyAdd(e, x1, g21);
            e = Vector256.Create(d[3]);
            g30 = Fma.MultiplyAdd(e, x0, g30);
            g31 = Fma.MultiplyAdd(e, x1, g31);
            e = Vector256.Create(d[4]);
            g40 = Fma.MultiplyAdd(e, x0, g40);
            g41 = Fma.MultiplyAdd(e, x1, g41);
            e = Vector256.Create(d[5]);
            g50 = Fma.MultiplyAdd(e, x0, g50);
            g51 = Fma.MultiplyAdd(e, x1, g51);
        }

        g00.Store(g);
        g01.Store(g + Width);
        g10.Store(g + k);
        g11.Store(g + k + Width);
        g20.Store(g + (2 * k));
        g21.Store(g + (2 * k) + Width);
        g30.Store(g + (3 * k));
        g31.Store(g + (3 * k) + Width);
        g40.Store(g + (4 * k));
        g41.Store(g + (4 * k) + Width);
        g50.Store(g + (5 * k));
        g51.Store(g + (5 * k) + Width);
    }

    /// <summary>G[j..j+4, c..c+16] = Σᵣ Δ[r, j..j+4] ⊗ A[r, c..c+16]: 8 accumulators, 2 loads and 4 broadcasts per row.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void OuterBlock4x16(float* delta, float* a, float* g, int n, int k, int m, bool first)
    {
        Vector256<float> g00 = default, g01 = default, g10 = default, g11 = default;
        Vector256<float> g20 = default, g21 = default, g30 = default, g31 = default;
        if (!first)
        {
            g00 = Vector256.Load(g);
            g01 = Vector256.Load(g + Width);
            g10 = Vector256.Load(g + k);
            g11 = Vector256.Load(g + k + Width);
            g20 = Vector256.Load(g + (2 * k));
            g21 = Vector256.Load(g + (2 * k) + Width);
            g30 = Vector256.Load(g + (3 * k));
            g31 = Vector256.Load(g + (3 * k) + Width);
        }

        for (int r = 0; r < n; r++)
        {
            float* row = a + (r * k);
            Vector256<float> x0 = Vector256.Load(row);
            Vector256<float> x1 = Vector256.Load(row + Width);
            float* d = delta + (r * m);
            Vector256<float> d0 = Vector256.Create(d[0]);
            Vector256<float> d1 = Vector256.Create(d[1]);
            Vector256<float> d2 = Vector256.Create(d[2]);
            Vector256<float> d3 = Vector256.Create(d[3]);
            g00 = Fma.MultiplyAdd(d0, x0, g00);
            g01 = Fma.MultiplyAdd(d0, x1, g01);
            g10 = Fma.MultiplyAdd(d1, x0, g10);
            g11 = Fma.MultiplyAdd(d1, x1, g11);
            g20 = Fma.MultiplyAdd(d2, x0, g20);
            g21 = Fma.MultiplyAdd(d2, x1, g21);
            g30 = Fma.MultiplyAdd(d3, x0, g30);
            g31 = Fma.MultiplyAdd(d3, x1, g31);
        }

        g00.Store(g);
        g01.Store(g + Width);
        g10.Store(g + k);
        g11.Store(g + k + Width);
        g20.Store(g + (2 * k));
        g21.Store(g + (2 * k) + Width);
        g30.Store(g + (3 * k));
        g31.Store(g + (3 * k) + Width);
    }

    /// <summary>G[j, c..c+16] = Σᵣ Δ[r, j]·A[r, c..c+16], for the neurons left over after blocks of 4.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void OuterBlock1x16(float* delta, float* a, float* g, int n, int k, int m, bool first)
    {
        Vector256<float> g0 = first ? default : Vector256.Load(g);
        Vector256<float> g1 = first ? default : Vector256.Load(g + Width);
        for (int r = 0; r < n; r++)
        {
            float* row = a + (r * k);
            Vector256<float> d = Vector256.Create(delta[r * m]);
            g0 = Fma.MultiplyAdd(d, Vector256.Load(row), g0);
            g1 = Fma.MultiplyAdd(d, Vector256.Load(row + Width), g1);
        }

        g0.Store(g);
        g1.Store(g + Width);
    }

    /// <summary>D[r..r+6, c..c+16] = Σⱼ Δ[r..r+6, j] ⊗ W[j, c..c+16]: 12 accumulators, 2 loads and 6 broadcasts per 12 multiply-adds.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)] // its own method, so its 12 accumulators stay in registers
    private static void CombineBlock6x16(float* delta, float* w, float* d, int k, int m)
    {
        Vector256<float> d00 = default, d01 = default, d10 = default, d11 = default, d20 = default, d21 = default;
        Vector256<float> d30 = default, d31 = default, d40 = default, d41 = default, d50 = default, d51 = default;
        for (int j = 0; j < m; j++)
        {
            float* row = w + (j * k);
            Vector256<float> x0 = Vector256.Load(row);
            Vector256<float> x1 = Vector256.Load(row + Width);
            Vector256<float> e = Vector256.Create(delta[j]);
            d00 = Fma.MultiplyAdd(e, x0, d00);
            d01 = Fma.MultiplyAdd(e, x1, d01);
            e = Vector256.Create(delta[m + j]);
            d10 = Fma.MultiplyAdd(e, x0, d10);
            d11 = Fma.MultiplyAdd(e, x1, d11);
            e = Vector256.Create(delta[(2 * m) + j]);
            d20 = Fma.MultiplyAdd(e, x0, d20);
            d21 = Fma.MultiplyAdd(e, x1, d21);
            e = Vector256.Create(delta[(3 * m) + j]);
            d30 = Fma.MultiplyAdd(e, x0, d30);
            d31 = Fma.MultiplyAdd(e, x1, d31);
            e = Vector256.Create(delta[(4 * m) + j]);
            d40 = Fma.MultiplyAdd(e, x0, d40);
            d41 = Fma.MultiplyAdd(e, x1, d41);
            e = Vector256.Create(delta[(5 * m) + j]);
            d50 = Fma.MultiplyAdd(e, x0, d50);
            d51 = Fma.MultiplyAdd(e, x1, d51);
        }

        d00.Store(d);
        d01.Store(d + Width);
        d10.Store(d + k);
        d11.Store(d + k + Width);
        d20.Store(d + (2 * k));
        d21.Store(d + (2 * k) + Width);
        d30.Store(d + (3 * k));
        d31.Store(d + (3 * k) + Width);
        d40.Store(d + (4 * k));
        d41.Store(d + (4 * k) + Width);
        d50.Store(d + (5 * k));
        d51.Store(d + (5 * k) + Width);
    }

    /// <summary>D[r..r+4, c..c+16] = Σⱼ Δ[r..r+4, j] ⊗ W[j, c..c+16].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CombineBlock4x16(float* delta, float* w, float* d, int k, int m)
    {
        Vector256<float> d00 = default, d01 = default, d10 = default, d11 = default;
        Vector256<float> d20 = default, d21 = default, d30 = default, d31 = default;
        for (int j = 0; j < m; j++)
        {
            float* row = w + (j * k);
            Vector256<float> x0 = Vector256.Load(row);
            Vector256<float> x1 = Vector256.Load(row + Width);
            Vector256<float> e0 = Vector256.Create(delta[j]);
            Vector256<float> e1 = Vector256.Create(delta[m + j]);
            Vector256<float> e2 = Vector256.Create(delta[(2 * m) + j]);
            Vector256<float> e3 = Vector256.Create(delta[(3 * m) + j]);
            d00 = Fma.MultiplyAdd(e0, x0, d00);
            d01 = Fma.MultiplyAdd(e0, x1, d01);
            d10 = Fma.MultiplyAdd(e1, x0, d10);
            d11 = Fma.MultiplyAdd(e1, x1, d11);
            d20 = Fma.MultiplyAdd(e2, x0, d20);
            d21 = Fma.MultiplyAdd(e2, x1, d21);
            d30 = Fma.MultiplyAdd(e3, x0, d30);
            d31 = Fma.MultiplyAdd(e3, x1, d31);
        }

        d00.Store(d);
        d01.Store(d + Width);
        d10.Store(d + k);
        d11.Store(d + k + Width);
        d20.Store(d + (2 * k));
        d21.Store(d + (2 * k) + Width);
        d30.Store(d + (3 * k));
        d31.Store(d + (3 * k) + Width);
    }

    /// <summary>D[r, c..c+16] = Σⱼ Δ[r, j]·W[j, c..c+16], for the rows left over after blocks of 4 (same order of sums).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CombineBlock1x16(float* delta, float* w, float* d, int k, int m)
    {
        Vector256<float> d0 = default, d1 = default;
        for (int j = 0; j < m; j++)
        {
            float* row = w + (j * k);
            Vector256<float> e = Vector256.Create(delta[j]);
            d0 = Fma.MultiplyAdd(e, Vector256.Load(row), d0);
            d1 = Fma.MultiplyAdd(e, Vector256.Load(row + Width), d1);
        }

        d0.Store(d);
        d1.Store(d + Width);
    }

    private delegate void ChunkWork(in Job job, int from, int to);

    /// <summary>
    /// Runs <paramref name="work"/> over [0, count) in chunks that are multiples of <paramref name="grain"/>:
    /// on the calling thread for small products, over the cores (<see cref="WorkerPool"/>) for large ones.
    /// Each output belongs to one chunk and is computed the same way whichever chunk holds it, so the split
    /// never changes a bit.
    /// </summary>
    private static void ForChunks(int count, int grain, long multiplyAdds, Job job, ChunkWork work, int chunksPerCore = 4, long threshold = ParallelThreshold)
    {
        int workers = Environment.ProcessorCount;
        if (multiplyAdds < threshold || workers == 1 || count < 2 * grain)
        {
            work(job, 0, count);
            return;
        }

        int chunks = Math.Min(chunksPerCore * workers, count / grain);
        int size = ((count / chunks) + grain - 1) / grain * grain;
        WorkerPool.Run(new Chunks(job, work, count, size), (count + size - 1) / size);
    }

    /// <summary>A product cut into chunks of <paramref name="size"/> rows or neurons, for the <see cref="WorkerPool"/>.</summary>
    private readonly struct Chunks(Job job, ChunkWork work, int count, int size) : IChunkWork
    {
        public void Execute(int chunk)
        {
            int from = chunk * size;
            work(job, from, Math.Min(count, from + size));
        }
    }

    private static void CheckLengths(int first, int firstNeeded, int second, int secondNeeded, int output, int outputNeeded)
    {
        if (first < firstNeeded || second < secondNeeded || output < outputNeeded)
        {
            throw new ArgumentException($"A matrix is too short for the shapes given: inputs hold {first} and {second} values (need {firstNeeded} and {secondNeeded}), the output {output} (needs {outputNeeded}).");
        }
    }

    /// <summary>The pinned operands of one product, so the work can be handed to other threads.</summary>
    private readonly struct Job(float* a, float* w, float* extra, float* output, int n, int k, int m)
    {
        public float* A { get; } = a;

        public float* W { get; } = w;

        public float* Extra { get; } = extra;

        public float* Output { get; } = output;

        public int N { get; } = n;

        public int K { get; } = k;

        public int M { get; } = m;
    }
}
