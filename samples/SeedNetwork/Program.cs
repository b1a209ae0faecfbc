// The seed network, reproduced: 784-16-16-10 sigmoid neurons, quadratic cost, plain SGD on MNIST.
// Usage: dotnet run -c Release --project samples/SeedNetwork -- [--data DIR] [--epochs N] [--batch-size B]
//        [--learning-rate X] [--final-learning-rate X] [--weight-decay L] [--seed S] [--save FILE] [--evaluate FILE] [--plots DIR]
// In a terminal it shows a progress bar per epoch; after training it writes seed-curves.svg, seed-confusion.svg and
// seed-misclassified.svg next to the saved model (or into --plots DIR, else the current folder).
using System.Diagnostics;
using ScratchNet;
using ScratchNet.Samples;
using SeedNetwork;

SeedOptions options;
MnistData mnist;
try
{
    options = SeedOptions.Parse(args);
    mnist = Mnist.Load(options.DataDirectory);
}
catch (Exception e) when (e is ArgumentException or IOException or InvalidDataException)
{
    Console.Error.WriteLine($"error: {e.Message}");
    Console.Error.WriteLine(SeedOptions.Usage);
    return 2;
}

var cost = new QuadraticCost();
if (options.EvaluateFile is { } modelFile)
{
    Network saved = Network.Load(modelFile);
    Console.WriteLine($"{modelFile}: {saved.Evaluate(mnist.Test, cost)}");
    Console.WriteLine($"test accuracy: {saved.Evaluate(mnist.Test).Accuracy * 100:F2}%");
    return 0;
}

// The seed's architecture: every neuron a sigmoid, a = σ(W·a + b).
var network = new Network(
    new Dense(784, 16), new Sigmoid(),
    new Dense(16, 16), new Sigmoid(),
    new Dense(16, 10), new Sigmoid());
network.Initialize(options.Seed);

var trainer = new Trainer(network, cost, new Sgd(options.LearningRate, options.WeightDecay));
var training = new TrainingOptions
{
    Epochs = options.Epochs,
    BatchSize = options.BatchSize,
    Seed = options.Seed,
    LearningRateSchedule = LearningRateSchedule.Linear(options.LearningRate, options.FinalLearningRate),
    Validation = mnist.Test,
};

Console.WriteLine($"784-16-16-10 sigmoid, quadratic cost, SGD η {options.LearningRate} → {options.FinalLearningRate}, λ {options.WeightDecay}, batch {options.BatchSize}, {options.Epochs} epochs, seed {options.Seed}");
Console.WriteLine(network.Summary());
var clock = Stopwatch.StartNew();
TrainingHistory history = TrainingConsole.Fit(trainer, mnist.Training, training, r =>
    $"epoch {r.Epoch,3}/{r.Epochs}  cost {r.TrainingCost:F4}  test accuracy {r.Validation!.Accuracy * 100:F2}%  {r.Elapsed.TotalSeconds:F3} s");
TrainingReport.Finish(network, history, clock, cost, mnist.Test, options.SaveFile, options.PlotsDirectory, "seed");
return 0;
