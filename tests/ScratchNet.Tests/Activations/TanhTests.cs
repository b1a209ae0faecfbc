namespace ScratchNet.Tests.Activations;

public sealed class TanhTests
{
    [Fact]
    public void Forward_is_the_hyperbolic_tangent_and_saturates_without_NaN()
    {
        Tensor a = new Tanh().Forward(new Tensor([0, 0.5f, -2, -1000, 1000], 1, 5), training: false);

        Assert.Equal(0f, a[0]);
        Assert.Equal(0.46211716f, a[1], 6);
        Assert.Equal(-0.96402758f, a[2], 6);
        Assert.Equal(-1f, a[3]);
        Assert.Equal(1f, a[4]);
    }

    [Fact]
    public void Backward_multiplies_by_one_minus_a_squared()
    {
        var tanh = new Tanh();
        tanh.Forward(new Tensor([0, 0.5f], 1, 2), training: true);

        Tensor dz = tanh.Backward(new Tensor([3, 2], 1, 2));

        Assert.Equal(3f, dz[0]);
        Assert.Equal(2 * (1 - (0.46211716f * 0.46211716f)), dz[1], 6);
    }

    [Fact]
    public void Gradients_of_a_tanh_network_match_finite_differences()
    {
        var network = new Network(new Dense(5, 4, Initializer.GlorotNormal), new Tanh(), new Dense(4, 3, Initializer.GlorotNormal), new Tanh());
        network.Initialize(6);

        GradientAssertions.NetworkMatchesFiniteDifferences(network, new QuadraticCost(), TestNetworks.Random(6, -1, 1, 3, 5), TestNetworks.OneHot(6, 3, 3));
    }
}
