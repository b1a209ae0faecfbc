using FsCheck.Xunit;

namespace ScratchNet.Tests.Data;

/// <summary>
/// The class of an output row (Dataset.ArgMax, behind Dataset.Label, Network.Predict's class and the training
/// accuracy) is found with vector maxima for rows of 8 values or more: the same index as the plain loop, which
/// keeps the first of the largest values, passes over NaNs after the first value and gives 0 for a NaN first value.
/// </summary>
public sealed class ArgMaxTests
{
    /// <summary>Values drawn from a few, so that rows have ties, ±0, infinities and NaNs.</summary>
    private static readonly float[] Pool = [0f, -0f, 1f, -1f, 0.5f, 0.25f, 2f, float.PositiveInfinity, float.NegativeInfinity, float.MaxValue, -float.MaxValue, float.NaN];

    [Property]
    public void The_vector_search_gives_the_plain_loops_index(int seed, byte length, bool withNaN)
    {
        var random = new Random(seed);
        float[] row = new float[1 + (length % 40)];
        int kinds = withNaN ? Pool.Length : Pool.Length - 1; // NaN last in the pool: rows without any half of the time
        for (int i = 0; i < row.Length; i++)
        {
            row[i] = random.Next(4) == 0 ? (float)random.NextDouble() : Pool[random.Next(kinds)];
        }

        Assert.Equal(PlainArgMax(row), Dataset.ArgMax(row));
        if (row.Length >= 8 && !row.Any(float.IsNaN) && System.Runtime.Intrinsics.Vector256.IsHardwareAccelerated)
        {
            // The vector search itself answers rows without NaN (it once compared its NaN mask as floats and never did).
            Assert.Equal(PlainArgMax(row), Dataset.ArgMaxWithoutNaN(row));
        }
    }

    [Theory]
    [InlineData(new float[] { 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 }, 9)]        // in the last, overlapping block
    [InlineData(new float[] { 0, 3, 0, 0, 0, 0, 0, 0, 3, 1 }, 1)]        // a tie: the first
    [InlineData(new float[] { -0f, 0, 0, 0, 0, 0, 0, 0 }, 0)]             // −0 and +0 are equal: the first
    [InlineData(new float[] { float.NaN, 5, 0, 0, 0, 0, 0, 0, 0 }, 0)]    // a NaN first value: 0, as the loop gives
    [InlineData(new float[] { 1, 5, 0, 0, float.NaN, 0, 0, 0, 9 }, 8)]    // a later NaN is passed over
    public void Rows_of_the_kinds_the_loop_decides(float[] row, int expected) =>
        Assert.Equal(expected, Dataset.ArgMax(row));

    /// <summary>The definition: the first index whose value is larger than every value before it, kept.</summary>
    private static int PlainArgMax(float[] values)
    {
        int best = 0;
        for (int i = 1; i < values.Length; i++)
        {
            if (values[i] > values[best])
            {
                best = i;
            }
        }

        return best;
    }
}
