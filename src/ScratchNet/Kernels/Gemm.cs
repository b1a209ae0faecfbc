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
/// <para>
/// This file holds the three entry points, their shape checks and the choice of when to split over the
/// cores. GemmParallel.cs holds the split itself; GemmForwardBlocks.cs, GemmWeightGradientBlocks.cs and
/// GemmInputGradientBlocks.cs hold the register blocks of each product and the loop that tiles them (256-bit, x86);
/// GemmForwardByTranspose.cs the forward by outer products that convolutions train with (W transposed, then the input
/// gradient's blocks);
/// GemmWideBlocks.cs and GemmWideForwardBlocks.cs the 512-bit blocks taken where those are fast, with the same bits;
/// GemmPortableBlocks.cs the 128-bit blocks that ARM64 takes instead.
/// </para>
/// </remarks>
internal static unsafe partial class Gemm
{
    private const int Width = 8; // floats per Vector256

    /// <summary>Below this many multiply-adds a product runs on one core: splitting would cost more than it saves.</summary>
    private const long ParallelThreshold = 4_000_000;

    /// <summary>The same for a forward product whose weights have not changed since the last call (see <see cref="MultiplyTransposedAddBias"/>).</summary>
    private const long InferenceParallelThreshold = 1_000_000;

    /// <summary>
    /// The size of A (n·k values, 1 MB) from which the weight gradient splits its columns over the cores instead of its
    /// neurons. Measured on 2 cores: the ConvNet's conv2 (12,544 × 288 × 64) 183–189 → 241–242 GFLOP/s, conv3
    /// (3,136 × 576 × 128) 268–277 → 318–329; its dense 1152 → 256 at 64 rows (A 295 KB) 348 → 320, so it keeps the neurons.
    /// Then one range of half-slabs per core instead of four ranges of whole slabs (<see cref="WeightGradientHalfSlabs"/>):
    /// conv2 245–279 → 270–311, conv3 350–352 → 356–360, the --fast network's conv2 (12,544 × 144 × 32) 220–221 → 237–253.
    /// </summary>
    private const long ColumnSplitInputs = 1 << 18;

    /// <summary>The fewest rows from which a 16-neuron dense layer trains by outer products (<see cref="NarrowForwardByTransposePays"/>).</summary>
    private const int NarrowForwardRows = 32;

    /// <summary>Rows written and then multiplied at a time by the forward by outer products when a row source writes them (a multiple of its 6-row blocks).</summary>
    private const int FilledPanelRows = 96;

    /// <summary>From this many multiply-adds on, a forward product of a few rows with unchanged weights is split by neurons.</summary>
    private const long NeuronSplitThreshold = 200_000;

    private static bool Blocked => Vector256.IsHardwareAccelerated && Fma.IsSupported;

    /// <summary>Forward: Z = A·Wᵀ + b, that is Z[r, j] = b[j] + Σₖ W[j, k]·A[r, k].</summary>
    /// <remarks>
    /// Pass unchangedWeights = true when W is the same as at the last call (inference): the other cores
    /// still hold it in their caches, so products from <see cref="InferenceParallelThreshold"/>
    /// multiply-adds on are split. In training the optimizer rewrites W on this core after every step, and
    /// every core that reads it must fetch it again; there only products from
    /// <see cref="ParallelThreshold"/> on pay for the split.
    /// </remarks>
    public static void MultiplyTransposedAddBias(ReadOnlySpan<float> a, ReadOnlySpan<float> w, ReadOnlySpan<float> b, Span<float> z, int n, int k, int m, bool unchangedWeights = false) =>
        MultiplyTransposedAddBias(default(WrittenRows), a, w, b, z, n, k, m, unchangedWeights);

    /// <summary>
    /// The same, with A's rows written by <paramref name="rows"/> as the product goes: where the rows are split over
    /// the cores, each core first writes the rows it then multiplies, so they never travel from one core's cache to
    /// the other's (one digit through the ConvNet's second convolution, 196 patch rows of 288 values, 226 KB: 55–58 µs
    /// gathered on one core, 35 µs this way). Elsewhere all rows are written first. The bits are those of the other overload.
    /// </summary>
    public static void MultiplyTransposedAddBias<TRows>(in TRows rows, ReadOnlySpan<float> a, ReadOnlySpan<float> w, ReadOnlySpan<float> b, Span<float> z, int n, int k, int m, bool unchangedWeights)
        where TRows : struct, IRowSource
    {
        CheckLengths(a.Length, n * k, w.Length, m * k, z.Length, n * m);
        if (b.Length < m)
        {
            throw new ArgumentException($"The bias has {b.Length} values for {m} outputs.");
        }

        if (FewColumnsManyNeurons(k, m))
        {
            // Few inputs per row (a first convolution sees k = 9 values per pixel) but many outputs: vectorise
            // over the outputs instead, with Wᵀ small enough for the stack.
            rows.Fill(0, n);
            Span<float> transposed = stackalloc float[k * m];
            MultiplyByTransposeAddBias(a, w, b, transposed, z, n, k, m, unchangedWeights);
            return;
        }

        fixed (float* pa = a, pw = w, pb = b, pz = z)
        {
            var job = Job.Forward(pa, pw, pb, pz, n, k, m);
            long multiplyAdds = (long)n * k * m;
            if (unchangedWeights && n < 6 && m >= 32 && multiplyAdds >= NeuronSplitThreshold && Blocked)
            {
                // A few samples through a wide layer (one digit through the ConvNet's 1152→256, whose W is
                // 1.2 MB): each core takes half of the neurons, always the same half, and keeps its half of
                // W in its own cache from one call to the next instead of reading all of it from memory.
                rows.Fill(0, n);
                ForChunks(m, 16, multiplyAdds, job, static (in Job j, int from, int to) => ForwardNeurons(j, from, to), chunksPerCore: 1, threshold: NeuronSplitThreshold);
                return;
            }

            RangeSplit.Run(new FilledRows<TRows>(job, rows), n, 2, split: multiplyAdds >= (unchangedWeights ? InferenceParallelThreshold : ParallelThreshold), rangesPerCore: 4);
        }
    }

    /// <summary>
    /// Forward by outer products: Z = A·Wᵀ + b computed as A·(Wᵀ) + b, with W first written transposed (k×m) into
    /// <paramref name="transposed"/>. Every Z[r, j] = b[j] + Σₖ A[r, k]·Wᵀ[k, j] is then one chain of multiply-adds
    /// over k in order, in the input gradient's register blocks (6 rows × 16, 32 or 64 neurons, a broadcast of A times a
    /// vector of Wᵀ: no sums across lanes), so it runs nearer the FMA peak than the dot products of
    /// <see cref="MultiplyTransposedAddBias"/>. Its sums are in another order, so its bits differ from that method's.
    /// </summary>
    /// <remarks>
    /// For products of many rows against the same W, such as a convolution's output pixels, where writing Wᵀ
    /// (m·k values) costs little against the product (n·k·m multiply-adds). A row's result still never depends on
    /// its place in the batch or on the number of threads.
    /// </remarks>
    public static void MultiplyByTransposeAddBias(ReadOnlySpan<float> a, ReadOnlySpan<float> w, ReadOnlySpan<float> b, Span<float> transposed, Span<float> z, int n, int k, int m, bool unchangedWeights = false) =>
        MultiplyByTransposeAddBias(default(WrittenRows), a, w, b, transposed, z, n, k, m, unchangedWeights);

    /// <summary>
    /// The same, with A's rows written by <paramref name="rows"/> as the product goes, <see cref="FilledPanelRows"/> at
    /// a time on the core that then multiplies them, so they come from its L2 instead of memory (a training batch's
    /// patch rows, 14 MB for the ConvNet's second convolution, are far larger than a core's caches). Same bits.
    /// </summary>
    public static void MultiplyByTransposeAddBias<TRows>(in TRows rows, ReadOnlySpan<float> a, ReadOnlySpan<float> w, ReadOnlySpan<float> b, Span<float> transposed, Span<float> z, int n, int k, int m, bool unchangedWeights)
        where TRows : struct, IRowSource
    {
        CheckLengths(a.Length, n * k, w.Length, m * k, z.Length, n * m);
        if (b.Length < m || transposed.Length < k * m)
        {
            throw new ArgumentException($"The bias has {b.Length} values for {m} outputs and the room for Wᵀ {transposed.Length} for {k * m}.");
        }

        fixed (float* pa = a, pw = w, pt = transposed, pb = b, pz = z)
        {
            Transpose(pw, m, k, pt);
            var job = Job.ForwardByTranspose(pa, pt, pb, pz, n, k, m);
            RangeSplit.Run(new FilledPanels<TRows>(job, rows), n, 6, split: (long)n * k * m >= (unchangedWeights ? InferenceParallelThreshold : ParallelThreshold), rangesPerCore: 2);
        }
    }

    /// <summary>True when m neurons fill whole 16-wide column slabs of <see cref="MultiplyByTransposeAddBias"/>'s blocks (m = 16, 32, 64, …).</summary>
    public static bool ForwardByTransposeFits(int m) => m % (2 * Width) == 0;

    /// <summary>
    /// True when a dense layer of m neurons whose W changes at every call (training) computes n rows faster by
    /// <see cref="MultiplyByTransposeAddBias"/>, Wᵀ written anew each time, than by the dot products: for 16 neurons
    /// (GemmNarrowBlocks.cs) and batches of at least <see cref="NarrowForwardRows"/> rows. Measured on the seed network's
    /// 784 → 16: at 10 rows 2.5 µs against 1.9 (writing Wᵀ alone takes 1.0–1.3 µs), at 20 even, at 32 5.8 against 6.7,
    /// at 100 15 against 20. From 64 neurons on the outer products lose (1152 → 64 at 64 rows: 85 µs against 34): those
    /// dot products run near the peak on both cores, and Wᵀ is re-read for every block of 6 rows; 32 neurons went either
    /// way (1152 → 32 at 64 rows 28 against 34 µs, 784 → 32 at 32 rows 12.8 against 11.7), so the rule stays at 16. It
    /// depends on the shape alone, never on the vector width, so a model trains to the same bits with 256- or 512-bit blocks.
    /// </summary>
    public static bool NarrowForwardByTransposePays(int n, int m) => m == 2 * Width && n >= NarrowForwardRows;

    /// <summary>Weight gradient: G = Δᵀ·A, that is G[j, k] = Σᵣ Δ[r, j]·A[r, k] (overwrites G).</summary>
    /// <returns>
    /// True when every value of G was checked finite as it was written (the 256- and 512-bit register blocks add up
    /// what they store, still in registers, into a probe that an infinity or a NaN turns NaN); false when one is
    /// infinite or NaN (or a probe's sum overflowed), or when this path checked nothing. The
    /// trainer's guard then reads G again only when it must (see <see cref="Parameter.GradientCheckedFinite"/>).
    /// </returns>
    public static bool TransposedMultiply(ReadOnlySpan<float> delta, ReadOnlySpan<float> a, Span<float> g, int n, int k, int m)
    {
        CheckLengths(delta.Length, n * m, a.Length, n * k, g.Length, m * k);
        if (FewColumnsManyNeurons(k, m))
        {
            // Few columns (a first convolution sees k = 9 values per pixel) but many neurons: vectorise over
            // the neurons instead, Gᵀ = Aᵀ·Δ, then transpose the small result.
            Span<float> transposed = stackalloc float[k * m];
            bool finite = TransposedMultiply(a, delta, transposed, n, m, k);
            for (int c = 0; c < k; c++)
            {
                for (int j = 0; j < m; j++)
                {
                    g[(j * k) + c] = transposed[(c * m) + j];
                }
            }

            return finite;
        }

        int @unchecked = Portable || !Blocked ? 1 : 0;
        fixed (float* pd = delta, pa = a, pg = g)
        {
            var job = Job.WeightGradient(pd, pa, pg, n, k, m, &@unchecked);
            if (!Portable && Blocked && (long)n * k >= ColumnSplitInputs && k >= 4 * WideWidth)
            {
                // A larger than a core's L2 (a convolution's patches: 14 MB for the ConvNet's second): each core takes
                // columns of G in slabs of 32 for every neuron, so A is read once in all instead of once per core. The
                // split counts half-slabs (a slab's first or second half of the neurons), one range per core, so an odd
                // number of slabs (conv2's 288 columns are 9) still splits evenly: the middle slab's neurons in two.
                int slabs = (k + (2 * WideWidth) - 1) / (2 * WideWidth);
                ForChunks(2 * slabs, 1, (long)n * k * m, job, static (in Job j, int from, int to) => WeightGradientHalfSlabs(j, from, to), chunksPerCore: 1);
            }
            else
            {
                // One chunk per core: every chunk reads all of A (small enough to stay in cache), so more chunks would read it more often.
                ForChunks(m, 4, (long)n * k * m, job, static (in Job j, int from, int to) => WeightGradientNeurons(j, from, to), chunksPerCore: 1);
            }
        }

        return @unchecked == 0;
    }

    /// <summary>Input gradient: D = Δ·W, that is D[r, k] = Σⱼ Δ[r, j]·W[j, k] (overwrites D).</summary>
    public static void Multiply(ReadOnlySpan<float> delta, ReadOnlySpan<float> w, Span<float> d, int n, int k, int m)
    {
        CheckLengths(delta.Length, n * m, w.Length, m * k, d.Length, n * k);
        fixed (float* pd = delta, pw = w, pout = d)
        {
            var job = Job.InputGradient(pd, pw, pout, n, k, m);
            ForChunks(n, 4, (long)n * k * m, job, static (in Job j, int from, int to) => InputGradientRows(j, from, to));
        }
    }

    /// <summary>
    /// True when rows are shorter than the two vectors a block reads (k &lt; 16) but there are at least that many
    /// neurons: the product then runs with the roles of k and m swapped, on a transposed W or G small enough
    /// for the stack.
    /// </summary>
    private static bool FewColumnsManyNeurons(int k, int m) => k < 2 * Width && m >= 2 * Width && Blocked && k * m <= 4096;

    private static void CheckLengths(int first, int firstNeeded, int second, int secondNeeded, int output, int outputNeeded)
    {
        if (first < firstNeeded || second < secondNeeded || output < outputNeeded)
        {
            throw new ArgumentException($"A matrix is too short for the shapes given: inputs hold {first} and {second} values (need {firstNeeded} and {secondNeeded}), the output {output} (needs {outputNeeded}).");
        }
    }
}
