namespace ScratchNet.Samples;

/// <summary>
/// One option of a sample's command line: its flag, the name of its value in the usage (N, X, FILE, DIR), and what
/// it does. An empty value name makes it a switch, which takes no value (<c>--fast</c>).
/// </summary>
internal sealed record SampleOption(string Flag, string Value, string Description)
{
    /// <summary>Whether the flag stands alone, without a value after it.</summary>
    public bool IsSwitch => Value.Length == 0;

    /// <summary>The flag as the usage and the help show it: <c>--epochs N</c>, or <c>--fast</c> for a switch.</summary>
    public string Synopsis => IsSwitch ? Flag : $"{Flag} {Value}";
}
