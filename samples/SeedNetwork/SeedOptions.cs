using ScratchNet.Samples;

namespace SeedNetwork;

/// <summary>The command line of the seed sample; the defaults are the recipe of <c>Pretrained.MnistSeed()</c> (96%+).</summary>
internal sealed record SeedOptions(
    string DataDirectory, int Epochs, int BatchSize, float LearningRate, float FinalLearningRate, string Schedule, float WeightDecay, int Validation, int Seed, string? SaveFile, string? EvaluateFile, string PlotsDirectory)
{
    /// <summary>Every option, with its one-line description for <c>--help</c>.</summary>
    public static readonly SampleOption[] Options =
    [
        new("--data", "DIR", "the MNIST files (default: $SCRATCHNET_MNIST, else data/mnist here or above)"),
        new("--epochs", "N", "epochs of training (60)"),
        new("--batch-size", "B", "samples per minibatch (10)"),
        new("--learning-rate", "X", "the first epoch's learning rate η (2)"),
        new("--final-learning-rate", "X", "the last epoch's η (0.01)"),
        new("--schedule", "S", "how η falls between them: cosine or linear (cosine)"),
        new("--weight-decay", "L", "L2 weight decay λ (0.00005; 0 for none)"),
        new("--validation", "N", "hold out the last N training digits and report on them, not on the test set (0: none)"),
        new("--seed", "S", "seed of the initial weights and the shuffling (1)"),
        new("--save", "FILE", "save the trained model to FILE"),
        new("--evaluate", "FILE", "evaluate the model in FILE on the test set instead of training"),
        new("--plots", "DIR", "folder for the pictures (default: the folder of --save, else the current folder)"),
    ];

    public static string Usage { get; } = SampleCommandLine.Usage("SeedNetwork", Options);

    public static string Help { get; } = SampleCommandLine.Help(
        "SeedNetwork",
        "Trains the seed network (784-16-16-10 sigmoid, quadratic cost, plain SGD) on MNIST, or evaluates a saved model.",
        Options);

    public static SeedOptions Parse(string[] args)
    {
        var line = new SampleCommandLine(args, Options);
        line.RefuseWith("--evaluate", "--save", "--plots", "--validation");
        return new SeedOptions(
            line.MnistDirectory(),
            line.Int("--epochs", 60),
            line.Int("--batch-size", 10),
            line.Float("--learning-rate", 2f),
            line.Float("--final-learning-rate", 0.01f),
            line.Choice("--schedule", "cosine", "cosine", "linear"),
            line.Float("--weight-decay", 5e-5f, allowZero: true),
            line.Int("--validation", 0, min: 0),
            line.Int("--seed", 1, min: int.MinValue),
            line.Text("--save"),
            line.Text("--evaluate"),
            line.PlotsDirectory());
    }

    /// <summary>
    /// The first problem with the paths, checked before MNIST is loaded or anything trained, or
    /// <see langword="null"/>. With <c>--evaluate</c> nothing is written, so only that file is checked.
    /// </summary>
    public string? Validate() => EvaluateFile is not null
        ? SamplePaths.InputFile("--evaluate", EvaluateFile)
        : SamplePaths.OutputFile("--save", SaveFile) ?? SamplePaths.OutputFolder("--plots", PlotsDirectory);
}
