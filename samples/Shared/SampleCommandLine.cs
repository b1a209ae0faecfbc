using System.Globalization;
using System.Text;

namespace ScratchNet.Samples;

/// <summary>
/// The command-line plumbing the samples share: flags with values, number parsing with clear errors, finding
/// MNIST, and the usage and help texts built from the options' descriptions.
/// </summary>
internal sealed class SampleCommandLine
{
    private const int UsageWidth = 110;
    private const int FlagColumn = 28;

    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

    /// <summary>Reads <c>--flag value</c> pairs and switches, refusing flags not among <paramref name="known"/>.</summary>
    public SampleCommandLine(string[] args, IReadOnlyList<SampleOption> known)
    {
        for (int i = 0; i < args.Length; i++)
        {
            string flag = args[i];
            if (known.FirstOrDefault(option => option.Flag == flag) is not { } option)
            {
                throw new ArgumentException($"unknown option '{flag}'.");
            }

            if (option.IsSwitch)
            {
                _values[flag] = string.Empty;
                continue;
            }

            if (i + 1 >= args.Length)
            {
                throw new ArgumentException($"{flag} needs a value.");
            }

            _values[flag] = args[++i];
        }
    }

    /// <summary>Whether <paramref name="args"/> ask for the help (<c>--help</c> or <c>-h</c> anywhere), which wins over any other option or mistake.</summary>
    public static bool AsksForHelp(string[] args) => args.Any(arg => arg is "--help" or "-h");

    /// <summary>
    /// <c>usage: PROGRAM [--flag VALUE] … [--help]</c>, wrapped at 110 columns: what a sample prints after an error.
    /// </summary>
    public static string Usage(string program, IReadOnlyList<SampleOption> options)
    {
        string start = $"usage: {program}";
        var usage = new StringBuilder(start);
        int lineLength = start.Length;
        foreach (string piece in options.Select(o => $" [{o.Synopsis}]").Append(" [--help]"))
        {
            if (lineLength + piece.Length > UsageWidth)
            {
                usage.Append('\n').Append(' ', start.Length);
                lineLength = start.Length;
            }

            usage.Append(piece);
            lineLength += piece.Length;
        }

        return usage.ToString();
    }

    /// <summary>What <c>--help</c> prints: the usage, what the program does, one line per option, and the exit codes.</summary>
    public static string Help(string program, string description, IReadOnlyList<SampleOption> options)
    {
        var help = new StringBuilder(Usage(program, options)).Append("\n\n").Append(description).Append("\n\noptions:\n");
        foreach (SampleOption option in options)
        {
            help.Append($"  {option.Synopsis}".PadRight(FlagColumn)).Append(option.Description).Append('\n');
        }

        help.Append("  -h, --help".PadRight(FlagColumn)).Append("print this help and exit\n\n");
        help.Append(
            "Every path is checked before training starts. A mistake prints one line 'error: …' and the usage.\n" +
            "exit codes: 0 done; 1 training ran but writing its results failed; 2 a bad option, path or input file (nothing trained)");
        return help.ToString();
    }

    /// <summary>Refuses options that <paramref name="flag"/> would silently ignore (what <c>--evaluate</c> does not write).</summary>
    public void RefuseWith(string flag, params string[] ignored)
    {
        if (Text(flag) is null)
        {
            return;
        }

        foreach (string other in ignored)
        {
            if (Text(other) is not null)
            {
                throw new ArgumentException($"{other} has no effect with {flag}, which trains nothing; give one or the other.");
            }
        }
    }

    public string? Text(string flag) => _values.GetValueOrDefault(flag);

    /// <summary>Whether the switch <paramref name="flag"/> was given.</summary>
    public bool Switch(string flag) => _values.ContainsKey(flag);

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

    /// <summary>The value of <paramref name="flag"/>, which must be one of <paramref name="choices"/>, else <paramref name="fallback"/>.</summary>
    public string Choice(string flag, string fallback, params string[] choices) =>
        Text(flag) is not { } text ? fallback
        : choices.Contains(text) ? text
        : throw new ArgumentException($"{flag} takes {string.Join(" or ", choices)}, not '{text}'.");

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
