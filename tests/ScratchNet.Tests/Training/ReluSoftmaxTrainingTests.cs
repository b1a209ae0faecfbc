namespace ScratchNet.Tests.Training;

/// <summary>The new pieces together: He-initialised ReLU layers, logits with the fused softmax cross-entropy, each optimizer, a schedule and a held-out validation set.</summary>
public sealed class ReluSoftmaxTrainingTests
{
    [Theory]
    [InlineData("Adam", 0.91)]
    [InlineData("Nesterov", 0.91)]
    [InlineData("RMSProp", 0.91)]
    public void A_relu_network_with_softmax_cross_entropy_learns_5000_digits_in_five_epochs(string optimizerName, double accuracy)
    {
        (Dataset training, Dataset validation) = MnistLocator.Data.Training.Slice(0, 5000).Split(0.1, seed: 1);
        var network = new Network(new Dense(784, 64, Initializer.HeNormal), new Relu(), new Dense(64, 10, Initializer.HeNormal));
        network.Initialize(1);
        Optimizer optimizer = optimizerName switch
        {
            "Adam" => new Adam(0.003f, weightDecay: 0.01f),
            "Nesterov" => new Sgd(0.05f, momentum: 0.9f, nesterov: true),
            _ => new RmsProp(0.002f),
        };
        var trainer = new Trainer(network, new SoftmaxCrossEntropyCost(), optimizer);

        IReadOnlyList<EpochReport> history = trainer.Fit(training, new TrainingOptions
        {
            Epochs = 5,
            BatchSize = 32,
            Seed = 1,
            LearningRateSchedule = LearningRateSchedule.WarmupCosine(optimizer.LearningRate, warmupEpochs: 1, final: optimizer.LearningRate / 10),
            Validation = validation,
        });

        Evaluation test = network.Evaluate(MnistLocator.Data.Test, new SoftmaxCrossEntropyCost());
        Assert.True(test.Accuracy >= accuracy, $"{optimizer}: test {test}; validation {history[^1]}");
        Assert.True(history[^1].Validation!.Accuracy >= accuracy, $"{optimizer}: {history[^1]}");
        Assert.True(history[^1].TrainingCost < history[0].TrainingCost / 2, $"{history[0]} then {history[^1]}");
    }
}
