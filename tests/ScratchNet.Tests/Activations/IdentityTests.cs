namespace ScratchNet.Tests.Activations;

public sealed class IdentityTests
{
    [Fact]
    public void Forward_copies_z_and_backward_copies_the_gradient()
    {
        var identity = new Identity();

        Tensor a = identity.Forward(new Tensor([-2, 0.5f, 7], 1, 3), training: true);
        Assert.Equal([-2, 0.5f, 7], a.Span.ToArray());

        Tensor dz = identity.Backward(new Tensor([1, -3, 4], 1, 3));
        Assert.Equal([1, -3, 4], dz.Span.ToArray());
    }

    [Fact]
    public void Gradients_of_a_linear_output_network_match_finite_differences()
    {
        var network = new Network(new Dense(5, 4), new Tanh(), new Dense(4, 3), new Identity());
        network.Initialize(7);

        GradientAssertions.NetworkMatchesFiniteDifferences(network, new QuadraticCost(), TestNetworks.Random(7, -1, 1, 3, 5), TestNetworks.Random(8, -1, 1, 3, 3));
    }
}
