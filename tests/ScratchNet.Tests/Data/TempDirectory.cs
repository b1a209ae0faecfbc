namespace ScratchNet.Tests.Data;

/// <summary>A fresh, empty directory under the system temp folder, deleted with everything in it on dispose.</summary>
internal sealed class TempDirectory : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("scratchnet-data-").FullName;

    /// <summary>The full path of a file in this directory.</summary>
    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
