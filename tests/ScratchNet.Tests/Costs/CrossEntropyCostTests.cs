namespace ScratchNet.Tests.Costs;

public sealed class CrossEntropyCostTests
{
    [Fact]
    public void Loss_is_the_binary_cross_entropy_summed_over_outputs_and_averaged_over_the_batch()
    {
        var a = new Tensor([0.5f, 0.25f, 0.75f, 0.5f], 2, 2);
        var y = new Tensor([1, 0, 1, 1], 2, 2);

        // sample 1: −ln 0.5 − ln 0.75; sample 2: −ln 0.75 − ln 0.5
        double expected = (-Math.Log(0.5) - Math.Log(0.75) - Math.Log(0.75) - Math.Log(0.5)) / 2;
        Assert.Equal(expected, new CrossEntropyCost().Loss(a, y), 12);
    }

    [Fact]
    public void Gradient_is_a_minus_y_over_a_times_one_minus_a_over_the_batch_size()
    {
        var a = new Tensor([0.5f, 0.25f, 0.8f, 0.5f], 2, 2);
        var y = new Tensor([1, 0, 1, 0], 2, 2);
        var g = new Tensor(2, 2);

        new CrossEntropyCost().Gradient(a, y, g);

        // (a − y) / (a(1 − a)) / 2: −1/0.5/2, 0.25/0.1875/2, −0.2/0.16/2, 0.5/0.25/2
        Assert.Equal(-1f, g[0], 6);
        Assert.Equal(2f / 3, g[1], 6);
        Assert.Equal(-0.625f, g[2], 5);
        Assert.Equal(1f, g[3], 6);
    }

    [Fact]
    public void Saturated_outputs_are_clamped_to_epsilon_so_loss_and_gradient_stay_finite()
    {
        var a = new Tensor([0, 1, 1, 0], 1, 4);
        var y = new Tensor([1, 0, 1, 0], 1, 4);
        var g = new Tensor(1, 4);
        var cost = new CrossEntropyCost();

        double loss = cost.Loss(a, y);
        cost.Gradient(a, y, g);

        // two wrong outputs cost −ln ε each; the two right ones −ln(1 − ε)
        Assert.Equal((-2 * Math.Log(1e-7)) - (2 * Math.Log(1 - 1e-7)), loss, 9);
        // a clamped to ε or 1 − ε: (a − y)/(a(1 − a)) is ∓1/ε where wrong and ±1/(1 − ε) where right
        Assert.Equal(-1e7f, g[0]);
        Assert.Equal(1e7f, g[1]);
        Assert.Equal((float)(-1 / (1 - 1e-7)), g[2]);
        Assert.Equal((float)(1 / (1 - 1e-7)), g[3]);
    }

    [Fact]
    public void Gradient_matches_finite_differences_of_the_loss()
    {
        GradientAssertions.CostMatchesFiniteDifferences(new CrossEntropyCost(), TestNetworks.Random(1, 0.05f, 0.95f, 3, 4), TestNetworks.Random(2, 0, 1, 3, 4));
    }

    [Fact]
    public void After_a_sigmoid_delta_is_a_minus_y()
    {
        var sigmoid = new Sigmoid();
        Tensor a = sigmoid.Forward(new Tensor([-1, 0.5f, 2], 1, 3), training: true).Clone();
        var y = new Tensor([1, 0, 1], 1, 3);
        var g = new Tensor(1, 3);

        new CrossEntropyCost().Gradient(a, y, g);
        Tensor delta = sigmoid.Backward(g);

        for (int k = 0; k < 3; k++)
        {
            Assert.Equal(a[k] - y[k], delta[k], 5);
        }
    }

    [Fact]
    public void Gradients_of_a_sigmoid_network_with_cross_entropy_match_finite_differences()
    {
        var network = new Network(new Dense(5, 4), new Sigmoid(), new Dense(4, 3), new Sigmoid());
        network.Initialize(9);

        GradientAssertions.NetworkMatchesFiniteDifferences(network, new CrossEntropyCost(), TestNetworks.Random(9, -1, 1, 3, 5), TestNetworks.OneHot(9, 3, 3));
    }

    [Fact]
    public void Mismatched_targets_are_a_clear_error()
    {
        var error = Assert.Throws<ArgumentException>(() => new CrossEntropyCost().Loss(new Tensor(2, 10), new Tensor(2, 9)));

        Assert.StartsWith("CrossEntropyCost: the targets have shape [2, 9] but the outputs have shape [2, 10].", error.Message);
    }
}
