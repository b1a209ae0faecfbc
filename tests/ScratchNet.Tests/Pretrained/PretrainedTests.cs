namespace ScratchNet.Tests.PretrainedModels;

public sealed class PretrainedTests
{
    [Fact]
    public void The_shipped_seed_network_scores_96_29_percent_on_the_official_test_set()
    {
        Network network = Pretrained.MnistSeed();

        Evaluation result = network.Evaluate(MnistLocator.Data.Test, new QuadraticCost());

        Assert.Equal(10_000, result.Count);
        Assert.Equal(9_629, result.Correct);   // at least 96.0%, the promise of issue 16
    }

    [Fact]
    public void The_shipped_seed_network_has_the_seed_architecture()
    {
        Network network = Pretrained.MnistSeed();

        Assert.Equal(["Dense(784→16)", "Sigmoid", "Dense(16→16)", "Sigmoid", "Dense(16→10)", "Sigmoid"], network.Layers.Select(l => l.Name));
        Assert.Equal(13_002, network.ParameterCount);
    }

    [Fact]
    public void Each_call_returns_an_independent_network()
    {
        Network first = Pretrained.MnistSeed();
        Network second = Pretrained.MnistSeed();
        first.Parameters[0].Value[0] += 1;

        Assert.NotEqual(first.Parameters[0].Value[0], second.Parameters[0].Value[0]);
    }

    [Fact]
    public void It_reads_the_first_test_digits_right()
    {
        Network network = Pretrained.MnistSeed();
        Dataset test = MnistLocator.Data.Test;

        // The first five test digits are 7, 2, 1, 0, 4.
        Assert.Equal([7, 2, 1, 0, 4], Enumerable.Range(0, 5).Select(n => network.Classify(test.Inputs.Sample(n))));
    }

    [Fact]
    public void The_shipped_best_network_scores_at_least_99_5_percent_on_the_official_test_set()
    {
        Network network = Pretrained.MnistBest();

        Evaluation result = network.Evaluate(MnistLocator.Data.Test, new SoftmaxCrossEntropyCost(), batchSize: 500);

        Assert.Equal(10_000, result.Count);
        Assert.True(result.Accuracy >= 0.995, $"Pretrained.MnistBest(): {result}");
    }

    [Fact]
    public void The_best_network_reads_784_pixel_rows_and_gives_ten_logits()
    {
        Network network = Pretrained.MnistBest();
        Dataset test = MnistLocator.Data.Test;

        Assert.Equal([28, 28, 1], network.InputShape);
        Assert.Equal([10], network.OutputShape);
        Assert.Equal([7, 2, 1, 0, 4], Enumerable.Range(0, 5).Select(n => network.Classify(test.Inputs.Sample(n))));
    }
}
