// A convolutional network for MNIST: three 3×3 convolution blocks with batch norm and max pooling, a dense
// layer with dropout, softmax cross-entropy, Adam with warm-up and cosine decay, and small random
// distortions of the training digits.
// --fast trains a smaller network instead, with a one-cycle η per step and no distortions, and stops at the first
// epoch with 99.0% test accuracy, printing the seconds since process start (time to accuracy; see README.md).
// Usage: dotnet run -c Release --project samples/ConvNet -- [--fast] [--data DIR] [--epochs N] [--batch-size B]
//        [--learning-rate X] [--validation N] [--validation-seed S] [--average B] [--label-smoothing E]
//        [--elastic A] [--double-block N] [--seed S] [--save FILE] [--evaluate FILE] [--plots DIR]
//        [--checkpoint FILE] [--resume FILE]
// --checkpoint writes a resumable checkpoint after every epoch; --resume continues a run from one, bit for bit
// (give the same --epochs, --batch-size and --seed as the interrupted run). --help lists the options.
// Every path is checked, and a model or checkpoint loaded, before training; a mistake prints one line
// "error: …" and the usage, exit code 2; a failure to write during or after training prints one line, exit
// code 1 (see SampleRun.cs).
// In a terminal it shows a progress bar per epoch; after training it writes convnet-curves.svg, convnet-confusion.svg
// and convnet-misclassified.svg next to the saved model (or into --plots DIR, else the current folder).
using System.Diagnostics;
using ConvNet;
using ScratchNet;
using ScratchNet.Samples;

return SampleRun.Run(args, ConvNetOptions.Usage, ConvNetOptions.Help, Prepare);

// Everything that can be wrong with the command line or the inputs (a damaged model or checkpoint too) fails
// here, before any training.
static Func<int> Prepare(string[] args)
{
    ConvNetOptions options = ConvNetOptions.Parse(args);
    SampleRun.Require(options.Validate());
    Network? saved = options.EvaluateFile is { } modelFile ? Network.Load(modelFile) : null;
    TrainingCheckpoint? resume = options.ResumeFile is { } resumeFile ? TrainingCheckpoint.Load(resumeFile) : null;
    MnistData mnist = Mnist.Load(options.DataDirectory);
    ValidationSplit split = ValidationSplit.Of(mnist, options.Validation, options.ValidationSeed);   // a --validation that leaves nothing to train on fails here
    var cost = new SoftmaxCrossEntropyCost();
    return saved is null ? () => Train(options, split, mnist.Test, cost, resume) : () =>
    {
        Console.WriteLine($"{options.EvaluateFile}: {saved.Evaluate(mnist.Test, cost)}");
        Console.WriteLine($"test accuracy: {saved.Evaluate(mnist.Test).Accuracy * 100:F2}%");
        return SampleRun.Done;
    };
}

static int Train(ConvNetOptions options, ValidationSplit split, Dataset test, Cost cost, TrainingCheckpoint? resume)
{
    if (resume is not null)
    {
        Console.WriteLine($"Resuming {options.ResumeFile} after epoch {resume.Epoch} of {resume.Epochs}");
    }

    // See ConvNetModel.cs: 3 conv blocks and dense 256, or for --fast 2 smaller blocks and dense 128.
    Network network = resume?.Network ?? (options.Fast ? ConvNetModel.CreateFast(options.Seed) : ConvNetModel.Create(options.Seed, options.DoubledBlocks));

    // --validation N (--validation-seed S): ValidationSplit (samples/Shared) says what to train on and what each epoch reports on.
    (Dataset trainingSet, Dataset reportSet, string reportName) = split;

    // --average B: the network ends with the moving average of its weights (ExponentialMovingAverage), each epoch validated.
    ExponentialMovingAverage? average = options.Average > 0 ? new ExponentialMovingAverage(options.Average) : null;
    TrainingCallback[] checkpoint = options.CheckpointFile is { } checkpointFile ? [new ModelCheckpoint(checkpointFile, saveBestOnly: false, resumable: true)] : [];
    TrainingCallback[] averaging = average is null ? [] : [average];

    // --label-smoothing E: the trainer's cost (and so the printed costs) uses smoothed targets; accuracies are unchanged by it.
    var trainer = new Trainer(network, new SoftmaxCrossEntropyCost(options.LabelSmoothing), new Adam(options.LearningRate, weightDecay: 1e-4f));
    var training = new TrainingOptions
    {
        Epochs = options.Epochs,
        BatchSize = options.BatchSize,
        Seed = options.Seed,
        Validation = reportSet,
        ResumeFrom = resume,
    };
    training = options.Fast
        ? training with
        {
            // η per step, and a stop at the target: the race is to the first epoch at 99.0% (see README.md).
            Callbacks = [new OneCycleSchedule(options.LearningRate, warmup: 0.25f), .. checkpoint, .. averaging, new TargetAccuracy(ConvNetOptions.FastTarget)],
        }
        : training with
        {
            LearningRateSchedule = LearningRateSchedule.WarmupCosine(options.LearningRate, warmupEpochs: 1, final: options.LearningRate / 100),
            Augmentation = new ImageAugmentation(28, 28, maxShift: 2f, maxRotationDegrees: 10f, maxScale: 0.1f, elasticAlpha: options.Elastic, elasticSigma: 4f),
            Callbacks = [.. checkpoint, .. averaging],
        };

    string schedule = options.Fast ? "one-cycle" : "warm-up + cosine";
    Console.WriteLine($"ConvNet{(options.Fast ? " --fast" : "")}: {network.ParameterCount:N0} parameters, Adam η {options.LearningRate} ({schedule}), batch {options.BatchSize}, {options.Epochs} epochs, seed {options.Seed}, {trainingSet.Count:N0} training digits{(average is null ? string.Empty : $", weights averaged with β {average.Decay}")}{(options.LabelSmoothing == 0f ? string.Empty : $", labels smoothed by {options.LabelSmoothing}")}{(options.Elastic == 0f ? string.Empty : $", elastic distortion α {options.Elastic} σ 4")}{DoubledText(options.DoubledBlocks)}, {Environment.ProcessorCount} cores");
    Console.WriteLine(network.Summary());
    var clock = Stopwatch.StartNew();
    TrainingHistory history = TrainingConsole.Fit(trainer, trainingSet, training, r =>
        $"epoch {r.Epoch,3}/{r.Epochs}  cost {r.TrainingCost:F4}  {reportName} accuracy {r.Validation!.Accuracy * 100:F2}%" +
        (average is null ? string.Empty : $" (averaged weights {average.Validations[^1].Accuracy * 100:F2}%)") +
        $"  {r.Elapsed.TotalSeconds:F1} s");
    TrainingReport.Finish(network, history, clock, cost, test, options.SaveFile, options.PlotsDirectory, "convnet", epochSetName: reportName);
    return SampleRun.Done;
}

/// <summary>The summary line's words for the doubled blocks: ", block 3 doubled", ", blocks 2 and 3 doubled" or nothing.</summary>
static string DoubledText(IReadOnlyList<int> blocks) => blocks.Count switch
{
    0 => string.Empty,
    1 => $", block {blocks[0]} doubled",
    _ => $", blocks {string.Join(" and ", blocks)} doubled",
};
