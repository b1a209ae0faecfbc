namespace ScratchNet.Tests.Training;

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

        Tensor inputGradient = NumericGradient.Backpropagate(network, cost, x, y);
        float[][] analytic = network.Parameters.Select(p => p.Gradient.Span.ToArray()).ToArray();

        for (int p = 0; p < network.Parameters.Count; p++)
        {
            Tensor values = network.Parameters[p].Value;
            for (int i = 0; i < values.Length; i++)
            {
                double numeric = NumericGradient.Central(network, cost, x, y, values, i);
                NumericGradient.AssertClose(analytic[p][i], numeric, $"parameter {p} ({network.Parameters[p]}) index {i}");
            }
        }

        for (int i = 0; i < x.Length; i++)
        {
            NumericGradient.AssertClose(inputGradient[i], NumericGradient.Central(network, cost, x, y, x, i), $"input {i}");
        }
    }

    [Fact]
    public void The_seed_network_gradient_matches_finite_differences_on_sampled_weights()
    {
        Network network = TestNetworks.Seed(Initializer.StandardNormal, seed: 3);
        var cost = new QuadraticCost();
        Tensor x = TestNetworks.Random(3, 0, 1, 10, 784);
        Tensor y = TestNetworks.OneHot(3, 10, 10);

        NumericGradient.Backpropagate(network, cost, x, y);
        var random = new Random(3);
        foreach (Parameter parameter in network.Parameters)
        {
            float[] analytic = parameter.Gradient.Span.ToArray();
            for (int k = 0; k < 40; k++)
            {
                int i = random.Next(parameter.Value.Length);
                NumericGradient.AssertClose(analytic[i], NumericGradient.Central(network, cost, x, y, parameter.Value, i), $"{parameter} index {i}");
            }
        }
    }
}
