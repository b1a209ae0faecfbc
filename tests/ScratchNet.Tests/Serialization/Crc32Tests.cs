using System.IO.Compression;
using ScratchNet.Serialization;

namespace ScratchNet.Tests.Serialization;

public sealed class Crc32Tests
{
    [Fact]
    public void Crc32_OfTheStandardCheckString_IsCBF43926()
    {
        // The check value every CRC-32/ISO-HDLC implementation publishes for "123456789".
        Assert.Equal(0xCBF43926u, Crc32.Compute("123456789"u8));
        Assert.Equal(0u, Crc32.Compute([]));
    }

    [Fact]
    public void Crc32_AgreesWithTheTrailerGzipWrites_ForEveryLengthAndSplit()
    {
        var random = new Random(7);
        foreach (int length in new[] { 1, 7, 8, 9, 63, 1000, 65_537 })
        {
            byte[] data = new byte[length];
            random.NextBytes(data);
            using var compressed = new MemoryStream();
            using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
            {
                gzip.Write(data);
            }

            // RFC 1952: the member ends with CRC-32 then ISIZE, little-endian.
            uint expected = BitConverter.ToUInt32(compressed.ToArray(), (int)compressed.Length - 8);
            Assert.Equal(expected, Crc32.Compute(data));
            int split = length / 3;
            Assert.Equal(expected, Crc32.Append(Crc32.Compute(data.AsSpan(0, split)), data.AsSpan(split)));
        }
    }
}
