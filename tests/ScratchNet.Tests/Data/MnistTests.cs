using System.Security.Cryptography;

namespace ScratchNet.Tests.Data;

/// <summary>The MNIST loader on small crafted files: what it accepts and how it reports what it rejects.</summary>
public sealed class MnistTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void LoadPair_ScalesPixelsToZeroOneAndMakesOneHotTargets()
    {
        string images = IdxBytes.Write(_temp.File("images"), IdxBytes.Images(3));
        string labels = IdxBytes.Write(_temp.File("labels"), IdxBytes.Labels(0, 9, 3));

        Dataset data = Mnist.LoadPair(images, labels);

        Assert.True(data.Inputs.HasShape([3, 784]));
        Assert.True(data.Targets.HasShape([3, 10]));
        Assert.Equal(0f, data.Inputs.Sample(0)[0]);
        Assert.Equal(1f, data.Inputs.Sample(0)[255]);
        Assert.Equal(2 / 255f, data.Inputs.Sample(1)[1]);
        Assert.Equal(1f, data.Inputs.Sample(2)[253]);
        Assert.Equal([0, 9, 3], Enumerable.Range(0, 3).Select(data.Label));
        Assert.Equal([0f, 0f, 0f, 1f, 0f, 0f, 0f, 0f, 0f, 0f], data.Targets.Sample(2).ToArray());
    }

    [Fact]
    public void Load_FindsTheStandardNamesGzippedOrNot()
    {
        WriteAll(["train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte.gz"], trainCount: 3, testCount: 2);

        MnistData mnist = Mnist.Load(_temp.Path);

        Assert.Equal(3, mnist.Training.Count);
        Assert.Equal(2, mnist.Test.Count);
        Assert.Equal(2, mnist.Training.Label(2));
        Assert.Equal(1, mnist.Test.Label(1));
    }

    [Fact]
    public void Load_FindsTheDottedNames()
    {
        WriteAll(["train-images.idx3-ubyte", "train-labels.idx1-ubyte.gz", "t10k-images.idx3-ubyte.gz", "t10k-labels.idx1-ubyte"], trainCount: 4, testCount: 1);

        MnistData mnist = Mnist.Load(_temp.Path);

        Assert.Equal(4, mnist.Training.Count);
        Assert.Equal(1, mnist.Test.Count);
    }

    [Fact]
    public void Load_MissingFile_ListsEveryNameLookedForAndTheDirectory()
    {
        WriteAll(["train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"], trainCount: 1, testCount: 1);
        File.Delete(_temp.File("t10k-labels-idx1-ubyte"));

        var e = Assert.Throws<FileNotFoundException>(() => Mnist.Load(_temp.Path));

        Assert.Contains($"\"{_temp.Path}\"", e.Message);
        Assert.Contains("lacks 1 of the 4 files", e.Message);
        Assert.Contains("t10k-labels-idx1-ubyte, t10k-labels-idx1-ubyte.gz, t10k-labels.idx1-ubyte, t10k-labels.idx1-ubyte.gz", e.Message);
        Assert.DoesNotContain("train-images", e.Message);
        Assert.Equal(_temp.File("t10k-labels-idx1-ubyte"), e.FileName);
    }

    [Fact]
    public void Load_EmptyDirectory_ListsAllFourFiles()
    {
        var e = Assert.Throws<FileNotFoundException>(() => Mnist.Load(_temp.Path));

        Assert.Contains("lacks 4 of the 4 files", e.Message);
        foreach (string name in new[] { "train-images", "train-labels", "t10k-images", "t10k-labels" })
        {
            Assert.Contains(name + ".idx", e.Message);
        }
    }

    [Fact]
    public void Load_MissingDirectory_ThrowsDirectoryNotFoundNamingIt()
    {
        string missing = _temp.File("nowhere");

        var e = Assert.Throws<DirectoryNotFoundException>(() => Mnist.Load(missing));

        Assert.Contains($"\"{missing}\"", e.Message);
    }

    [Theory]
    [InlineData(new[] { 784 }, "[784]")]
    [InlineData(new[] { 2, 784 }, "[2, 784]")]
    [InlineData(new[] { 2, 28, 27 }, "[2, 28, 27]")]
    [InlineData(new[] { 1, 1, 28, 28 }, "[1, 1, 28, 28]")]
    public void LoadPair_ImagesNotNBy28By28_NamesTheDimensionsFound(int[] dimensions, string found)
    {
        string images = IdxBytes.Write(_temp.File("images"), IdxBytes.Counting(dimensions));
        string labels = IdxBytes.Write(_temp.File("labels"), IdxBytes.Labels(1, 2));

        var e = Assert.Throws<InvalidDataException>(() => Mnist.LoadPair(images, labels));

        Assert.Contains($"\"{images}\" is not an MNIST images file: its dimensions are {found}", e.Message);
        Assert.Contains("3-dimensional, N × 28 × 28", e.Message);
    }

    [Fact]
    public void LoadPair_LabelsNotOneDimensional_NamesTheDimensionsFound()
    {
        string images = IdxBytes.Write(_temp.File("images"), IdxBytes.Images(2));
        string labels = IdxBytes.Write(_temp.File("labels"), IdxBytes.Counting(2, 1));

        var e = Assert.Throws<InvalidDataException>(() => Mnist.LoadPair(images, labels));

        Assert.Contains($"\"{labels}\" is not an MNIST labels file: its dimensions are [2, 1]", e.Message);
    }

    [Fact]
    public void LoadPair_SwappedFiles_AreCaughtByTheirDimensions()
    {
        string images = IdxBytes.Write(_temp.File("images"), IdxBytes.Images(2));
        string labels = IdxBytes.Write(_temp.File("labels"), IdxBytes.Labels(1, 2));

        var e = Assert.Throws<InvalidDataException>(() => Mnist.LoadPair(labels, images));

        Assert.Contains($"\"{labels}\" is not an MNIST images file: its dimensions are [2]", e.Message);
    }

    [Fact]
    public void LoadPair_CountsDiffer_NamesBothFilesAndBothCounts()
    {
        string images = IdxBytes.Write(_temp.File("images"), IdxBytes.Images(3));
        string labels = IdxBytes.Write(_temp.File("labels"), IdxBytes.Labels(1, 2));

        var e = Assert.Throws<InvalidDataException>(() => Mnist.LoadPair(images, labels));

        Assert.Contains($"\"{images}\" holds 3 images but \"{labels}\" holds 2 labels", e.Message);
    }

    [Fact]
    public void LoadPair_LabelTen_NamesTheIndexAndTheValue()
    {
        string images = IdxBytes.Write(_temp.File("images"), IdxBytes.Images(3));
        string labels = IdxBytes.Write(_temp.File("labels"), IdxBytes.Labels(4, 10, 9));

        var e = Assert.Throws<InvalidDataException>(() => Mnist.LoadPair(images, labels));

        Assert.Contains($"\"{labels}\" has the label 10 at index 1; MNIST labels are 0 to 9", e.Message);
    }

    [Fact]
    public void LoadPair_NoImages_IsAnError()
    {
        string images = IdxBytes.Write(_temp.File("images"), IdxBytes.Images(0));
        string labels = IdxBytes.Write(_temp.File("labels"), IdxBytes.Labels());

        var e = Assert.Throws<InvalidDataException>(() => Mnist.LoadPair(images, labels));

        Assert.Contains($"\"{images}\" holds no images", e.Message);
    }

    [Fact]
    public void LoadPair_DamagedFile_PassesOnTheIdxError()
    {
        byte[] truncated = IdxBytes.Images(2)[..100];
        string images = IdxBytes.Write(_temp.File("images.gz"), truncated, gzip: true);
        string labels = IdxBytes.Write(_temp.File("labels"), IdxBytes.Labels(1, 2));

        var e = Assert.Throws<InvalidDataException>(() => Mnist.LoadPair(images, labels));

        Assert.Contains($"\"{images}\": the data is truncated: dimensions [2, 28, 28] need 1568 bytes, found 84 after decompression", e.Message);
    }

    [Fact]
    public void LoadPair_MissingFile_ThrowsFileNotFoundNamingIt()
    {
        string images = IdxBytes.Write(_temp.File("images"), IdxBytes.Images(2));
        string labels = _temp.File("labels");

        var e = Assert.Throws<FileNotFoundException>(() => Mnist.LoadPair(images, labels));

        Assert.Equal(labels, e.FileName);
    }

    [Fact]
    public void VerifyChecksums_OtherFiles_NamesTheFileAndBothHashes()
    {
        WriteAll(["train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"], trainCount: 1, testCount: 1);
        string file = _temp.File("train-images-idx3-ubyte.gz");
        string actual = Convert.ToHexStringLower(SHA256.HashData(IdxBytes.Images(1)));

        var e = Assert.Throws<InvalidDataException>(() => Mnist.VerifyChecksums(_temp.Path));

        Assert.Contains($"\"{file}\" is not the official MNIST file train-images-idx3-ubyte", e.Message);
        Assert.Contains($"the SHA-256 of its uncompressed contents is {actual}, expected ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db", e.Message);
    }

    [Fact]
    public void VerifyChecksums_CorruptGzip_NamesTheFile()
    {
        WriteAll(["train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"], trainCount: 1, testCount: 1);
        string file = _temp.File("train-images-idx3-ubyte");
        byte[] gzip = IdxBytes.Gzip(IdxBytes.Images(1));
        gzip[^8] ^= 0xFF; // the CRC-32 in the gzip trailer
        File.WriteAllBytes(file, gzip);

        var e = Assert.Throws<InvalidDataException>(() => Mnist.VerifyChecksums(_temp.Path));

        Assert.Contains($"\"{file}\"", e.Message);
        Assert.Contains("the gzip stream is corrupt", e.Message);
    }

    [Fact]
    public void VerifyChecksums_BytesAfterTheGzipMember_AreRefused()
    {
        WriteAll(["train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"], trainCount: 1, testCount: 1);
        string file = _temp.File("train-images-idx3-ubyte.gz");
        byte[] gzip = File.ReadAllBytes(file);
        File.WriteAllBytes(file, [.. gzip, 0, 0]);

        var e = Assert.Throws<InvalidDataException>(() => Mnist.VerifyChecksums(_temp.Path));

        Assert.Equal(
            $"Cannot read \"{file}\": it starts with the gzip magic bytes 0x1F8B, but the gzip stream is corrupt: " +
            $"2 bytes follow the gzip member, which ends at byte {gzip.Length} of {gzip.Length + 2}.",
            e.Message);
    }

    [Fact]
    public void VerifyChecksums_GzipWithoutTrailer_IsTruncated()
    {
        WriteAll(["train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"], trainCount: 1, testCount: 1);
        string file = _temp.File("train-images-idx3-ubyte");
        File.WriteAllBytes(file, IdxBytes.StoredGzip(IdxBytes.Images(1), emptyBlocks: 2)[..^8]);

        var e = Assert.Throws<InvalidDataException>(() => Mnist.VerifyChecksums(_temp.Path));

        Assert.Contains($"\"{file}\"", e.Message);
        Assert.Contains("the gzip stream is corrupt: the file is truncated: its deflate data", e.Message);
        Assert.EndsWith("stops before its final block ends, after 800 decompressed bytes.", e.Message);
    }

    [Fact]
    public void VerifyChecksums_MissingDirectory_ThrowsDirectoryNotFound()
    {
        Assert.Throws<DirectoryNotFoundException>(() => Mnist.VerifyChecksums(_temp.File("nowhere")));
    }

    /// <summary>Writes crafted images and labels under the given names (training images, training labels, test images, test labels); names ending in .gz are compressed. Sample n has label n mod 10.</summary>
    private void WriteAll(string[] names, int trainCount, int testCount)
    {
        int[] counts = [trainCount, trainCount, testCount, testCount];
        for (int i = 0; i < 4; i++)
        {
            byte[] contents = i % 2 == 0
                ? IdxBytes.Images(counts[i])
                : IdxBytes.Labels(Enumerable.Range(0, counts[i]).Select(n => (byte)(n % 10)).ToArray());
            IdxBytes.Write(_temp.File(names[i]), contents, gzip: names[i].EndsWith(".gz", StringComparison.Ordinal));
        }
    }
}
