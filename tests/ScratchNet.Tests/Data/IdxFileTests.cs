namespace ScratchNet.Tests.Data;

public sealed class IdxFileTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Read_RawFile_GivesDimensionsAndData()
    {
        string path = IdxBytes.Write(_temp.File("array.idx"), IdxBytes.Counting(2, 3, 4));

        IdxFile file = IdxFile.Read(path);

        Assert.Equal([2, 3, 4], file.Dimensions);
        Assert.Equal(Enumerable.Range(0, 24).Select(i => (byte)i), file.Data.ToArray());
    }

    [Theory]
    [InlineData("array.idx")]
    [InlineData("array.idx.gz")]
    public void Read_GzipFile_IsRecognisedByItsMagicBytesWhateverItsName(string name)
    {
        string path = IdxBytes.Write(_temp.File(name), IdxBytes.Counting(2, 3, 4), gzip: true);

        IdxFile file = IdxFile.Read(path);

        Assert.Equal([2, 3, 4], file.Dimensions);
        Assert.Equal(Enumerable.Range(0, 24).Select(i => (byte)i), file.Data.ToArray());
    }

    [Fact]
    public void Read_RawFileNamedGz_IsReadAsRaw()
    {
        string path = IdxBytes.Write(_temp.File("array.idx.gz"), IdxBytes.Counting(5));

        IdxFile file = IdxFile.Read(path);

        Assert.Equal([5], file.Dimensions);
        Assert.Equal(new byte[] { 0, 1, 2, 3, 4 }, file.Data.ToArray());
    }

    [Fact]
    public void Read_EmptyDimension_GivesNoData()
    {
        string path = IdxBytes.Write(_temp.File("empty.idx"), IdxBytes.Counting(0, 28, 28));

        IdxFile file = IdxFile.Read(path);

        Assert.Equal([0, 28, 28], file.Dimensions);
        Assert.True(file.Data.IsEmpty);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Read_WrongMagic_NamesTheBytesFoundAndExpected(bool gzip)
    {
        byte[] contents = IdxBytes.Counting(4);
        contents[0] = 0x12;
        contents[1] = 0x34;
        string path = IdxBytes.Write(_temp.File("magic.idx"), contents, gzip);

        var e = Assert.Throws<InvalidDataException>(() => IdxFile.Read(path));

        Assert.Contains($"\"{path}\"", e.Message);
        Assert.Contains("it starts with 0x12340801", e.Message);
        Assert.Contains("an IDX file starts with 0x0000", e.Message);
    }

    [Fact]
    public void Read_TextFile_IsRejectedByItsMagic()
    {
        string path = _temp.File("train-images-idx3-ubyte");
        File.WriteAllText(path, "<!DOCTYPE html>");

        var e = Assert.Throws<InvalidDataException>(() => IdxFile.Read(path));

        Assert.Contains("it starts with 0x3C21444F", e.Message);
    }

    [Theory]
    [InlineData(0, false, "expected 4 bytes, found 0")]
    [InlineData(2, false, "expected 4 bytes, found 2")]
    [InlineData(10, false, "expected 12 bytes, found 10")]
    [InlineData(10, true, "expected 12 bytes, found 10 after decompression")]
    public void Read_TruncatedHeader_SaysHowManyBytesWereExpectedAndFound(int length, bool gzip, string expected)
    {
        byte[] contents = IdxBytes.Counting(2, 3)[..length];
        string path = IdxBytes.Write(_temp.File("short.idx"), contents, gzip);

        var e = Assert.Throws<InvalidDataException>(() => IdxFile.Read(path));

        Assert.Contains($"\"{path}\"", e.Message);
        Assert.Contains("the header is truncated: " + expected, e.Message);
    }

    [Theory]
    [InlineData(false, "need 6 bytes, found 5.")]
    [InlineData(true, "need 6 bytes, found 5 after decompression.")]
    public void Read_TruncatedData_SaysHowManyBytesWereExpectedAndFound(bool gzip, string expected)
    {
        byte[] contents = IdxBytes.Build([2, 3], [1, 2, 3, 4, 5]);
        string path = IdxBytes.Write(_temp.File("short.idx"), contents, gzip);

        var e = Assert.Throws<InvalidDataException>(() => IdxFile.Read(path));

        Assert.Contains($"\"{path}\"", e.Message);
        Assert.Contains("the data is truncated: dimensions [2, 3] " + expected, e.Message);
    }

    [Fact]
    public void Read_GzipCutShort_ReportsTheTruncatedData()
    {
        byte[] noise = new byte[10_000];
        new Random(1).NextBytes(noise);
        byte[] gzip = IdxBytes.Gzip(IdxBytes.Build([10_000], noise));
        string path = _temp.File("cut.idx.gz");
        File.WriteAllBytes(path, gzip[..(gzip.Length / 2)]);

        var e = Assert.Throws<InvalidDataException>(() => IdxFile.Read(path));

        Assert.Contains($"\"{path}\"", e.Message);
        Assert.Contains("the data is truncated: dimensions [10000] need 10000 bytes, found ", e.Message);
        Assert.EndsWith(" after decompression.", e.Message);
    }

    [Fact]
    public void Read_BytesAfterTheData_AreAnError()
    {
        byte[] contents = IdxBytes.Build([2, 3], [1, 2, 3, 4, 5, 6, 7, 8]);
        string path = IdxBytes.Write(_temp.File("long.idx"), contents);

        var e = Assert.Throws<InvalidDataException>(() => IdxFile.Read(path));

        Assert.Contains($"\"{path}\"", e.Message);
        Assert.Contains("2 bytes follow the data: dimensions [2, 3] need 6 bytes, found 8", e.Message);
    }

    [Theory]
    [InlineData(0x0D, "0x0D (32-bit float)")]
    [InlineData(0x09, "0x09 (signed byte)")]
    [InlineData(0x42, "0x42 (not an IDX type)")]
    public void Read_UnsupportedTypeCode_NamesTheCode(byte typeCode, string expected)
    {
        string path = IdxBytes.Write(_temp.File("floats.idx"), IdxBytes.Build([1], [0, 0, 0, 0], typeCode));

        var e = Assert.Throws<InvalidDataException>(() => IdxFile.Read(path));

        Assert.Contains($"\"{path}\"", e.Message);
        Assert.Contains($"its type code is {expected}, but only 0x08 (unsigned byte) is supported", e.Message);
    }

    [Fact]
    public void Read_NoDimensions_IsAnError()
    {
        string path = IdxBytes.Write(_temp.File("scalar.idx"), IdxBytes.Build([], [7]));

        var e = Assert.Throws<InvalidDataException>(() => IdxFile.Read(path));

        Assert.Contains("it declares 0 dimensions", e.Message);
    }

    [Fact]
    public void Read_NegativeDimension_IsAnError()
    {
        string path = IdxBytes.Write(_temp.File("negative.idx"), IdxBytes.Build([2, -3], []));

        var e = Assert.Throws<InvalidDataException>(() => IdxFile.Read(path));

        Assert.Contains("dimension 1 has the negative size -3", e.Message);
    }

    [Fact]
    public void Read_DimensionsTooLargeForAnArray_IsAnErrorBeforeAnythingIsAllocated()
    {
        string path = IdxBytes.Write(_temp.File("huge.idx"), IdxBytes.Build([65536, 65536, 65536], []));

        var e = Assert.Throws<InvalidDataException>(() => IdxFile.Read(path));

        Assert.Contains("its dimensions [65536, 65536, 65536] hold more values than an array can", e.Message);
    }

    [Fact]
    public void Read_GzipWithWrongChecksum_IsCorrupt()
    {
        byte[] gzip = IdxBytes.Gzip(IdxBytes.Counting(100));
        gzip[^8] ^= 0xFF; // the first byte of the CRC-32 in the gzip trailer
        string path = _temp.File("crc.idx.gz");
        File.WriteAllBytes(path, gzip);

        var e = Assert.Throws<InvalidDataException>(() => IdxFile.Read(path));

        Assert.Contains($"\"{path}\"", e.Message);
        Assert.Contains("the gzip stream is corrupt", e.Message);
    }

    [Fact]
    public void Read_GzipMagicFollowedByGarbage_IsCorrupt()
    {
        byte[] garbage = [0x1F, 0x8B, 0x63, 0x61, 0x74, 0x20, 0x64, 0x6F, 0x67, 0x20, 0x65, 0x6D, 0x75];
        string path = _temp.File("garbage.idx");
        File.WriteAllBytes(path, garbage);

        var e = Assert.Throws<InvalidDataException>(() => IdxFile.Read(path));

        Assert.Contains($"\"{path}\"", e.Message);
        Assert.Contains("the gzip stream is corrupt", e.Message);
    }

    [Fact]
    public void Read_EightByteFileDeclaringABillionLabels_IsRefusedBeforeAllocatingThem()
    {
        string path = IdxBytes.Write(_temp.File("labels.idx"), IdxBytes.Build([1_000_000_000], []));
        Assert.Equal(8, new FileInfo(path).Length);

        (InvalidDataException e, long allocated) = ThrowsCountingAllocations(path);

        Assert.Equal($"Cannot read the IDX file \"{path}\": the data is truncated: dimensions [1000000000] need 1000000000 bytes, found 0.", e.Message);
        Assert.InRange(allocated, 0, 1 << 20);
    }

    [Fact]
    public void Read_RawFileDeclaringMoreThanItHolds_NamesBytesNeededAndPresent()
    {
        string path = IdxBytes.Write(_temp.File("images.idx"), IdxBytes.Build([60_000, 28, 28], new byte[1000]));

        (InvalidDataException e, long allocated) = ThrowsCountingAllocations(path);

        Assert.Contains("the data is truncated: dimensions [60000, 28, 28] need 47040000 bytes, found 1000.", e.Message);
        Assert.InRange(allocated, 0, 1 << 20);
    }

    [Fact]
    public void Read_GzipDeclaringMoreThanDeflateCanExpandTo_IsRefusedUpFront()
    {
        byte[] gzip = IdxBytes.Gzip(IdxBytes.Build([1_000_000_000], []));
        string path = _temp.File("labels.idx.gz");
        File.WriteAllBytes(path, gzip);
        long deflate = gzip.Length - 10 - 8; // GZipStream writes a 10-byte header with no optional fields

        (InvalidDataException e, long allocated) = ThrowsCountingAllocations(path);

        Assert.Contains(
            $"its dimensions [1000000000] need 1000000000 bytes after the 8-byte header, but the {deflate} bytes of deflate data in this " +
            $"{gzip.Length}-byte gzip file decompress to at most {1032 * deflate} bytes (deflate expands at most 1032:1)",
            e.Message);
        Assert.InRange(allocated, 0, 1 << 20);
    }

    [Fact]
    public void Read_GzipDeclaringAHugeSizeItCouldHold_AllocatesForWhatItDecompressesTo()
    {
        // 100 kB of noise cannot be compressed, so 100 MB is within deflate's 1032:1; the buffer must
        // still not grow past what arrives: at most 8 × the file size (the first buffer) here.
        byte[] noise = new byte[100_000];
        new Random(3).NextBytes(noise);
        byte[] gzip = IdxBytes.Gzip(IdxBytes.Build([100_000_000], noise));
        string path = _temp.File("huge.idx.gz");
        File.WriteAllBytes(path, gzip);

        (InvalidDataException e, long allocated) = ThrowsCountingAllocations(path);

        Assert.Contains("the data is truncated: dimensions [100000000] need 100000000 bytes, found 100000 after decompression.", e.Message);
        Assert.InRange(allocated, 0, (8 * gzip.Length) + (256 * 1024));
    }

    [Fact]
    public void Read_GzipWithoutItsTrailer_IsTruncated()
    {
        // Two empty stored blocks between the contents and the final block: cutting off the 8-byte
        // trailer leaves the contents whole, so only the missing trailer is wrong.
        byte[] whole = IdxBytes.StoredGzip(IdxBytes.Counting(1000), emptyBlocks: 2);
        byte[] gzip = whole[..^8];
        string path = _temp.File("notrailer.idx.gz");
        File.WriteAllBytes(path, gzip);

        var e = Assert.Throws<InvalidDataException>(() => IdxFile.Read(path));

        Assert.Equal(
            $"Cannot read \"{path}\": it starts with the gzip magic bytes 0x1F8B, but the gzip stream is corrupt: the file is truncated: " +
            $"its deflate data, {gzip.Length - 18} bytes up to the last 8 (which must be the trailer), stops before its final block ends, after 1008 decompressed bytes.",
            e.Message);
    }

    [Fact]
    public void Read_GzipWithWrongCrc_NamesBothCrcs()
    {
        byte[] gzip = IdxBytes.Gzip(IdxBytes.Counting(100));
        uint actual = BitConverter.ToUInt32(gzip, gzip.Length - 8);
        gzip[^8] ^= 0xFF;
        string path = _temp.File("crc.idx.gz");
        File.WriteAllBytes(path, gzip);

        var e = Assert.Throws<InvalidDataException>(() => IdxFile.Read(path));

        Assert.Contains($"\"{path}\"", e.Message);
        Assert.EndsWith($"the gzip trailer's CRC-32 is 0x{actual ^ 0xFF:X8}, but the decompressed data's is 0x{actual:X8}.", e.Message);
    }

    [Fact]
    public void Read_GzipWithWrongLength_NamesBothLengths()
    {
        byte[] gzip = IdxBytes.Gzip(IdxBytes.Counting(100));
        gzip[^4] ^= 0x01; // ISIZE 108 (8 header bytes + 100) becomes 109
        string path = _temp.File("isize.idx.gz");
        File.WriteAllBytes(path, gzip);

        var e = Assert.Throws<InvalidDataException>(() => IdxFile.Read(path));

        Assert.EndsWith("the gzip trailer's length (ISIZE) is 109 bytes, but the data decompresses to 108 bytes.", e.Message);
    }

    [Theory]
    [InlineData(new byte[] { 0 })]
    [InlineData(new byte[] { 1, 2, 3 })]
    [InlineData(new byte[] { 0x1F })]
    public void Read_GzipWithBytesAfterTheMember_IsRefused(byte[] appended)
    {
        byte[] gzip = IdxBytes.Gzip(IdxBytes.Counting(100));
        string path = _temp.File("appended.idx.gz");
        File.WriteAllBytes(path, [.. gzip, .. appended]);

        var e = Assert.Throws<InvalidDataException>(() => IdxFile.Read(path));

        Assert.EndsWith(
            $"the gzip stream is corrupt: {appended.Length} bytes follow the gzip member, which ends at byte {gzip.Length} of {gzip.Length + appended.Length}.",
            e.Message);
    }

    [Fact]
    public void Read_GzipFollowedByACopyOfItsOwnTrailer_IsRefused()
    {
        // The file's last 8 bytes are then a trailer matching the data: only where the deflate data
        // ends shows that 8 bytes are left over.
        byte[] gzip = IdxBytes.Gzip(IdxBytes.Counting(100));
        string path = _temp.File("twotrailers.idx.gz");
        File.WriteAllBytes(path, [.. gzip, .. gzip[^8..]]);

        var e = Assert.Throws<InvalidDataException>(() => IdxFile.Read(path));

        Assert.EndsWith($"8 bytes follow the gzip member, which ends at byte {gzip.Length} of {gzip.Length + 8}.", e.Message);
    }

    [Fact]
    public void Read_TwoConcatenatedGzipMembers_AreRefused()
    {
        byte[] contents = IdxBytes.Counting(100);
        byte[] first = IdxBytes.Gzip(contents[..50]);
        byte[] second = IdxBytes.Gzip(contents[50..]);
        string path = _temp.File("twomembers.idx.gz");
        File.WriteAllBytes(path, [.. first, .. second]);

        var e = Assert.Throws<InvalidDataException>(() => IdxFile.Read(path));

        Assert.EndsWith(
            $"a second gzip member starts at byte {first.Length} of {first.Length + second.Length} (concatenated gzip files); an IDX file is read from a single member.",
            e.Message);
    }

    [Fact]
    public void Read_GzipWithOptionalHeaderFields_IsRead()
    {
        // FLG = FEXTRA | FNAME | FCOMMENT | FHCRC, as RFC 1952 lays them out.
        byte[] plain = IdxBytes.Gzip(IdxBytes.Counting(2, 3));
        var header = new List<byte>(plain[..10]);
        header[3] = 0x02 | 0x04 | 0x08 | 0x10;
        header.AddRange([3, 0, 0xAA, 0xBB, 0xCC]);
        header.AddRange("array.idx\0"u8.ToArray());
        header.AddRange("a comment\0"u8.ToArray());
        uint crc = ScratchNet.Serialization.Crc32.Compute(header.ToArray());
        header.AddRange([(byte)crc, (byte)(crc >> 8)]);
        string path = _temp.File("fields.idx.gz");
        File.WriteAllBytes(path, [.. header, .. plain[10..]]);

        IdxFile file = IdxFile.Read(path);

        Assert.Equal([2, 3], file.Dimensions);
        Assert.Equal(Enumerable.Range(0, 6).Select(i => (byte)i), file.Data.ToArray());

        byte[] damaged = [.. header, .. plain[10..]];
        damaged[header.Count - 1] ^= 1;
        File.WriteAllBytes(path, damaged);
        var e = Assert.Throws<InvalidDataException>(() => IdxFile.Read(path));
        Assert.EndsWith($"its header CRC-16 is 0x{(crc & 0xFFFF) ^ 0x100:X4}, but the header's is 0x{crc & 0xFFFF:X4}.", e.Message);
    }

    [Fact]
    public void Read_GzipWithUnknownMethod_NamesIt()
    {
        byte[] gzip = IdxBytes.Gzip(IdxBytes.Counting(4));
        gzip[2] = 7;
        string path = _temp.File("method.idx.gz");
        File.WriteAllBytes(path, gzip);

        var e = Assert.Throws<InvalidDataException>(() => IdxFile.Read(path));

        Assert.EndsWith("the gzip stream is corrupt: its compression method is 7, but gzip's only method is 8 (deflate).", e.Message);
    }

    /// <summary>Reads <paramref name="path"/>, which must fail, and counts the bytes allocated on this thread meanwhile.</summary>
    private static (InvalidDataException Error, long Allocated) ThrowsCountingAllocations(string path)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        InvalidDataException? error = null;
        try
        {
            IdxFile.Read(path);
        }
        catch (InvalidDataException e)
        {
            error = e;
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.NotNull(error);
        return (error, allocated);
    }

    [Fact]
    public void Read_MissingFile_ThrowsFileNotFoundNamingIt()
    {
        string path = _temp.File("absent.idx");

        var e = Assert.Throws<FileNotFoundException>(() => IdxFile.Read(path));

        Assert.Equal(path, e.FileName);
        Assert.Contains(path, e.Message);
    }
}
