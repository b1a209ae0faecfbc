using ScratchNet.Kernels;
using ScratchNet.Serialization;

namespace ScratchNet.Tests.Kernels;

/// <summary>The carry-less CRC against its scalar reference, the slicing-by-8 tables.</summary>
public sealed class Crc32FoldingTests
{
    [Fact]
    public void Update_AgreesWithTheTables_ForEveryLengthFrom64To1024AndSeveralStartStates()
    {
        if (!Crc32Folding.IsSupported)
        {
            return; // the tables alone are used; Crc32Tests cover them
        }

        var random = new Random(12);
        byte[] data = new byte[1024 + 16];
        random.NextBytes(data);
        int compared = 0;
        foreach (uint state in new[] { 0u, 0xFFFF_FFFFu, 0x1234_5678u })
        {
            for (int length = Crc32Folding.MinimumLength; length <= 1024; length += 16)
            {
                // Offset 3: unaligned loads.
                ReadOnlySpan<byte> span = data.AsSpan(3, length);
                Assert.Equal(Crc32.Update(state, span), Crc32Folding.Update(state, span));
                compared++;
            }
        }

        Assert.Equal(3 * 61, compared);
    }

    [Fact]
    public void Crc32_OfAMegabyteInOddPieces_MatchesTheTablesInOnePiece()
    {
        byte[] data = new byte[1 << 20];
        new Random(5).NextBytes(data);
        uint expected = ~Crc32.Update(0xFFFF_FFFFu, data);

        uint crc = 0;
        int[] pieces = [1, 63, 64, 65, 100, 4099, 0];
        int at = 0, p = 0;
        while (at < data.Length)
        {
            int length = Math.Min(pieces[p++ % pieces.Length], data.Length - at);
            crc = Crc32.Append(crc, data.AsSpan(at, length));
            at += length;
        }

        Assert.Equal(expected, crc);
        Assert.Equal(expected, Crc32.Compute(data));
    }
}
