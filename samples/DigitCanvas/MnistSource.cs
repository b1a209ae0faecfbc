using ScratchNet;

namespace DigitCanvas;

/// <summary>
/// The MNIST files for training in the page, found where the repository's tests find them (the directory in
/// <c>SCRATCHNET_MNIST</c>, then <c>data/mnist</c> in the repository, then <c>../shared/datasets/mnist</c>
/// beside it) and loaded once, on first use, for every job to share (about 190 MB as floats).
/// </summary>
/// <remarks>
/// Nothing is loaded until the Train view asks, so the drawing view starts as fast as before and keeps
/// working without the files; the Train view then answers 503 with <see cref="LoadAsync"/>'s message.
/// </remarks>
public sealed class MnistSource
{
    /// <summary>The environment variable naming the directory that holds the four MNIST files.</summary>
    public const string EnvironmentVariable = "SCRATCHNET_MNIST";

    private readonly Lazy<Task<(MnistData? Data, string? Error)>> _load;

    /// <summary>Looks in the usual places (<see cref="DefaultPlaces"/>).</summary>
    public MnistSource()
        : this(DefaultPlaces())
    {
    }

    /// <summary>Looks in <paramref name="places"/>, in order.</summary>
    /// <param name="places">Directories that may hold the four files.</param>
    public MnistSource(IReadOnlyList<string> places)
    {
        Places = places;
        _load = new(() => Task.Run(Load));
    }

    /// <summary>Where the files are looked for, in order.</summary>
    public IReadOnlyList<string> Places { get; }

    /// <summary>
    /// <c>$SCRATCHNET_MNIST</c> when set, then <c>data/mnist</c> and <c>../shared/datasets/mnist</c> relative to
    /// the repository root (the folder holding ScratchNet.sln above the program, else above the current directory).
    /// </summary>
    public static IReadOnlyList<string> DefaultPlaces()
    {
        var places = new List<string>();
        if (Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } fromEnvironment)
        {
            places.Add(Path.GetFullPath(fromEnvironment));
        }

        if ((RepositoryRoot(AppContext.BaseDirectory) ?? RepositoryRoot(Directory.GetCurrentDirectory())) is { } root)
        {
            places.Add(Path.Combine(root, "data", "mnist"));
            places.Add(Path.GetFullPath(Path.Combine(root, "..", "shared", "datasets", "mnist")));
        }

        return places;
    }

    /// <summary>
    /// The training and test sets, loaded by the first call (on a pool thread) and shared by every later one;
    /// or, when no place holds the files, <see langword="null"/> and a message listing the places looked in.
    /// </summary>
    public Task<(MnistData? Data, string? Error)> LoadAsync() => _load.Value;

    private (MnistData? Data, string? Error) Load()
    {
        foreach (string place in Places)
        {
            try
            {
                return (Mnist.Load(place), null);
            }
            catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
            {
                // Not every file is here: try the next place.
            }
            catch (InvalidDataException e)
            {
                return (null, $"Training is not available: the MNIST files in {place} are damaged ({e.Message}).");
            }
        }

        string looked = Places.Count == 0 ? "nowhere (no SCRATCHNET_MNIST, no repository folder)" : string.Join("; ", Places);
        return (null, $"Training is not available: the MNIST files were not found (looked in {looked}). Set {EnvironmentVariable} to the folder that holds them; the drawing view works without them.");
    }

    private static string? RepositoryRoot(string start)
    {
        for (var folder = new DirectoryInfo(start); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "ScratchNet.sln")))
            {
                return folder.FullName;
            }
        }

        return null;
    }
}
