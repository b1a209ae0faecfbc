namespace ScratchNet.Tests.Activations;

public sealed class ReluTests
{
    [Fact]
    public void Forward_is_max_of_zero_and_z_in_the_vector_body_and_the_tail()
    {
        // 11 values: one full vector of 8 and a tail of 3.
        float[] z = [-2, -0.5f, 0, 0.25f, 3, -1000, 1000, 1, -1, 2, -3];

        Tensor a = new Relu().Forward(new Tensor(z, 1, 11), training: false);

        Assert.Equal([0, 0, 0, 0.25f, 3, 0, 1000, 1, 0, 2, 0], a.Span.ToArray());
    }

    [Fact]
    public void Backward_passes_the_gradient_where_z_is_positive_and_nothing_at_or_below_zero()
    {
        var relu = new Relu();
        relu.Forward(new Tensor([-1, 0, 2], 1, 3), training: true);

        Tensor dz = relu.Backward(new Tensor([5, 6, 7], 1, 3));

        // f'(0) = 0 by definition
        Assert.Equal([0, 0, 7], dz.Span.ToArray());
    }

    [Fact]
    public void Gradients_of_a_relu_network_match_finite_differences()
    {
        var network = new Network(new Dense(5, 4, Initializer.HeNormal), new Relu(), new Dense(4, 3, Initializer.HeNormal));
        network.Initialize(4);

        GradientAssertions.NetworkMatchesFiniteDifferences(network, new QuadraticCost(), TestNetworks.Random(4, -1, 1, 3, 5), TestNetworks.OneHot(4, 3, 3));
    }
}
