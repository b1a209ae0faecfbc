namespace ScratchNet.Samples;

/// <summary>One option of a sample's command line: its flag, the name of its value in the usage (N, X, FILE, DIR), and what it does.</summary>
internal sealed record SampleOption(string Flag, string Value, string Description);
