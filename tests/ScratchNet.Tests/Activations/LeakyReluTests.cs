namespace ScratchNet.Tests.Activations;

public sealed class LeakyReluTests
{
    [Fact]
    public void Forward_scales_negative_inputs_by_alpha()
    {
        Tensor a = new LeakyRelu(0.1f).Forward(new Tensor([-2, 0, 3], 1, 3), training: false);

        Assert.Equal([-0.2f, 0, 3], a.Span.ToArray());
    }

    [Fact]
    public void Backward_multiplies_by_one_above_zero_and_by_alpha_at_or_below_zero()
    {
        var leaky = new LeakyRelu(0.25f);
        leaky.Forward(new Tensor([-1, 0, 2], 1, 3), training: true);

        Tensor dz = leaky.Backward(new Tensor([4, 8, 7], 1, 3));

        Assert.Equal([1, 2, 7], dz.Span.ToArray());
    }

    [Fact]
    public void The_default_slope_is_one_hundredth_and_the_name_shows_it()
    {
        var leaky = new LeakyRelu();

        Assert.Equal(0.01f, leaky.Alpha);
        Assert.Equal("LeakyReLU(α = 0.01)", leaky.Name);
    }

    [Theory]
    [InlineData(-0.1f)]
    [InlineData(1f)]
    [InlineData(float.NaN)]
    public void A_slope_outside_zero_to_one_is_rejected(float alpha)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new LeakyRelu(alpha));

        Assert.StartsWith("The slope α of a leaky ReLU must be at least 0 and below 1.", error.Message);
    }

    [Fact]
    public void Gradients_of_a_leaky_relu_network_match_finite_differences()
    {
        var network = new Network(new Dense(5, 4, Initializer.HeNormal), new LeakyRelu(0.1f), new Dense(4, 3, Initializer.HeNormal));
        network.Initialize(5);

        GradientAssertions.NetworkMatchesFiniteDifferences(network, new QuadraticCost(), TestNetworks.Random(5, -1, 1, 3, 5), TestNetworks.OneHot(5, 3, 3));
    }
}
