namespace ScratchNet.Tests;

/// <summary>The seed network's backward pass (Dense + Sigmoid + quadratic cost) against central finite differences.</summary>
public sealed class BackpropagationTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Every_parameter_gradient_of_a_small_sigmoid_network_matches_finite_differences(int seed)
    {
        var network = new Network(new Dense(7, 5, Initializer.StandardNormal), new Sigmoid(), new Dense(5, 4, Initializer.StandardNormal), new Sigmoid(), new Dense(4, 3, Initializer.StandardNormal), new Sigmoid());
        network.Initialize(seed);
        var cost = new QuadraticCost();
        Tensor x = TestNetworks.Random(seed, 0, 1, 4, 7);
        Tensor y = TestNetworks.OneHot(seed, 4, 3);

        GradientCheckReport report = GradientChecker.Check(network, cost, x, y);

        Assert.True(report.Passed, report.ToString());
        Assert.Equal(network.Parameters.Count + 1, report.Tensors.Count);
        Assert.Equal(network.Parameters.Sum(p => p.Value.Length) + x.Length, report.Tensors.Sum(t => t.EntriesChecked));
    }

    [Fact]
    public void The_seed_network_gradient_matches_finite_differences_on_sampled_weights()
    {
        Network network = TestNetworks.Seed(Initializer.StandardNormal, seed: 3);
        var cost = new QuadraticCost();
        Tensor x = TestNetworks.Random(3, 0, 1, 10, 784);
        Tensor y = TestNetworks.OneHot(3, 10, 10);

        GradientCheckReport report = GradientChecker.Check(network, cost, x, y, new GradientCheckOptions { SampleSize = 40, Seed = 3, CheckInputs = false });

        Assert.True(report.Passed, report.ToString());
        Assert.Equal(network.Parameters.Select(p => Math.Min(40, p.Value.Length)), report.Tensors.Select(t => t.EntriesChecked));
    }
}
