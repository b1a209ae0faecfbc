using ScratchNet.Samples;

namespace ConvNet;

/// <summary>
/// The command line of the ConvNet sample; the defaults are the recipe of <c>Pretrained.MnistBest()</c>, or with
/// <c>--fast</c> the time-to-accuracy recipe (see README.md).
/// </summary>
internal sealed record ConvNetOptions(string DataDirectory, int Epochs, int BatchSize, float LearningRate, int Validation, double Average, int Seed, string? SaveFile, string? EvaluateFile, string PlotsDirectory, string? CheckpointFile, string? ResumeFile, IReadOnlyList<int> DoubledBlocks, bool Fast = false, float LabelSmoothing = 0f, float Elastic = 0f, int? ValidationSeed = null)
{
    /// <summary>The test accuracy the <c>--fast</c> recipe races to; it stops after the first epoch that reaches it.</summary>
    public const double FastTarget = 0.990;

    /// <summary>The <c>--fast</c> recipe's defaults, each still changeable by its option.</summary>
    public const int FastEpochs = 3, FastBatchSize = 128;

    /// <summary>The <c>--fast</c> recipe's peak learning rate of Adam.</summary>
    public const float FastLearningRate = 8e-3f;

    /// <summary>Every option, with its one-line description for <c>--help</c>.</summary>
    public static readonly SampleOption[] Options =
    [
        new("--fast", "", "the time-to-accuracy recipe: a smaller network, one-cycle η, no distortions; stops at 99.0% test accuracy"),
        new("--data", "DIR", "the MNIST files (default: $SCRATCHNET_MNIST, else data/mnist here or above)"),
        new("--epochs", "N", "epochs of training (30; --fast: 3)"),
        new("--batch-size", "B", "samples per minibatch (64; --fast: 128)"),
        new("--learning-rate", "X", "Adam's peak learning rate, after one epoch of warm-up (0.002; --fast: 0.008, one-cycle)"),
        new("--validation", "N", "hold out the last N training digits and report on them each epoch, as the recipe was chosen with 5000 (0: train on all, report the test set)"),
        new("--validation-seed", "S", "hold out the --validation digits drawn at random with seed S instead of the last ones (a fold of its own for each S)"),
        new("--average", "B", "keep a moving average of the weights with decay B and end with it (0.999; 0 or --fast: none)"),
        new("--label-smoothing", "E", "train on targets smoothed by E: 1 − E + E/10 for the digit, E/10 for the others (0.1; --fast: 0)"),
        new("--elastic", "A", "also bend every training digit by an elastic distortion of strength A pixels, σ 4 (0: none)"),
        new("--double-block", "N", "give block N (2, 3, or both as 2,3) a second 3×3 convolution first, keeping its input's width (2,3, as Pretrained.MnistBest(); 0: none, the network the benchmarks time; --fast: 0)"),
        new("--seed", "S", "seed of the initial weights, the shuffling, dropout and distortions (1)"),
        new("--save", "FILE", "save the trained model to FILE"),
        new("--evaluate", "FILE", "evaluate the model in FILE on the test set instead of training"),
        new("--plots", "DIR", "folder for the pictures (default: the folder of --save, else the current folder)"),
        new("--checkpoint", "FILE", "write a resumable checkpoint to FILE after every epoch"),
        new("--resume", "FILE", "continue the run checkpointed in FILE (same --epochs, --batch-size, --seed)"),
    ];

    public static string Usage { get; } = SampleCommandLine.Usage("ConvNet", Options);

    public static string Help { get; } = SampleCommandLine.Help(
        "ConvNet",
        "Trains the convolutional network of Pretrained.MnistBest() on MNIST, or evaluates a saved model.",
        Options);

    public static ConvNetOptions Parse(string[] args)
    {
        var line = new SampleCommandLine(args, Options);
        line.RefuseWith("--evaluate", "--save", "--plots", "--checkpoint", "--resume", "--validation", "--average", "--validation-seed", "--fast", "--label-smoothing", "--elastic", "--double-block");
        bool fast = line.Switch("--fast");
        return new ConvNetOptions(
            line.MnistDirectory(),
            line.Int("--epochs", fast ? FastEpochs : 30),
            line.Int("--batch-size", fast ? FastBatchSize : 64),
            line.Float("--learning-rate", fast ? FastLearningRate : 2e-3f),
            line.Int("--validation", 0, min: 0),
            Decay(line.Float("--average", fast ? 0f : 0.999f, allowZero: true)),
            line.Int("--seed", 1, min: int.MinValue),
            line.Text("--save"),
            line.Text("--evaluate"),
            line.PlotsDirectory(),
            line.Text("--checkpoint"),
            line.Text("--resume"),
            Blocks(line.Text("--double-block") ?? (fast ? "0" : "2,3")),
            fast,
            Smoothing(line.Float("--label-smoothing", fast ? 0f : 0.1f, allowZero: true)),
            line.Float("--elastic", 0f, allowZero: true),
            line.Text("--validation-seed") is null ? null : line.Int("--validation-seed", 0, min: int.MinValue));
    }

    /// <summary>A moving average's decay: 0 (none) or above 0 and below 1.</summary>
    private static double Decay(float value) => value < 1
        ? Math.Round(value, 6)
        : throw new ArgumentException($"--average takes a decay from 0 (no average) to below 1, such as 0.999, not '{value.ToString(System.Globalization.CultureInfo.InvariantCulture)}'.");

    /// <summary>The blocks to double: "0" (none), "2", "3" or "2,3".</summary>
    private static IReadOnlyList<int> Blocks(string value) => value switch
    {
        "0" => [],
        "2" => [2],
        "3" => [3],
        "2,3" or "3,2" => [2, 3],
        _ => throw new ArgumentException($"--double-block takes 2, 3 or 2,3 (the blocks to give a second convolution) or 0 (none), not '{value}'."),
    };

    /// <summary>Label smoothing ε: from 0 (none) to below 1.</summary>
    private static float Smoothing(float value) => value < 1
        ? value
        : throw new ArgumentException($"--label-smoothing takes an ε from 0 (none) to below 1, such as 0.1, not '{value.ToString(System.Globalization.CultureInfo.InvariantCulture)}'.");

    /// <summary>
    /// The first problem with the paths (or a <c>--validation-seed</c> without <c>--validation</c>), checked before MNIST
    /// is loaded or anything trained, or <see langword="null"/>. With <c>--evaluate</c> nothing is written, so only that
    /// file is checked.
    /// </summary>
    public string? Validate() => ValidationSeed is not null && Validation == 0
        ? "--validation-seed draws the digits --validation holds out; give --validation N with it."
        : EvaluateFile is not null
        ? SamplePaths.InputFile("--evaluate", EvaluateFile)
        : SamplePaths.InputFile("--resume", ResumeFile)
            ?? SamplePaths.OutputFile("--save", SaveFile)
            ?? SamplePaths.OutputFile("--checkpoint", CheckpointFile)
            ?? SamplePaths.OutputFolder("--plots", PlotsDirectory);
}
