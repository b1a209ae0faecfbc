using System.IO.Compression;
using System.Security.Cryptography;

namespace ScratchNet.Tests.Data;

/// <summary>The MNIST loader on the real files, loaded once for the whole run by <see cref="MnistLocator"/>.</summary>
public sealed class MnistRealDataTests
{
    [Fact]
    public void Load_GivesSixtyThousandTrainingAndTenThousandTestSamples()
    {
        MnistData mnist = MnistLocator.Data;

        Assert.True(mnist.Training.Inputs.HasShape([60_000, 784]));
        Assert.True(mnist.Training.Targets.HasShape([60_000, 10]));
        Assert.True(mnist.Test.Inputs.HasShape([10_000, 784]));
        Assert.True(mnist.Test.Targets.HasShape([10_000, 10]));
    }

    [Fact]
    public void Load_InputsLieInZeroOneAndUseTheWholeRange()
    {
        foreach (Dataset data in new[] { MnistLocator.Data.Training, MnistLocator.Data.Test })
        {
            float min = float.MaxValue, max = float.MinValue;
            foreach (float x in data.Inputs.Span)
            {
                min = Math.Min(min, x);
                max = Math.Max(max, x);
            }

            Assert.Equal(0f, min);
            Assert.Equal(1f, max);
        }
    }

    [Fact]
    public void Load_MeanPixelIsTheWellKnownValue()
    {
        // 0.1307 is the training-set mean every MNIST normalisation quotes; a reversed byte order or a
        // skipped header would move it.
        double sum = 0;
        foreach (float x in MnistLocator.Data.Training.Inputs.Span)
        {
            sum += x;
        }

        Assert.Equal(0.1307, sum / MnistLocator.Data.Training.Inputs.Length, precision: 4);
    }

    [Fact]
    public void Load_FirstLabelsAreFiveForTrainingAndSevenForTest()
    {
        Assert.Equal([5, 0, 4, 1, 9], Enumerable.Range(0, 5).Select(MnistLocator.Data.Training.Label));
        Assert.Equal([7, 2, 1, 0, 4], Enumerable.Range(0, 5).Select(MnistLocator.Data.Test.Label));
    }

    [Fact]
    public void Load_TargetsAreOneHot()
    {
        Span<float> targets = MnistLocator.Data.Training.Targets.Span;
        int ones = 0;
        foreach (float y in targets)
        {
            Assert.True(y is 0f or 1f);
            ones += y == 1f ? 1 : 0;
        }

        Assert.Equal(60_000, ones);
    }

    [Theory]
    [InlineData(0, 0, 0)] // the top-left corner is background
    [InlineData(5, 12, 3)] // the faint start of the five's top stroke
    [InlineData(5, 21, 255)]
    [InlineData(6, 15, 253)]
    public void Load_FirstTrainingImageHasKnownPixels(int row, int column, int value)
    {
        Span<float> image = MnistLocator.Data.Training.Inputs.Sample(0);

        Assert.Equal(value / 255f, image[(row * Mnist.ImageSide) + column]);
    }

    [Fact]
    public void VerifyChecksums_ShippedFilesAreTheOfficialOnes()
    {
        string shipped = Path.Combine(RepositoryRoot(), "data", "mnist");

        Exception? thrown = Record.Exception(() => Mnist.VerifyChecksums(shipped));

        Assert.Null(thrown);
    }

    [Fact]
    public void VerifyChecksums_NamesACopyWithOneChangedByteAndBothHashes()
    {
        const string Name = "t10k-labels-idx1-ubyte";
        string shipped = Path.Combine(RepositoryRoot(), "data", "mnist");
        using var copy = new TempDirectory();
        foreach (string file in Directory.GetFiles(shipped, "*.gz"))
        {
            File.Copy(file, copy.File(Path.GetFileName(file)));
        }

        // The test labels uncompressed, with the first label (a 7, after the 8-byte header) made an 8: still a
        // valid IDX file, so only the hash can tell. Written raw, the name the loader prefers, in place of the .gz.
        byte[] labels = Gunzip(Path.Combine(shipped, Name + ".gz"));
        string official = Mnist.OfficialSha256[Name];
        Assert.Equal(official, Sha256(labels));
        Assert.Equal(7, labels[8]);
        labels[8] = 8;
        File.Delete(copy.File(Name + ".gz"));
        File.WriteAllBytes(copy.File(Name), labels);

        var error = Assert.Throws<InvalidDataException>(() => Mnist.VerifyChecksums(copy.Path));

        Assert.Equal(
            $"\"{copy.File(Name)}\" is not the official MNIST file {Name}: the SHA-256 of its uncompressed contents is {Sha256(labels)}, expected {official}.",
            error.Message);
    }

    [Fact]
    public void ShippedSha256Sums_MatchTheHashesInTheLibrary()
    {
        string sums = Path.Combine(RepositoryRoot(), "data", "mnist", "SHA256SUMS");
        var listed = File.ReadLines(sums)
            .Where(line => line.Length > 0 && !line.StartsWith('#'))
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .ToDictionary(parts => parts[1], parts => parts[0]);

        Assert.Equal(Mnist.OfficialSha256.OrderBy(p => p.Key), listed.OrderBy(p => p.Key));
    }

    private static byte[] Gunzip(string path)
    {
        using var gzip = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var contents = new MemoryStream();
        gzip.CopyTo(contents);
        return contents.ToArray();
    }

    private static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    private static string RepositoryRoot() =>
        MnistLocator.RepositoryRoot ?? throw new InvalidOperationException($"No folder holding ScratchNet.sln above {AppContext.BaseDirectory}.");
}
