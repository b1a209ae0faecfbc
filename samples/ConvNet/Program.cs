// A convolutional network for MNIST: three 3×3 convolution blocks with batch norm and max pooling, a dense
// layer with dropout, softmax cross-entropy, Adam with warm-up and cosine decay, and small random
// distortions of the training digits.
// Usage: dotnet run -c Release --project samples/ConvNet -- [--data DIR] [--epochs N] [--batch-size B]
//        [--learning-rate X] [--seed S] [--save FILE] [--evaluate FILE] [--plots DIR]
//        [--checkpoint FILE] [--resume FILE]
// --checkpoint writes a resumable checkpoint after every epoch; --resume continues a run from one, bit for bit
// (give the same --epochs, --batch-size and --seed as the interrupted run).
// In a terminal it shows a progress bar per epoch; after training it writes convnet-curves.svg, convnet-confusion.svg
// and convnet-misclassified.svg next to the saved model (or into --plots DIR, else the current folder).
using System.Diagnostics;
using ConvNet;
using ScratchNet;
using ScratchNet.Samples;

ConvNetOptions options;
MnistData mnist;
try
{
    options = ConvNetOptions.Parse(args);
    mnist = Mnist.Load(options.DataDirectory);
}
catch (Exception e) when (e is ArgumentException or IOException or InvalidDataException)
{
    Console.Error.WriteLine($"error: {e.Message}");
    Console.Error.WriteLine(ConvNetOptions.Usage);
    return 2;
}

var cost = new SoftmaxCrossEntropyCost();
if (options.EvaluateFile is { } modelFile)
{
    Network saved = Network.Load(modelFile);
    Console.WriteLine($"{modelFile}: {saved.Evaluate(mnist.Test, cost)}");
    Console.WriteLine($"test accuracy: {saved.Evaluate(mnist.Test).Accuracy * 100:F2}%");
    return 0;
}

TrainingCheckpoint? resume = null;
if (options.ResumeFile is { } resumeFile)
{
    try
    {
        resume = TrainingCheckpoint.Load(resumeFile);
    }
    catch (Exception e) when (e is IOException or InvalidDataException)
    {
        Console.Error.WriteLine($"error: {e.Message}");
        return 2;
    }

    Console.WriteLine($"Resuming {resumeFile} after epoch {resume.Epoch} of {resume.Epochs}");
}

Network network = resume?.Network ?? ConvNetModel.Create(options.Seed);   // see ConvNetModel.cs: 3 conv blocks, dense 256

var trainer = new Trainer(network, cost, new Adam(options.LearningRate, weightDecay: 1e-4f));
var training = new TrainingOptions
{
    Epochs = options.Epochs,
    BatchSize = options.BatchSize,
    Seed = options.Seed,
    LearningRateSchedule = LearningRateSchedule.WarmupCosine(options.LearningRate, warmupEpochs: 1, final: options.LearningRate / 100),
    Augmentation = new ImageAugmentation(28, 28, maxShift: 2f, maxRotationDegrees: 10f, maxScale: 0.1f),
    Validation = mnist.Test,
    ResumeFrom = resume,
    Callbacks = options.CheckpointFile is { } checkpointFile ? [new ModelCheckpoint(checkpointFile, saveBestOnly: false, resumable: true)] : [],
};

Console.WriteLine($"ConvNet: {network.ParameterCount:N0} parameters, Adam η {options.LearningRate} (warm-up + cosine), batch {options.BatchSize}, {options.Epochs} epochs, seed {options.Seed}, {Environment.ProcessorCount} cores");
Console.WriteLine(network.Summary());
var clock = Stopwatch.StartNew();
TrainingHistory history = TrainingConsole.Fit(trainer, mnist.Training, training, r =>
    $"epoch {r.Epoch,3}/{r.Epochs}  cost {r.TrainingCost:F4}  test accuracy {r.Validation!.Accuracy * 100:F2}%  {r.Elapsed.TotalSeconds:F1} s");
TrainingReport.Finish(network, history, clock, cost, mnist.Test, options.SaveFile, options.PlotsDirectory, "convnet");
return 0;
