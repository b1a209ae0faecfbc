namespace ScratchNet.Samples;

/// <summary>
/// Checks a sample's paths before any training starts, so that a typo costs a second, not an hour of training
/// followed by a stack trace. Each check returns the problem as one line (naming the option), or
/// <see langword="null"/> when the path will work; a <see langword="null"/> path (the option not given) is fine.
/// </summary>
internal static class SamplePaths
{
    /// <summary>A file the sample will read (<c>--evaluate</c>, <c>--resume</c>): it must exist, be a file, and open for reading.</summary>
    public static string? InputFile(string flag, string? path)
    {
        if (path is null)
        {
            return null;
        }

        if (path.Length == 0)
        {
            return $"{flag} needs a file name, not an empty string.";
        }

        if (Directory.Exists(path))
        {
            return $"{flag}: '{path}' is a folder, not a file.";
        }

        if (!File.Exists(path))
        {
            return $"{flag}: the file '{path}' does not exist.";
        }

        try
        {
            using var readable = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 1);
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return $"{flag}: cannot read '{path}': permission denied.";
        }
        catch (IOException e)
        {
            return $"{flag}: cannot read '{path}': {e.Message}";
        }
    }

    /// <summary>
    /// A file the sample will write (<c>--save</c>, <c>--checkpoint</c>): not a folder, in a folder that exists and
    /// takes new files (tried with a probe file, created and deleted), and writable itself if it already exists.
    /// </summary>
    public static string? OutputFile(string flag, string? path)
    {
        if (path is null)
        {
            return null;
        }

        if (path.Length == 0)
        {
            return $"{flag} needs a file name, not an empty string.";
        }

        if (Directory.Exists(path))
        {
            return $"{flag}: '{path}' is a folder; give a file name.";
        }

        string full = Path.GetFullPath(path);
        string folder = Path.GetDirectoryName(full)!;   // null only for a root folder, which Directory.Exists caught
        if (File.Exists(folder))
        {
            return $"{flag}: cannot write '{path}': '{folder}' is a file, not a folder.";
        }

        if (!Directory.Exists(folder))
        {
            return $"{flag}: cannot write '{path}': the folder '{folder}' does not exist.";
        }

        if (Probe(flag, folder) is { } problem)
        {
            return problem;
        }

        if (File.Exists(full))
        {
            try
            {
                // Opening for writing without truncating leaves the old file as it was.
                using var writable = new FileStream(full, FileMode.Open, FileAccess.Write, FileShare.ReadWrite, bufferSize: 1);
            }
            catch (Exception e) when (e is UnauthorizedAccessException or IOException)
            {
                return $"{flag}: cannot replace '{path}': {(e is UnauthorizedAccessException ? "permission denied." : e.Message)}";
            }
        }

        return null;
    }

    /// <summary>
    /// A folder the sample will write files into (<c>--plots</c>): not a file, and either a folder that takes new
    /// files or one the sample can create (its nearest existing parent is a folder that takes new files).
    /// Nothing is created here: a run that stops before training leaves no empty folder behind.
    /// </summary>
    public static string? OutputFolder(string flag, string? path)
    {
        if (path is null)
        {
            return null;
        }

        if (path.Length == 0)
        {
            return $"{flag} needs a folder name, not an empty string.";
        }

        if (File.Exists(path))
        {
            return $"{flag}: '{path}' is a file, not a folder.";
        }

        string full = Path.GetFullPath(path);
        if (Directory.Exists(full))
        {
            return Probe(flag, full);
        }

        for (string? parent = Path.GetDirectoryName(full); parent is not null; parent = Path.GetDirectoryName(parent))
        {
            if (File.Exists(parent))
            {
                return $"{flag}: cannot create the folder '{path}': '{parent}' is a file.";
            }

            if (Directory.Exists(parent))
            {
                return Probe(flag, parent);
            }
        }

        return null;
    }

    /// <summary>Creates and deletes a file with a name no one else uses in <paramref name="folder"/>: the one reliable test of writing there.</summary>
    private static string? Probe(string flag, string folder)
    {
        string probe = Path.Combine(folder, $".scratchnet-write-test-{Guid.NewGuid():N}");
        try
        {
            using (new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1))
            {
            }

            File.Delete(probe);
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return $"{flag}: cannot write in the folder '{folder}': permission denied.";
        }
        catch (IOException e)
        {
            return $"{flag}: cannot write in the folder '{folder}': {e.Message.Replace(probe, folder, StringComparison.Ordinal)}";
        }
    }
}
