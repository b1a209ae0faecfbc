using System.Globalization;
using ScratchNet;

namespace DigitCanvas;

/// <summary>
/// The body of <c>POST /api/train</c>: the network and how to train it, checked against <see cref="TrainingRequestReader"/>'s
/// limits. Every field may be left out; it then takes <see cref="SeedNetwork"/>'s value (a left-out
/// <see cref="FinalLearningRate"/> is the <see cref="LearningRate"/> sent, when one is: a constant η).
/// </summary>
/// <param name="Hidden">The widths of the hidden layers, input side first: 0 to 3 layers of 1 to 256 neurons.</param>
/// <param name="Activation">Every hidden neuron's activation: <c>sigmoid</c>, <c>tanh</c> or <c>relu</c>.</param>
/// <param name="Cost"><c>quadratic</c> (outputs through a sigmoid, as the seed) or <c>softmax-cross-entropy</c> (outputs are logits).</param>
/// <param name="Optimizer"><c>sgd</c>, <c>momentum</c> (SGD with momentum 0.9) or <c>adam</c>.</param>
/// <param name="LearningRate">η in the first epoch, 0.00001 to 10.</param>
/// <param name="FinalLearningRate">η in the last epoch, 0.00001 to 10.</param>
/// <param name="Schedule">How η moves between the two: <c>cosine</c> (half a cosine wave) or <c>linear</c>.</param>
/// <param name="WeightDecay">L2 weight decay λ, 0 to 0.1.</param>
/// <param name="BatchSize">Samples per minibatch, 1 to 1024.</param>
/// <param name="Epochs">Passes over the 60,000 training images, 1 to 60.</param>
/// <param name="Seed">Seeds the initial weights and the shuffling, 0 to 2147483647: the same seed gives the same network.</param>
public sealed record TrainingRequest(
    int[] Hidden, string Activation, string Cost, string Optimizer, float LearningRate, float FinalLearningRate, string Schedule, float WeightDecay, int BatchSize, int Epochs, int Seed)
{
    /// <summary>
    /// The seed network's recipe, as <c>samples/SeedNetwork</c> trains it with its defaults: 784-16-16-10 sigmoid,
    /// quadratic cost, plain SGD with η falling from 2 to 0.01 along a cosine and λ = 0.00005, batches of 10, 60 epochs, seed 1.
    /// </summary>
    public static TrainingRequest SeedNetwork { get; } = new([16, 16], "sigmoid", "quadratic", "sgd", 2f, 0.01f, "cosine", 5e-5f, 10, 60, 1);

    /// <summary>
    /// The network, its weights drawn from <see cref="Seed"/>: a <see cref="Dense"/> layer and the activation per hidden
    /// layer, then <c>Dense(…→10)</c>, followed by a sigmoid for the quadratic cost (outputs in (0, 1) against
    /// one-hot targets, as the seed) and by nothing for softmax cross-entropy (which takes logits).
    /// </summary>
    public Network CreateNetwork()
    {
        var layers = new List<Layer>();
        int inputs = Mnist.PixelCount;
        foreach (int width in Hidden)
        {
            layers.Add(new Dense(inputs, width));
            layers.Add(Activation switch { "tanh" => new Tanh(), "relu" => new Relu(), _ => new Sigmoid() });
            inputs = width;
        }

        layers.Add(new Dense(inputs, Mnist.ClassCount));
        if (Cost == "quadratic")
        {
            layers.Add(new Sigmoid());
        }

        var network = new Network([.. layers]);
        network.Initialize(Seed);
        return network;
    }

    /// <summary>The trainer for <paramref name="network"/>: the cost, and the optimizer at <see cref="LearningRate"/> with <see cref="WeightDecay"/>.</summary>
    /// <param name="network">A network from <see cref="CreateNetwork"/>.</param>
    public Trainer CreateTrainer(Network network)
    {
        Cost cost = Cost == "quadratic" ? new QuadraticCost() : new SoftmaxCrossEntropyCost();
        Optimizer optimizer = Optimizer switch
        {
            "momentum" => new Sgd(LearningRate, momentum: 0.9f, weightDecay: WeightDecay),
            "adam" => new Adam(LearningRate, weightDecay: WeightDecay),
            _ => new Sgd(LearningRate, weightDecay: WeightDecay),
        };
        return new Trainer(network, cost, optimizer);
    }

    /// <summary>The options of <see cref="Trainer.Fit"/>: epochs, batch size, shuffling seed, η from <see cref="LearningRate"/> to <see cref="FinalLearningRate"/> along <see cref="Schedule"/>.</summary>
    /// <param name="test">Evaluated after every epoch.</param>
    /// <param name="callbacks">What watches the training.</param>
    public TrainingOptions CreateOptions(Dataset test, params TrainingCallback[] callbacks) => new()
    {
        Epochs = Epochs,
        BatchSize = BatchSize,
        Seed = Seed,
        LearningRateSchedule = Schedule == "linear"
            ? LearningRateSchedule.Linear(LearningRate, FinalLearningRate)
            : LearningRateSchedule.Cosine(LearningRate, FinalLearningRate),
        Validation = test,
        Callbacks = callbacks,
    };

    /// <summary>The layer sizes, such as <c>784-16-16-10</c>.</summary>
    public string Shape => string.Join("-", [ScratchNet.Mnist.PixelCount, .. Hidden, ScratchNet.Mnist.ClassCount]);

    /// <summary>One line for the page and the model list: <c>784-16-16-10 sigmoid, quadratic cost, sgd η 2 → 0.01 cosine, λ 0.00005, batch 10, 60 epochs, seed 1</c>.</summary>
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"{Shape} {Activation}, {Cost} cost, {Optimizer} η {LearningRate} → {FinalLearningRate} {Schedule}, λ {WeightDecay:0.##########}, batch {BatchSize}, {Epochs} epochs, seed {Seed}");
}
