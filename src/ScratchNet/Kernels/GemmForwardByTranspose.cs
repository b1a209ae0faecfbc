using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ScratchNet.Kernels;

/// <summary>
/// The forward product by outer products (<see cref="MultiplyByTransposeAddBias"/>): W written transposed, then the
/// input gradient's blocks (GemmInputGradientBlocks.cs, GemmWideBlocks.cs), then the bias.
/// </summary>
internal static unsafe partial class Gemm
{
    /// <summary>Side of the tiles <see cref="Transpose"/> copies: 8 rows of W read, 8 rows of Wᵀ written.</summary>
    private const int TransposeTile = 8;

    /// <summary>Rows [from, to) of Z = A·(Wᵀ) + b. (Job from <see cref="Job.ForwardByTranspose"/>: Delta = A, W = Wᵀ, K = m, M = k.)</summary>
    private static void ForwardByTransposeRows(in Job job, int from, int to)
    {
        InputGradientRows(job, from, to);
        int m = job.K;
        for (int r = from; r < to; r++)
        {
            VectorMath.Axpy(1f, new ReadOnlySpan<float>(job.Bias, m), new Span<float>(job.Output + (r * m), m));
        }
    }

    /// <summary>
    /// Wᵀ[c, j] = W[j, c] for W of m×k (<paramref name="rows"/> = m): whole 8×8 tiles in registers where AVX runs,
    /// the edges one value at a time.
    /// </summary>
    private static void Transpose(float* w, int rows, int k, float* transposed)
    {
        int jTiles = Avx.IsSupported ? rows / TransposeTile * TransposeTile : 0;
        int cTiles = Avx.IsSupported ? k / TransposeTile * TransposeTile : 0;

        // Columns of W outside: the 8 columns' cache lines of every row stay in L1 for the next 8, and the
        // rows of Wᵀ are written one after another.
        for (int c = 0; c < cTiles; c += TransposeTile)
        {
            for (int j = 0; j < jTiles; j += TransposeTile)
            {
                TransposeTile8(w + (j * k) + c, k, transposed + (c * rows) + j, rows);
            }
        }

        for (int j = 0; j < rows; j++)
        {
            for (int c = j < jTiles ? cTiles : 0; c < k; c++)
            {
                transposed[(c * rows) + j] = w[(j * k) + c];
            }
        }
    }

    /// <summary>One 8×8 tile: 8 rows of W, <paramref name="k"/> apart, become 8 rows of Wᵀ, <paramref name="m"/> apart (unpack, shuffle, swap halves).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void TransposeTile8(float* w, int k, float* transposed, int m)
    {
        Vector256<float> t0 = Avx.UnpackLow(Avx.LoadVector256(w), Avx.LoadVector256(w + k));
        Vector256<float> t1 = Avx.UnpackHigh(Avx.LoadVector256(w), Avx.LoadVector256(w + k));
        Vector256<float> t2 = Avx.UnpackLow(Avx.LoadVector256(w + (2 * k)), Avx.LoadVector256(w + (3 * k)));
        Vector256<float> t3 = Avx.UnpackHigh(Avx.LoadVector256(w + (2 * k)), Avx.LoadVector256(w + (3 * k)));
        Vector256<float> t4 = Avx.UnpackLow(Avx.LoadVector256(w + (4 * k)), Avx.LoadVector256(w + (5 * k)));
        Vector256<float> t5 = Avx.UnpackHigh(Avx.LoadVector256(w + (4 * k)), Avx.LoadVector256(w + (5 * k)));
        Vector256<float> t6 = Avx.UnpackLow(Avx.LoadVector256(w + (6 * k)), Avx.LoadVector256(w + (7 * k)));
        Vector256<float> t7 = Avx.UnpackHigh(Avx.LoadVector256(w + (6 * k)), Avx.LoadVector256(w + (7 * k)));
        Vector256<float> u0 = Avx.Shuffle(t0, t2, 0x44);
        Vector256<float> u1 = Avx.Shuffle(t0, t2, 0xEE);
        Vector256<float> u2 = Avx.Shuffle(t1, t3, 0x44);
        Vector256<float> u3 = Avx.Shuffle(t1, t3, 0xEE);
        Vector256<float> u4 = Avx.Shuffle(t4, t6, 0x44);
        Vector256<float> u5 = Avx.Shuffle(t4, t6, 0xEE);
        Vector256<float> u6 = Avx.Shuffle(t5, t7, 0x44);
        Vector256<float> u7 = Avx.Shuffle(t5, t7, 0xEE);
        Avx.Store(transposed, Avx.Permute2x128(u0, u4, 0x20));
        Avx.Store(transposed + m, Avx.Permute2x128(u1, u5, 0x20));
        Avx.Store(transposed + (2 * m), Avx.Permute2x128(u2, u6, 0x20));
        Avx.Store(transposed + (3 * m), Avx.Permute2x128(u3, u7, 0x20));
        Avx.Store(transposed + (4 * m), Avx.Permute2x128(u0, u4, 0x31));
        Avx.Store(transposed + (5 * m), Avx.Permute2x128(u1, u5, 0x31));
        Avx.Store(transposed + (6 * m), Avx.Permute2x128(u2, u6, 0x31));
        Avx.Store(transposed + (7 * m), Avx.Permute2x128(u3, u7, 0x31));
    }
}
