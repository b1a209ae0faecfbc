using ScratchNet.Kernels;

namespace ScratchNet.Tests.Kernels;

/// <summary>The byte form of pixel inputs: exact both ways, and refused for anything that is not b / 255.</summary>
public sealed class PixelBytesTests
{
    [Theory]
    [InlineData(256)]
    [InlineData(263)]
    [InlineData(5)]
    public void Expanding_gives_exactly_the_division_for_every_byte(int length)
    {
        byte[] bytes = Enumerable.Range(0, length).Select(i => (byte)((i * 7) % 256)).ToArray();
        if (length >= 256)
        {
            Enumerable.Range(0, 256).Select(b => (byte)b).ToArray().CopyTo(bytes, 0); // every value, in the vector loop
        }

        float[] values = new float[length];

        PixelBytes.Expand(bytes, values);

        Assert.Equal(bytes.Select(b => BitConverter.SingleToInt32Bits(b / 255f)), values.Select(BitConverter.SingleToInt32Bits));
    }

    [Fact]
    public void Pixel_values_compact_to_their_bytes()
    {
        byte[] bytes = new byte[1003];
        new Random(5).NextBytes(bytes);
        float[] values = bytes.Select(b => b / 255f).ToArray();

        Assert.Equal(bytes, PixelBytes.TryCompact(values));
    }

    [Theory]
    [InlineData(0.3f, 0)]
    [InlineData(0.3f, 40)]
    [InlineData(0.3f, 99)]
    [InlineData(-0f, 17)]
    [InlineData(float.NaN, 8)]
    [InlineData(256 / 255f, 3)]
    [InlineData(-1 / 255f, 64)]
    [InlineData(1.0000001f, 98)]
    public void Values_that_are_not_exactly_pixels_are_refused(float value, int position)
    {
        float[] values = Enumerable.Range(0, 100).Select(i => (i % 256) / 255f).ToArray();
        values[position] = value;

        Assert.Null(PixelBytes.TryCompact(values));
    }

    [Fact]
    public void A_value_one_step_away_from_a_pixel_is_refused()
    {
        float[] values = Enumerable.Range(0, 64).Select(i => i / 255f).ToArray();
        values[33] = BitConverter.Int32BitsToSingle(BitConverter.SingleToInt32Bits(values[33]) + 1);

        Assert.Null(PixelBytes.TryCompact(values));
    }
}
