namespace ScratchNet.Tests;

/// <summary>
/// Finds the MNIST files for tests, and loads them at most once per test run. Looks, in order, in the
/// directory named by the environment variable <c>SCRATCHNET_MNIST</c>, in <c>data/mnist</c> at the
/// repository root, and in <c>../shared/datasets/mnist</c> beside the repository root.
/// </summary>
/// <remarks>
/// When no place has the files the tests that need them fail, listing the places looked: a test that
/// skips silently would let a broken checkout pass.
/// </remarks>
internal static class MnistLocator
{
    public const string EnvironmentVariable = "SCRATCHNET_MNIST";

    private static readonly Lazy<string?> LazyRepositoryRoot = new(FindRepositoryRoot);
    private static readonly Lazy<(string Directory, MnistData Data)> LazyFound = new(FindAndLoad);

    /// <summary>The folder holding ScratchNet.sln, or <see langword="null"/> if the tests run outside the repository.</summary>
    public static string? RepositoryRoot => LazyRepositoryRoot.Value;

    /// <summary>The directory holding the four MNIST files (found by loading them, so this loads <see cref="Data"/> too).</summary>
    public static string DataDirectory => LazyFound.Value.Directory;

    /// <summary>The MNIST training and test sets, loaded on first use and shared by every test.</summary>
    public static MnistData Data => LazyFound.Value.Data;

    /// <remarks>
    /// Uses only ScratchNet's public API (<see cref="Mnist.Load"/>), because this file is also linked into
    /// tests/ScratchNet.DigitCanvas.Tests, which does not see the library's internals. A candidate lacking
    /// the files is passed over; one whose files are damaged stops the search with the loader's message.
    /// </remarks>
    private static (string Directory, MnistData Data) FindAndLoad()
    {
        var looked = new List<string>();
        foreach (string candidate in Candidates(looked))
        {
            if (Directory.Exists(candidate))
            {
                try
                {
                    return (candidate, Mnist.Load(candidate));
                }
                catch (FileNotFoundException)
                {
                    // Not every file is here: try the next place.
                }
            }

            looked.Add(candidate);
        }

        throw new InvalidOperationException(
            "The MNIST files (train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte, " +
            "t10k-labels-idx1-ubyte, each raw or .gz) were not found. Looked in:" + Environment.NewLine +
            string.Join(Environment.NewLine, looked.Select(place => "  " + place)) + Environment.NewLine +
            $"Set {EnvironmentVariable} to the directory that holds them.");
    }

    private static IEnumerable<string> Candidates(List<string> notes)
    {
        string? fromEnvironment = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (string.IsNullOrEmpty(fromEnvironment))
        {
            notes.Add($"{EnvironmentVariable} (not set)");
        }
        else
        {
            yield return Path.GetFullPath(fromEnvironment);
        }

        if (RepositoryRoot is null)
        {
            notes.Add($"the repository root (no folder holding ScratchNet.sln above {AppContext.BaseDirectory})");
            yield break;
        }

        yield return Path.Combine(RepositoryRoot, "data", "mnist");
        yield return Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared", "datasets", "mnist"));
    }

    private static string? FindRepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "ScratchNet.sln")))
            {
                return folder.FullName;
            }
        }

        return null;
    }
}
