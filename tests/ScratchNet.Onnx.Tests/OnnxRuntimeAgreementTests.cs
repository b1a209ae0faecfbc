using Xunit.Abstractions;

namespace ScratchNet.OnnxTests;

/// <summary>
/// The exported files run in ONNX Runtime (loaded with strict shape and type inference) and give
/// ScratchNet's outputs on MNIST test digits, within <see cref="Outputs.Tolerance"/>: the two runtimes sum
/// the products of a matrix product in different orders, so they agree to float32 rounding, not bit for bit.
/// </summary>
public sealed class OnnxRuntimeAgreementTests(ITestOutputHelper output)
{
    [Fact]
    public void The_pretrained_seed_network_gives_the_same_outputs_and_96_29_percent_in_onnx_runtime()
    {
        (double difference, int correct) = CompareOnTestSet(Pretrained.MnistSeed());

        Assert.Equal(9629, correct);
        Assert.True(difference <= Outputs.Tolerance, $"largest difference {difference:E2}");
    }

    [Fact]
    public void The_pretrained_best_network_gives_the_same_outputs_and_99_72_percent_in_onnx_runtime()
    {
        (double difference, int correct) = CompareOnTestSet(Pretrained.MnistBest());

        output.WriteLine($"best: largest difference {difference:E2} over 10,000 digits, {correct} read correctly");
        Assert.Equal(9972, correct);
        Assert.True(difference <= Outputs.Tolerance, $"largest difference {difference:E2}");
    }

    [Fact]
    public void A_network_with_every_layer_and_activation_gives_the_same_outputs_in_onnx_runtime()
    {
        Network network = EveryLayer.Create();
        Tensor digits = MnistLocator.Data.Test.Slice(0, 1000).Inputs;
        using var session = new OrtSession(ModelChecks.Export(network));

        double difference = Outputs.LargestDifference(Outputs.Predict(network, digits), session.RunAll(digits, [28, 28, 1]));

        output.WriteLine($"every layer: largest difference {difference:E2} over 1,000 digits");
        Assert.True(difference <= Outputs.Tolerance, $"largest difference {difference:E2}");
    }

    [Fact]
    public void Appending_a_softmax_turns_the_best_networks_logits_into_probabilities()
    {
        Network network = Pretrained.MnistBest();
        Tensor digits = MnistLocator.Data.Test.Slice(0, 100).Inputs;
        using var session = new OrtSession(ModelChecks.Export(network, new OnnxExportOptions { AppendSoftmax = true, InputName = "pixels", OutputName = "probabilities" }));
        float[] logits = Outputs.Predict(network, digits);
        var softmax = new Network([10], new Softmax());
        float[] expected = Outputs.Predict(softmax, new Tensor(logits, 100, 10));

        float[] actual = session.RunAll(digits, [28, 28, 1]);

        Assert.Equal("pixels", session.InputName);
        Assert.Equal([-1, 28, 28, 1], session.InputDimensions);
        Assert.Equal([-1, 10], session.OutputDimensions);
        Assert.True(Outputs.LargestDifference(expected, actual) <= Outputs.Tolerance);
        Assert.Equal(1f, actual.AsSpan(0, 10).ToArray().Sum(), 5);
    }

    private (double Difference, int Correct) CompareOnTestSet(Network network)
    {
        Dataset test = MnistLocator.Data.Test;
        Tensor inputs = test.Inputs;
        using var session = new OrtSession(ModelChecks.Export(network));
        float[] expected = Outputs.Predict(network, inputs);

        float[] actual = session.RunAll(inputs, [.. network.InputShape]);

        double difference = Outputs.LargestDifference(expected, actual);
        int correct = Outputs.Correct(actual, test);
        Assert.Equal(Outputs.Correct(expected, test), correct);
        output.WriteLine($"{network.Layers.Count} layers: ONNX Runtime {correct / 100.0:F2}% on 10,000 test digits, largest difference {difference:E2}");
        return (difference, correct);
    }
}
