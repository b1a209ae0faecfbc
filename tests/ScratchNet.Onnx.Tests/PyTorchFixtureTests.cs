using System.Text.Json;
using Xunit.Abstractions;

namespace ScratchNet.OnnxTests;

/// <summary>
/// Models exported by PyTorch 1.13's torch.onnx.export (Fixtures/make_fixtures.py made them once) import
/// and give the outputs PyTorch recorded for the first 16 MNIST test digits.
/// </summary>
public sealed class PyTorchFixtureTests(ITestOutputHelper output)
{
    [Fact]
    public void The_pytorch_mlp_of_gemm_batch_norm_matmul_add_and_every_activation_imports_and_matches_pytorch()
    {
        (Network network, double difference) = ImportAndCompare("pytorch-mlp");

        Assert.Equal(
            ["Dense(784→64)", "BatchNorm(64)", "LeakyReLU(α = 0.1)", "Dense(64→32)", "Tanh", "Dense(32→16)", "Sigmoid", "Dense(16→10)", "Softmax"],
            network.Layers.Select(l => l.Name));
        Assert.Equal([784], network.InputShape);
        Assert.True(difference <= Outputs.Tolerance, $"largest difference {difference:E2}");
    }

    [Fact]
    public void The_pytorch_cnn_of_opset_11_with_conv_pooling_batch_norm_and_a_reshape_imports_and_matches_pytorch()
    {
        (Network network, double difference) = ImportAndCompare("pytorch-cnn");

        Assert.Equal(
            ["Conv2D(1→8, 3×3, pad 1)", "ReLU", "BatchNorm(8)", "MaxPool2D(2×2)", "Conv2D(8→16, 3×3)", "LeakyReLU(α = 0.05)", "MaxPool2D(2×2)", "Flatten", "Dense(576→32)", "Tanh", "Dense(32→10)"],
            network.Layers.Select(l => l.Name));
        Assert.Equal([28, 28, 1], network.InputShape);
        Assert.True(difference <= Outputs.Tolerance, $"largest difference {difference:E2}");
    }

    [Fact]
    public void An_imported_pytorch_cnn_fine_tunes_with_the_trainer_saves_and_loads()
    {
        Network network = Onnx.Import(Fixture("pytorch-cnn.onnx"));
        Dataset training = MnistLocator.Data.Training.Slice(0, 2000), test = MnistLocator.Data.Test.Slice(0, 1000);
        var cost = new SoftmaxCrossEntropyCost();
        Evaluation before = network.Evaluate(test, cost);

        new Trainer(network, cost, new Adam(0.002f)).Fit(training, new TrainingOptions { Epochs = 1, BatchSize = 32, Seed = 1 });
        Evaluation after = network.Evaluate(test, cost);
        using var folder = new TempDirectory();
        network.Save(folder.File("fine-tuned.scnn"));
        Network loaded = Network.Load(folder.File("fine-tuned.scnn"));

        Assert.True(after.Accuracy > before.Accuracy + 0.3, $"before {before.Accuracy:P2}, after {after.Accuracy:P2}");
        Assert.True(after.MeanCost < before.MeanCost, $"cost before {before.MeanCost}, after {after.MeanCost}");
        Assert.Equal(TestNetworks.WeightBits(network), TestNetworks.WeightBits(loaded));
        Assert.Equal(after.Accuracy, loaded.Evaluate(test).Accuracy);
    }

    private (Network Network, double Difference) ImportAndCompare(string name)
    {
        Network network = Onnx.Import(Fixture(name + ".onnx"));
        using JsonDocument recorded = JsonDocument.Parse(File.ReadAllText(Fixture(name + ".json")));
        int digits = recorded.RootElement.GetProperty("digits").GetInt32();
        float[] expected = [.. recorded.RootElement.GetProperty("outputs").EnumerateArray().SelectMany(row => row.EnumerateArray()).Select(v => v.GetSingle())];

        float[] actual = Outputs.Predict(network, MnistLocator.Data.Test.Slice(0, digits).Inputs);

        double difference = Outputs.LargestDifference(expected, actual);
        output.WriteLine($"{name}: largest difference from PyTorch's outputs {difference:E2} over {digits} digits");
        return (network, difference);
    }

    private static string Fixture(string file) => Path.Combine(AppContext.BaseDirectory, "Fixtures", file);
}
