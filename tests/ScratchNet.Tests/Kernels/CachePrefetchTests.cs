using ScratchNet.Kernels;

namespace ScratchNet.Tests.Kernels;

/// <summary>
/// Prefetching is only a hint and changes no value, so what can be tested is its guard: every row from 0 to
/// the last whole row is accepted, and a row outside the data is a bug in the caller and is refused, naming
/// the row and how many whole rows there are.
/// </summary>
/// <remarks>
/// Without SSE (an Arm machine) <see cref="CachePrefetch.Rows{T}"/> returns before checking anything, so the
/// refusals fail there: the guard is then missing, which is what they are for.
/// </remarks>
public sealed class CachePrefetchTests
{
    [Theory]
    [InlineData(6, 3, new[] { 0, 1 })]             // both rows, the last one included
    [InlineData(6, 3, new[] { 1, 0, 1 })]          // repeated and out of order
    [InlineData(10, 4, new[] { 0, 1 })]            // two whole rows and two elements left over
    [InlineData(1000, 100, new[] { 9, 0, 5 })]     // rows of 400 bytes: several cache lines each
    [InlineData(6, 3, new int[0])]                 // nothing to prefetch
    public void Every_whole_row_is_accepted_and_the_data_keeps_its_values(int length, int rowLength, int[] rows)
    {
        float[] data = [.. Enumerable.Range(1, length).Select(i => (float)i)];

        Exception? thrown = Record.Exception(() => CachePrefetch.Rows<float>(data, rowLength, rows));

        Assert.Null(thrown);
        Assert.Equal(Enumerable.Range(1, length).Select(i => (float)i), data);
    }

    [Theory]
    [InlineData(6, 3, new[] { 2 }, 2, 2)]          // one past the last row
    [InlineData(10, 5, new[] { 0, 2 }, 2, 2)]      // refused after a good row
    [InlineData(10, 4, new[] { 2 }, 2, 2)]         // the partial third row is not a row
    [InlineData(6, 3, new[] { -1 }, -1, 2)]        // negative
    [InlineData(6, 3, new[] { int.MaxValue }, int.MaxValue, 2)]
    [InlineData(2, 3, new[] { 0 }, 0, 0)]          // data shorter than one row: no rows at all
    public void A_row_outside_the_data_is_refused_with_its_number_and_the_row_count(int length, int rowLength, int[] rows, int refused, int rowCount)
    {
        byte[] data = new byte[length];

        var e = Assert.Throws<ArgumentOutOfRangeException>(() => CachePrefetch.Rows<byte>(data, rowLength, rows));

        Assert.Equal("rows", e.ParamName);
        Assert.Equal(refused, e.ActualValue);
        Assert.Equal($"Row {refused} is outside the {rowCount} rows given. (Parameter 'rows'){Environment.NewLine}Actual value was {refused}.", e.Message);
    }
}
