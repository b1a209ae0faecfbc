using System.Globalization;

namespace SeedNetwork;

/// <summary>The command line of the seed sample; the defaults are the recipe that reaches 95%+.</summary>
internal sealed record SeedOptions
{
    public const string Usage =
        "usage: SeedNetwork [--data DIR] [--epochs N] [--batch-size B] [--learning-rate X] [--final-learning-rate X]\n" +
        "                   [--weight-decay L] [--seed S] [--save FILE] [--evaluate FILE]";

    public string DataDirectory { get; init; } = FindData();
    public int Epochs { get; init; } = 30;
    public int BatchSize { get; init; } = 10;
    public float LearningRate { get; init; } = 1.5f;
    public float FinalLearningRate { get; init; } = 0.01f;
    public float WeightDecay { get; init; } = 1e-4f;
    public int Seed { get; init; } = 1;
    public string? SaveFile { get; init; }
    public string? EvaluateFile { get; init; }

    public static SeedOptions Parse(string[] args)
    {
        var options = new SeedOptions();
        for (int i = 0; i < args.Length; i++)
        {
            string flag = args[i];
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{flag} needs a value.");
            options = flag switch
            {
                "--data" => options with { DataDirectory = Value() },
                "--epochs" => options with { Epochs = Int(flag, Value(), min: 1) },
                "--batch-size" => options with { BatchSize = Int(flag, Value(), min: 1) },
                "--learning-rate" => options with { LearningRate = Float(flag, Value()) },
                "--final-learning-rate" => options with { FinalLearningRate = Float(flag, Value()) },
                "--weight-decay" => options with { WeightDecay = Float(flag, Value(), allowZero: true) },
                "--seed" => options with { Seed = Int(flag, Value(), min: int.MinValue) },
                "--save" => options with { SaveFile = Value() },
                "--evaluate" => options with { EvaluateFile = Value() },
                _ => throw new ArgumentException($"unknown option '{flag}'."),
            };
        }

        return options;
    }

    private static int Int(string flag, string text, int min) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) && value >= min
            ? value
            : throw new ArgumentException($"{flag} takes a whole number{(min > int.MinValue ? $" of at least {min}" : string.Empty)}, not '{text}'.");

    private static float Float(string flag, string text, bool allowZero = false) =>
        float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out float value) && float.IsFinite(value) && (value > 0 || (allowZero && value == 0))
            ? value
            : throw new ArgumentException($"{flag} takes a {(allowZero ? "non-negative" : "positive")} number, not '{text}'.");

    // SCRATCHNET_MNIST, else data/mnist in the current folder or any folder above it (the repository's copy).
    private static string FindData()
    {
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
