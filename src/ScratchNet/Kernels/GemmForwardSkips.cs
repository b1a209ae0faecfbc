using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ScratchNet.Kernels;

/// <summary>
/// The forward product on sparse inputs: blocks of 8 inputs that are 0 in every row of a register block are
/// skipped. An MNIST digit is 0 in four of five pixels, so the seed network's first layer skips about half
/// of its blocks of 8 pixels for a block of 3 digits.
/// </summary>
/// <remarks>
/// Skipping changes no bit. The register blocks (<see cref="DotBlock3x4{TBlocks}"/> and its siblings) run
/// over a list of the blocks that are not all zero instead of every block: every output keeps its one accumulator,
/// and a block that is skipped would have added w·0 = ±0 to each of its lanes. A lane starts at +0 and
/// only ever adds products, and in round-to-nearest a sum is −0 only when both terms are −0, so a lane is
/// never −0 and adding ±0 leaves it as it was. The one difference: a weight that is infinite or NaN times
/// an input of 0 gives NaN without skipping and nothing with it. The trainer checks every step's
/// gradients before the optimizer applies them (TrainingGuard), so weights stay finite in training.
/// </remarks>
internal static unsafe partial class Gemm
{
    /// <summary>The shortest rows for which the forward product looks for zero blocks: below it, looking costs more than skipping saves (the seed's 16→16 layer).</summary>
    private const int MinSkipInputs = 64;

    /// <summary>The longest rows (in blocks of 8) for which the forward product looks for zero blocks: the lists of a panel live on the stack.</summary>
    private const int MaxSkipBlocks = 1024;

    /// <summary>A register block runs over its list of blocks instead of all of them when at most this share (in 1/8) is left.</summary>
    private const int SkipWhenAtMostEighths = 6;

    /// <summary>
    /// Writes to <paramref name="list"/> the offsets (8 × block index) of the blocks of 8 inputs, among the
    /// first k / 8, that are not 0 in every one of the <paramref name="rows"/> rows from <paramref name="a"/>, and
    /// returns how many there are.
    /// </summary>
    private static int ListNonZeroBlocks(float* a, int rows, int k, int* list)
    {
        int count = 0;
        int end = k - (k % Width);
        int i = 0;
        if (WideBlocks)
        {
            // Two blocks per 512-bit load where those are fast; the same list. The rows of the blocks that call this
            // (1 to 6) are read without a loop: with one, its counter and its multiply made the listing take two thirds
            // of the time of the 6-row block's multiply-adds at the seed's 784 inputs (perf: 28% against 42% of a call).
            nint K = k;
            float* a2 = a + (2 * K), a4 = a + (4 * K);
            for (; i + (2 * Width) <= end; i += 2 * Width)
            {
                Vector512<float> both = Vector512.Load(a + i);
                if (rows > 1)
                {
                    both |= Vector512.Load(a + K + i);
                }

                if (rows > 2)
                {
                    both |= Vector512.Load(a2 + i);
                }

                if (rows > 3)
                {
                    both |= Vector512.Load(a2 + K + i);
                }

                if (rows > 4)
                {
                    both |= Vector512.Load(a4 + i);
                }

                if (rows > 5)
                {
                    both |= Vector512.Load(a4 + K + i);
                }

                for (int r = 6; r < rows; r++)
                {
                    both |= Vector512.Load(a + (r * K) + i);
                }

                list[count] = i;
                count += IsZero(both.GetLower()) ? 0 : 1;
                list[count] = i + Width;
                count += IsZero(both.GetUpper()) ? 0 : 1;
            }
        }

        for (; i < end; i += Width)
        {
            Vector256<float> any = Vector256.Load(a + i);
            for (int r = 1; r < rows; r++)
            {
                any |= Vector256.Load(a + (r * k) + i);
            }

            list[count] = i;
            count += IsZero(any) ? 0 : 1;
        }

        return count;
    }

    /// <summary>True when every lane of <paramref name="v"/> is +0 or −0 (±0 has no bit set but the sign); the blank-input test of both products' skips.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool IsZero(Vector256<float> v) => (v.AsInt32() & Vector256.Create(0x7FFFFFFF)) == Vector256<int>.Zero;

    /// <summary>From this many rows on, a product samples its rows before listing their blank blocks (<see cref="ListingPays"/>).</summary>
    private const int SampleFromRows = 256;

    /// <summary>How many groups of 4 rows <see cref="ListingPays"/> samples.</summary>
    private const int SampledGroups = 16;

    /// <summary>
    /// Whether listing the blank blocks of rows [from, to) pays: for fewer than <see cref="SampleFromRows"/> rows (the
    /// seed network's batches) always, as every group is listed; for more (a convolution's patch rows), only when at
    /// least half of <see cref="SampledGroups"/> groups of 4 rows spread over the range would run over their list.
    /// Listing costs a read of every row; on a convolution's inputs after batch norm and ReLU few blocks of 8 channels are
    /// blank in 4 rows at once (4.8% and 9.5% in the ConvNet's second and third), so the lists are mostly not used.
    /// Skipping or not changes no bit (see the remarks above), so neither does this guess.
    /// </summary>
    private static bool ListingPays(float* a, int from, int to, int k, int* scratch)
    {
        int rows = to - from;
        if (rows < SampleFromRows)
        {
            return true;
        }

        int worth = 0, step = rows / SampledGroups;
        for (int s = 0; s < SampledGroups; s++)
        {
            int r = from + (s * step);
            worth += WorthSkipping(ListNonZeroBlocks(a + ((long)r * k), Math.Min(4, to - r), k, scratch), k) ? 1 : 0;
        }

        return 2 * worth >= SampledGroups;
    }

    /// <summary>True when running over a list of <paramref name="count"/> blocks is worth it, against all k / 8.</summary>
    private static bool WorthSkipping(int count, int k) => count * 8 <= SkipWhenAtMostEighths * (k / Width);

    /// <summary>Which blocks of 8 inputs a register block of the forward product runs over, as offsets into a row.</summary>
    private interface IInputBlocks
    {
        /// <summary>How many blocks.</summary>
        int Count { get; }

        /// <summary>The offset (8 × the block's index) of the t-th block.</summary>
        int Offset(int t);
    }

    /// <summary>Every whole block of 8 of a row of k inputs, in order: the dense product.</summary>
    private readonly struct AllBlocks(int k) : IInputBlocks
    {
        public int Count { get; } = k / Width;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public int Offset(int t) => t * Width;
    }

    /// <summary>The blocks that <see cref="ListNonZeroBlocks"/> listed, in order.</summary>
    private readonly struct ListedBlocks(int* list, int count) : IInputBlocks
    {
        public int Count { get; } = count;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public int Offset(int t) => list[t];
    }
}
