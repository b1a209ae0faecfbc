// The seed network, reproduced: 784-16-16-10 sigmoid neurons, quadratic cost, plain SGD on MNIST.
// Usage: dotnet run -c Release --project samples/SeedNetwork -- [--data DIR] [--epochs N] [--batch-size B]
//        [--learning-rate X] [--final-learning-rate X] [--schedule cosine|linear] [--weight-decay L] [--validation N]
//        [--seed S] [--save FILE] [--evaluate FILE] [--plots DIR]
//        (--help lists them). Every path is checked before training; a mistake prints one line "error: …" and the
//        usage, exit code 2; a failure to write after training prints one line, exit code 1 (see SampleRun.cs).
// In a terminal it shows a progress bar per epoch; after training it writes seed-curves.svg, seed-confusion.svg and
// seed-misclassified.svg next to the saved model (or into --plots DIR, else the current folder).
using System.Diagnostics;
using System.Globalization;
using ScratchNet;
using ScratchNet.Samples;
using SeedNetwork;

return SampleRun.Run(args, SeedOptions.Usage, SeedOptions.Help, Prepare);

// Everything that can be wrong with the command line or the inputs fails here, before any training.
static Func<int> Prepare(string[] args)
{
    SeedOptions options = SeedOptions.Parse(args);
    SampleRun.Require(options.Validate());
    Network? saved = options.EvaluateFile is { } modelFile ? Network.Load(modelFile) : null;
    MnistData mnist = Mnist.Load(options.DataDirectory);
    ValidationSplit split = ValidationSplit.Of(mnist, options.Validation);   // a --validation that leaves nothing to train on fails here
    var cost = new QuadraticCost();
    return saved is null ? () => Train(options, split, cost) : () =>
    {
        Console.WriteLine($"{options.EvaluateFile}: {saved.Evaluate(mnist.Test, cost)}");
        Console.WriteLine($"test accuracy: {saved.Evaluate(mnist.Test).Accuracy * 100:F2}%");
        return SampleRun.Done;
    };
}

static int Train(SeedOptions options, ValidationSplit split, Cost cost)
{
    // The seed's architecture: every neuron a sigmoid, a = σ(W·a + b).
    var network = new Network(
        new Dense(784, 16), new Sigmoid(),
        new Dense(16, 16), new Sigmoid(),
        new Dense(16, 10), new Sigmoid());
    network.Initialize(options.Seed);

    // --validation N: ValidationSplit (samples/Shared) says what to train on and what each epoch reports on.
    (Dataset trainingSet, Dataset reportSet, string reportName) = split;

    var trainer = new Trainer(network, cost, new Sgd(options.LearningRate, weightDecay: options.WeightDecay));
    var training = new TrainingOptions
    {
        Epochs = options.Epochs,
        BatchSize = options.BatchSize,
        Seed = options.Seed,
        LearningRateSchedule = options.Schedule == "cosine"
            ? LearningRateSchedule.Cosine(options.LearningRate, options.FinalLearningRate)
            : LearningRateSchedule.Linear(options.LearningRate, options.FinalLearningRate),
        Validation = reportSet,
    };

    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"784-16-16-10 sigmoid, quadratic cost, SGD η {options.LearningRate} → {options.FinalLearningRate} ({options.Schedule}), λ {options.WeightDecay:0.##########}, batch {options.BatchSize}, {options.Epochs} epochs, seed {options.Seed}, {trainingSet.Count:N0} training digits"));
    Console.WriteLine(network.Summary());
    var clock = Stopwatch.StartNew();
    TrainingHistory history = TrainingConsole.Fit(trainer, trainingSet, training, r =>
        $"epoch {r.Epoch,3}/{r.Epochs}  cost {r.TrainingCost:F4}  {reportName} accuracy {r.Validation!.Accuracy * 100:F2}%  {r.Elapsed.TotalSeconds:F3} s");
    TrainingReport.Finish(network, history, clock, cost, reportSet, options.SaveFile, options.PlotsDirectory, "seed", reportName, reportName);
    return SampleRun.Done;
}
