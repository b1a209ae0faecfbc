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
    public void Read_MissingFile_ThrowsFileNotFoundNamingIt()
    {
        string path = _temp.File("absent.idx");

        var e = Assert.Throws<FileNotFoundException>(() => IdxFile.Read(path));

        Assert.Equal(path, e.FileName);
        Assert.Contains(path, e.Message);
    }
}
