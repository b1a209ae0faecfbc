using System.Collections.Frozen;
using System.Security.Cryptography;

using ScratchNet.Kernels;

namespace ScratchNet;

/// <summary>
/// Loads the MNIST handwritten digits (LeCun, Cortes, Burges) from the four official IDX files:
/// <code>
/// MnistData mnist = Mnist.Load("data/mnist");
/// Dataset training = mnist.Training;   // inputs [60000, 784], targets [60000, 10]
/// </code>
/// The files may be raw or gzip-compressed, named as on the MNIST site
/// (<c>train-images-idx3-ubyte</c>, with or without <c>.gz</c>) or with a dot before <c>idx</c>
/// (<c>train-images.idx3-ubyte</c>), as some mirrors name them. Datasets in the same format, such as
/// Fashion-MNIST, load the same way.
/// </summary>
public static class Mnist
{
    /// <summary>The width and height of an image, in pixels.</summary>
    public const int ImageSide = 28;

    /// <summary>The number of pixels of an image, and so the input size of a network (784).</summary>
    public const int PixelCount = ImageSide * ImageSide;

    /// <summary>The number of classes: the digits 0 to 9.</summary>
    public const int ClassCount = 10;

    internal const string TrainingImagesFile = "train-images-idx3-ubyte";
    internal const string TrainingLabelsFile = "train-labels-idx1-ubyte";
    internal const string TestImagesFile = "t10k-images-idx3-ubyte";
    internal const string TestLabelsFile = "t10k-labels-idx1-ubyte";

    /// <summary>
    /// The SHA-256 of each official file's uncompressed contents. Compressed bytes are not compared:
    /// they differ from one gzip implementation to the next while the contents stay the same.
    /// </summary>
    internal static readonly FrozenDictionary<string, string> OfficialSha256 = new Dictionary<string, string>
    {
        [TrainingImagesFile] = "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
        [TrainingLabelsFile] = "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
        [TestImagesFile] = "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
        [TestLabelsFile] = "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
    }.ToFrozenDictionary();

    private static readonly string[] StandardNames = [TrainingImagesFile, TrainingLabelsFile, TestImagesFile, TestLabelsFile];

    /// <summary>Loads the training and test sets from a directory holding the four MNIST files.</summary>
    /// <param name="directory">The directory, e.g. <c>data/mnist</c>.</param>
    /// <returns>The 60,000 training and 10,000 test samples.</returns>
    /// <exception cref="DirectoryNotFoundException">The directory does not exist.</exception>
    /// <exception cref="FileNotFoundException">A file is missing; the message lists every name looked for.</exception>
    /// <exception cref="InvalidDataException">A file is damaged or not the right kind; the message names it and the problem.</exception>
    /// <remarks>
    /// Each file is read by <see cref="IdxFile.Read"/>, with its guarantees: sizes a file declares are
    /// checked against what it can hold before anything is allocated, a gzip file's CRC-32 and length are
    /// checked against its decompressed contents, and bytes after the data or after the gzip member are
    /// refused. Nothing is compared against the official hashes; call <see cref="VerifyChecksums"/> for that.
    /// </remarks>
    public static MnistData Load(string directory)
    {
        string[] files = Locate(directory);
        return new MnistData(LoadPair(files[0], files[1]), LoadPair(files[2], files[3]));
    }

    /// <summary>
    /// Loads one images file and its labels file as a dataset: inputs <c>[N, 784]</c> with pixel / 255 in
    /// [0, 1], targets one-hot <c>[N, 10]</c>. Either file may be raw or gzip-compressed.
    /// </summary>
    /// <param name="imagesPath">An IDX file of N × 28 × 28 unsigned bytes.</param>
    /// <param name="labelsPath">An IDX file of N unsigned bytes, each a digit from 0 to 9.</param>
    /// <exception cref="FileNotFoundException">A file does not exist.</exception>
    /// <exception cref="InvalidDataException">
    /// A file is not a valid IDX file (see <see cref="IdxFile.Read"/>: declared sizes are checked before
    /// allocating, gzip CRC-32 and length are verified, trailing bytes are refused), the images are not
    /// N × 28 × 28, the labels are not one-dimensional, the counts differ, or a label is outside 0 to 9.
    /// The message names the file.
    /// </exception>
    public static Dataset LoadPair(string imagesPath, string labelsPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(imagesPath);
        ArgumentException.ThrowIfNullOrEmpty(labelsPath);

        IdxFile images = IdxFile.Read(imagesPath);
        IReadOnlyList<int> imageDimensions = images.Dimensions;
        if (imageDimensions.Count != 3 || imageDimensions[1] != ImageSide || imageDimensions[2] != ImageSide)
        {
            throw new InvalidDataException(
                $"\"{imagesPath}\" is not an MNIST images file: its dimensions are {Tensor.FormatShape([.. imageDimensions])}, " +
                $"but MNIST images are 3-dimensional, N × {ImageSide} × {ImageSide}.");
        }

        int count = imageDimensions[0];
        if (count == 0)
        {
            throw new InvalidDataException($"\"{imagesPath}\" holds no images.");
        }

        IdxFile labels = IdxFile.Read(labelsPath);
        if (labels.Dimensions.Count != 1)
        {
            throw new InvalidDataException(
                $"\"{labelsPath}\" is not an MNIST labels file: its dimensions are {Tensor.FormatShape([.. labels.Dimensions])}, " +
                "but MNIST labels are 1-dimensional, one byte per image.");
        }

        if (labels.Dimensions[0] != count)
        {
            throw new InvalidDataException(
                $"The image and label counts differ: \"{imagesPath}\" holds {count} images but \"{labelsPath}\" holds {labels.Dimensions[0]} labels.");
        }

        ReadOnlySpan<byte> labelBytes = labels.Data.Span;
        int[] classes = new int[count];
        for (int n = 0; n < count; n++)
        {
            if (labelBytes[n] >= ClassCount)
            {
                throw new InvalidDataException($"\"{labelsPath}\" has the label {labelBytes[n]} at index {n}; MNIST labels are 0 to {ClassCount - 1}.");
            }

            classes[n] = labelBytes[n];
        }

        // The dataset keeps the bytes: training reads them, a quarter of the memory of the floats.
        return Dataset.FromPixelArray(images.Data.ToArray(), [PixelCount], Dataset.OneHot(classes, ClassCount));
    }

    /// <summary>
    /// Checks that the four MNIST files in a directory are the official ones: the SHA-256 of each file's
    /// uncompressed contents must match the published value. Takes about as long as loading them.
    /// </summary>
    /// <param name="directory">The directory, found the same way as by <see cref="Load"/>.</param>
    /// <exception cref="DirectoryNotFoundException">The directory does not exist.</exception>
    /// <exception cref="FileNotFoundException">A file is missing; the message lists every name looked for.</exception>
    /// <exception cref="InvalidDataException">
    /// A file's contents differ (the message names the file and both hashes), or it is a damaged gzip file:
    /// a wrong CRC-32 or length in the trailer, a missing trailer, or bytes after the gzip member.
    /// </exception>
    public static void VerifyChecksums(string directory)
    {
        string[] files = Locate(directory);
        for (int i = 0; i < files.Length; i++)
        {
            string expected = OfficialSha256[StandardNames[i]];
            string actual = Sha256OfContents(files[i]);
            if (actual != expected)
            {
                throw new InvalidDataException(
                    $"\"{files[i]}\" is not the official MNIST file {StandardNames[i]}: the SHA-256 of its uncompressed contents is {actual}, expected {expected}.");
            }
        }
    }

    /// <summary>The names a file is looked for under, in order of preference: raw before compressed, standard before dotted.</summary>
    private static string[] CandidateNames(string standardName)
    {
        string dotted = standardName.Replace("-idx", ".idx", StringComparison.Ordinal);
        return [standardName, standardName + ".gz", dotted, dotted + ".gz"];
    }

    /// <summary>The four files' paths (training images, training labels, test images, test labels), or <see langword="null"/> if any is missing.</summary>
    internal static string[]? TryLocate(string directory)
    {
        string[] files = new string[StandardNames.Length];
        for (int i = 0; i < files.Length; i++)
        {
            string? found = Find(directory, StandardNames[i]);
            if (found is null)
            {
                return null;
            }

            files[i] = found;
        }

        return files;
    }

    private static string[] Locate(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        string full = Path.GetFullPath(directory);
        if (!Directory.Exists(full))
        {
            throw new DirectoryNotFoundException($"The MNIST directory \"{full}\" does not exist.");
        }

        string[]? files = TryLocate(full);
        if (files is null)
        {
            // Report every missing file at once, so that one attempt shows the whole problem.
            string[] missing = StandardNames.Where(name => Find(full, name) is null).ToArray();
            string lists = string.Join("; ", missing.Select(name => string.Join(", ", CandidateNames(name))));
            throw new FileNotFoundException(
                $"The MNIST directory \"{full}\" lacks {missing.Length} of the 4 files. Looked for: {lists}.",
                Path.Combine(full, missing[0]));
        }

        return files;
    }

    private static string? Find(string directory, string standardName) =>
        CandidateNames(standardName).Select(name => Path.Combine(directory, name)).FirstOrDefault(File.Exists);

    private static string Sha256OfContents(string path)
    {
        using Stream contents = IdxFile.OpenContents(path);
        string hash = Convert.ToHexStringLower(SHA256.HashData(contents));
        (contents as GzipMemberStream)?.EnsureComplete();
        return hash;
    }
}
