namespace ScratchNet.Kernels;

/// <summary>
/// The split of one product over the cores: its pinned operands in a <see cref="Job"/>, cut into chunks of
/// output rows or output neurons and run on the <see cref="WorkerPool"/>. When to split is decided by the
/// entry points in Gemm.cs; how each chunk is computed, by the block files.
/// </summary>
internal static unsafe partial class Gemm
{
    private delegate void ChunkWork(in Job job, int from, int to);

    /// <summary>
    /// Runs <paramref name="work"/> over [0, count) in chunks that are multiples of <paramref name="grain"/>:
    /// on the calling thread for small products, over the cores (<see cref="RangeSplit"/>, <see cref="WorkerPool"/>)
    /// for those of <paramref name="threshold"/> multiply-adds or more. Each output belongs to one chunk and is
    /// computed the same way whichever chunk holds it, so the split never changes a bit.
    /// </summary>
    private static void ForChunks(int count, int grain, long multiplyAdds, Job job, ChunkWork work, int chunksPerCore = 4, long threshold = ParallelThreshold) =>
        RangeSplit.Run(new JobRanges(job, work), count, grain, split: multiplyAdds >= threshold, rangesPerCore: chunksPerCore);

    /// <summary>A product's rows or neurons [from, to), for <see cref="RangeSplit"/>.</summary>
    private readonly struct JobRanges(Job job, ChunkWork work) : IRangeWork
    {
        public void Run(int from, int to) => work(job, from, to);
    }

    /// <summary>Rows [from, to) of the forward product, written by <typeparamref name="TRows"/> on the thread that multiplies them.</summary>
    private readonly struct FilledRows<TRows>(Job job, TRows rows) : IRangeWork
        where TRows : struct, IRowSource
    {
        public void Run(int from, int to)
        {
            rows.Fill(from, to);
            ForwardRows(job, from, to);
        }
    }

    /// <summary>
    /// Rows [from, to) of the forward by outer products, written by <typeparamref name="TRows"/> and multiplied
    /// <see cref="FilledPanelRows"/> at a time on this thread (a row's sums do not depend on the panel it is in).
    /// </summary>
    private readonly struct FilledPanels<TRows>(Job job, TRows rows) : IRangeWork
        where TRows : struct, IRowSource
    {
        public void Run(int from, int to)
        {
            for (int panel = from; panel < to; panel += FilledPanelRows)
            {
                int end = Math.Min(to, panel + FilledPanelRows);
                rows.Fill(panel, end);
                ForwardByTransposeRows(job, panel, end);
            }
        }
    }

    /// <summary>A's rows already written by the caller: nothing to fill.</summary>
    private readonly struct WrittenRows : IRowSource
    {
        public void Fill(int from, int to)
        {
        }
    }

    /// <summary>
    /// The pinned operands of one product, so the work can be handed to other threads. Each product names
    /// what it passes through its own factory; the operands it does not use stay null.
    /// </summary>
    private readonly struct Job
    {
        private Job(float* a, float* w, float* bias, float* delta, float* output, int n, int k, int m, int* @unchecked = null)
        {
            Unchecked = @unchecked;
            A = a;
            W = w;
            Bias = bias;
            Delta = delta;
            Output = output;
            N = n;
            K = k;
            M = m;
        }

        /// <summary>A, n×k: the inputs of the layer, one row per sample or image patch.</summary>
        public float* A { get; }

        /// <summary>W, m×k: one row per output neuron or filter.</summary>
        public float* W { get; }

        /// <summary>b, m values (forward product only).</summary>
        public float* Bias { get; }

        /// <summary>Δ, n×m: the gradient of the cost with respect to Z (gradient products only).</summary>
        public float* Delta { get; }

        /// <summary>The product being written: Z, G or D.</summary>
        public float* Output { get; }

        /// <summary>Weight gradient only: set to 1 by a part of the product that did not check every value it wrote, or found one infinite or NaN.</summary>
        public int* Unchecked { get; }

        public int N { get; }

        public int K { get; }

        public int M { get; }

        /// <summary>Z = A·Wᵀ + b.</summary>
        public static Job Forward(float* a, float* w, float* bias, float* z, int n, int k, int m) => new(a, w, bias, null, z, n, k, m);

        /// <summary>G = Δᵀ·A.</summary>
        public static Job WeightGradient(float* delta, float* a, float* g, int n, int k, int m, int* @unchecked) => new(a, null, null, delta, g, n, k, m, @unchecked);

        /// <summary>
        /// Z = A·(Wᵀ) + b by the input gradient's blocks: A in the place of Δ, Wᵀ (k×m) in the place of W, so the
        /// job's K is m (Z's columns) and its M is k (the terms of each sum).
        /// </summary>
        public static Job ForwardByTranspose(float* a, float* transposed, float* bias, float* z, int n, int k, int m) => new(null, transposed, bias, a, z, n, m, k);

        /// <summary>D = Δ·W.</summary>
        public static Job InputGradient(float* delta, float* w, float* d, int n, int k, int m) => new(null, w, null, delta, d, n, k, m);
    }
}
