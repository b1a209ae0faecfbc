using ScratchNet.Samples;

namespace SeedNetwork;

/// <summary>The command line of the seed sample; the defaults are the recipe that reaches 95%+.</summary>
internal sealed record SeedOptions(
    string DataDirectory, int Epochs, int BatchSize, float LearningRate, float FinalLearningRate, float WeightDecay, int Seed, string? SaveFile, string? EvaluateFile, string PlotsDirectory)
{
    public const string Usage =
        "usage: SeedNetwork [--data DIR] [--epochs N] [--batch-size B] [--learning-rate X] [--final-learning-rate X]\n" +
        "                   [--weight-decay L] [--seed S] [--save FILE] [--evaluate FILE] [--plots DIR]";

    public static SeedOptions Parse(string[] args)
    {
        var line = new SampleCommandLine(args, "--data", "--epochs", "--batch-size", "--learning-rate", "--final-learning-rate", "--weight-decay", "--seed", "--save", "--evaluate", "--plots");
        return new SeedOptions(
            line.MnistDirectory(),
            line.Int("--epochs", 30),
            line.Int("--batch-size", 10),
            line.Float("--learning-rate", 1.5f),
            line.Float("--final-learning-rate", 0.01f),
            line.Float("--weight-decay", 1e-4f, allowZero: true),
            line.Int("--seed", 1, min: int.MinValue),
            line.Text("--save"),
            line.Text("--evaluate"),
            line.PlotsDirectory());
    }
}
