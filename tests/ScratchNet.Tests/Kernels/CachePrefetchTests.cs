using ScratchNet.Kernels;

namespace ScratchNet.Tests.Kernels;

/// <summary>Prefetching is only a hint, but a row outside the data is a bug in the caller and is reported.</summary>
public sealed class CachePrefetchTests
{
    [Fact]
    public void Rows_inside_the_data_are_accepted_and_change_nothing()
    {
        float[] data = [1, 2, 3, 4, 5, 6];

        CachePrefetch.Rows<float>(data, 3, [1, 0, 1]);

        Assert.Equal([1f, 2, 3, 4, 5, 6], data);
    }

    [Fact]
    public void A_row_outside_the_data_is_refused_with_its_number()
    {
        byte[] data = new byte[10];

        var e = Assert.Throws<ArgumentOutOfRangeException>(() => CachePrefetch.Rows<byte>(data, 5, [0, 2]));

        Assert.StartsWith("Row 2 is outside the 2 rows given.", e.Message);
    }
}
