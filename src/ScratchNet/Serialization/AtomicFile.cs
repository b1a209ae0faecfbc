namespace ScratchNet.Serialization;

/// <summary>
/// Replaces a file atomically: the contents go to a temporary file beside it
/// (<c>&lt;name&gt;.&lt;8 hex digits&gt;.tmp</c>), which is flushed to disk and renamed over the target.
/// A crash leaves either the old file or the new one, never half of one.
/// </summary>
/// <remarks>
/// A process killed during a save leaves its temporary file behind; the next save to the same target
/// removes such leftovers. A temporary file is known to be a leftover when it can be opened with
/// <see cref="FileShare.None"/>: a save in progress holds that lock (on Linux and macOS .NET takes an
/// advisory lock, which the kernel drops when a process dies), so a concurrent save is never disturbed.
/// </remarks>
internal static class AtomicFile
{
    /// <summary>Writes <paramref name="path"/> through <paramref name="write"/>, atomically.</summary>
    /// <param name="path">The target, as the user gave it (messages name it, not the temporary file).</param>
    /// <param name="write">Writes the whole contents.</param>
    /// <param name="wrap">Wraps the temporary file's stream (tests make it fail half-way); <see langword="null"/> for none.</param>
    /// <exception cref="IOException">The folder is missing or not writable, the disk is full…; the message names <paramref name="path"/>.</exception>
    public static void Write(string path, Action<Stream> write, Func<Stream, Stream>? wrap = null)
    {
        string full = Path.GetFullPath(path);
        if (Directory.Exists(full))
        {
            throw new IOException($"Cannot save to {path}: it is a directory.");
        }

        string temp = full + "." + Convert.ToHexStringLower(BitConverter.GetBytes(Random.Shared.Next())) + ".tmp";
        try
        {
            RemoveLeftovers(full);
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                if (wrap is null)
                {
                    write(stream);
                }
                else
                {
                    using Stream wrapped = wrap(stream);
                    write(wrapped);
                    wrapped.Flush();
                }

                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, full, overwrite: true);
        }
        catch (Exception e)
        {
            TryDelete(temp);
            switch (e)
            {
                case DirectoryNotFoundException:
                    throw new DirectoryNotFoundException($"Cannot save to {path}: its folder does not exist.", e);
                case UnauthorizedAccessException:
                    throw new UnauthorizedAccessException($"Cannot save to {path}: {Describe(e, temp, path)}", e);
                case IOException:
                    throw new IOException($"Cannot save to {path}: {Describe(e, temp, path)}", e);
                default:
                    throw;
            }
        }
    }

    /// <summary>The temporary files that earlier saves to <paramref name="full"/> left behind.</summary>
    internal static IEnumerable<string> Leftovers(string full)
    {
        string? folder = Path.GetDirectoryName(full);
        if (folder is null || !Directory.Exists(folder))
        {
            return [];
        }

        string name = Path.GetFileName(full);
        return Directory.EnumerateFiles(folder, name + ".*.tmp")
            .Where(f => Path.GetFileName(f).Length == name.Length + 13);   // ".", 8 hex digits, ".tmp"
    }

    private static void RemoveLeftovers(string full)
    {
        foreach (string leftover in Leftovers(full))
        {
            try
            {
                using var probe = new FileStream(leftover, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
                File.Delete(leftover);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Still being written by a save in progress, or not ours to delete: leave it.
            }
        }
    }

    /// <summary>Deletes the temporary file after a failure; a failure here must not hide the first one.</summary>
    private static void TryDelete(string temp)
    {
        try
        {
            File.Delete(temp);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The next save to the same target removes it.
        }
    }

    /// <summary>The system's message with the temporary file's name replaced by the target's.</summary>
    private static string Describe(Exception e, string temp, string path) => e.Message.Replace(temp, path, StringComparison.Ordinal);
}
