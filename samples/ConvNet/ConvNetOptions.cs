using ScratchNet.Samples;

namespace ConvNet;

/// <summary>The command line of the ConvNet sample; the defaults are the recipe of <c>Pretrained.MnistBest()</c>.</summary>
internal sealed record ConvNetOptions(string DataDirectory, int Epochs, int BatchSize, float LearningRate, int Seed, string? SaveFile, string? EvaluateFile, string PlotsDirectory, string? CheckpointFile, string? ResumeFile)
{
    public const string Usage =
        "usage: ConvNet [--data DIR] [--epochs N] [--batch-size B] [--learning-rate X] [--seed S] [--save FILE] [--evaluate FILE] [--plots DIR] [--checkpoint FILE] [--resume FILE]";

    public static ConvNetOptions Parse(string[] args)
    {
        var line = new SampleCommandLine(args, "--data", "--epochs", "--batch-size", "--learning-rate", "--seed", "--save", "--evaluate", "--plots", "--checkpoint", "--resume");
        return new ConvNetOptions(
            line.MnistDirectory(),
            line.Int("--epochs", 20),
            line.Int("--batch-size", 64),
            line.Float("--learning-rate", 2e-3f),
            line.Int("--seed", 1, min: int.MinValue),
            line.Text("--save"),
            line.Text("--evaluate"),
            line.PlotsDirectory(),
            line.Text("--checkpoint"),
            line.Text("--resume"));
    }
}
