using System.Globalization;

namespace ScratchNet.Samples;

/// <summary>The command-line plumbing the samples share: flags with values, number parsing with clear errors, finding MNIST.</summary>
internal sealed class SampleCommandLine
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

    /// <summary>Reads <c>--flag value</c> pairs, refusing flags not in <paramref name="known"/>.</summary>
    public SampleCommandLine(string[] args, params string[] known)
    {
        for (int i = 0; i < args.Length; i++)
        {
            string flag = args[i];
            if (!known.Contains(flag))
            {
                throw new ArgumentException($"unknown option '{flag}'.");
            }

            if (i + 1 >= args.Length)
            {
                throw new ArgumentException($"{flag} needs a value.");
            }

            _values[flag] = args[++i];
        }
    }

    public string? Text(string flag) => _values.GetValueOrDefault(flag);

    public int Int(string flag, int fallback, int min = 1)
    {
        if (Text(flag) is not { } text)
        {
            return fallback;
        }

        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) && value >= min
            ? value
            : throw new ArgumentException($"{flag} takes a whole number{(min > int.MinValue ? $" of at least {min}" : string.Empty)}, not '{text}'.");
    }

    public float Float(string flag, float fallback, bool allowZero = false)
    {
        if (Text(flag) is not { } text)
        {
            return fallback;
        }

        return float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out float value) && float.IsFinite(value) && (value > 0 || (allowZero && value == 0))
            ? value
            : throw new ArgumentException($"{flag} takes a {(allowZero ? "non-negative" : "positive")} number, not '{text}'.");
    }

    /// <summary>--plots, else the folder of --save (the pictures go next to the model), else the current folder.</summary>
    public string PlotsDirectory() =>
        Text("--plots") ?? (Text("--save") is { } save ? Path.GetDirectoryName(Path.GetFullPath(save))! : Directory.GetCurrentDirectory());

    /// <summary>--data, else SCRATCHNET_MNIST, else data/mnist in the current folder or any folder above it (the repository's copy).</summary>
    public string MnistDirectory()
    {
        if (Text("--data") is { } given)
        {
            return given;
        }

        if (Environment.GetEnvironmentVariable("SCRATCHNET_MNIST") is { Length: > 0 } fromEnvironment)
        {
            return fromEnvironment;
        }

        for (var folder = new DirectoryInfo(Directory.GetCurrentDirectory()); folder is not null; folder = folder.Parent)
        {
            string candidate = Path.Combine(folder.FullName, "data", "mnist");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        return Path.Combine("data", "mnist");
    }
}
