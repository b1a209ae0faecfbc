namespace ScratchNet.Tests.Costs;

public sealed class SoftmaxCrossEntropyCostTests
{
    [Fact]
    public void Loss_is_log_sum_exp_minus_the_target_logit_averaged_over_the_batch()
    {
        var z = new Tensor([0, 0, 0, 1, 2, 3], 2, 3);
        var y = new Tensor([0, 1, 0, 0, 0, 1], 2, 3);

        // sample 1: ln 3 − 0; sample 2: ln(e + e² + e³) − 3
        double expected = (Math.Log(3) + Math.Log(Math.E + (Math.E * Math.E) + Math.Exp(3)) - 3) / 2;
        Assert.Equal(expected, new SoftmaxCrossEntropyCost().Loss(z, y), 6);
    }

    [Fact]
    public void Gradient_is_softmax_minus_y_over_the_batch_size()
    {
        var z = new Tensor([0, 0, 0, 1, 2, 3], 2, 3);
        var y = new Tensor([0, 1, 0, 0, 0, 1], 2, 3);
        var g = new Tensor(2, 3);

        new SoftmaxCrossEntropyCost().Gradient(z, y, g);

        Assert.Equal((1f / 3) / 2, g[0], 6);
        Assert.Equal(((1f / 3) - 1) / 2, g[1], 6);
        Assert.Equal(0.09003057f / 2, g[3], 6);
        Assert.Equal(0.24472847f / 2, g[4], 6);
        Assert.Equal((0.66524096f - 1) / 2, g[5], 6);
    }

    [Fact]
    public void Logits_of_plus_and_minus_1000_give_a_finite_loss_and_gradient()
    {
        var z = new Tensor([1000, -1000, -1000, 1000], 2, 2);
        var y = new Tensor([0, 1, 0, 1], 2, 2);
        var g = new Tensor(2, 2);
        var cost = new SoftmaxCrossEntropyCost();

        double loss = cost.Loss(z, y);
        cost.Gradient(z, y, g);

        // sample 1 is wrong by 2000 nats, sample 2 right (e^−2000 is 0 in double)
        Assert.Equal(1000.0, loss);
        Assert.Equal([0.5f, -0.5f, 0, 0], g.Span.ToArray());
    }

    [Fact]
    public void Gradient_matches_finite_differences_of_the_loss_for_one_hot_and_smoothed_targets()
    {
        var smoothed = new Tensor([0.8f, 0.1f, 0.1f, 0.05f, 0.05f, 0.9f], 2, 3);

        GradientAssertions.CostMatchesFiniteDifferences(new SoftmaxCrossEntropyCost(), TestNetworks.Random(3, -3, 3, 4, 5), TestNetworks.OneHot(3, 4, 5));
        GradientAssertions.CostMatchesFiniteDifferences(new SoftmaxCrossEntropyCost(), TestNetworks.Random(4, -3, 3, 2, 3), smoothed);
    }

    [Fact]
    public void It_equals_cross_entropy_of_the_softmax_layer_where_that_is_stable()
    {
        Tensor z = TestNetworks.Random(5, -2, 2, 3, 4);
        Tensor y = TestNetworks.OneHot(5, 3, 4);
        Tensor p = new Softmax().Forward(z, training: false);

        double direct = 0;
        for (int i = 0; i < p.Length; i++)
        {
            direct -= y[i] * Math.Log(p[i]);
        }

        Assert.Equal(direct / 3, new SoftmaxCrossEntropyCost().Loss(z, y), 5);
    }

    [Fact]
    public void Label_smoothing_trains_toward_one_minus_epsilon_plus_epsilon_over_k_and_epsilon_over_k()
    {
        var z = new Tensor([0, 1, 2, 3, 0, 0, 0, 0], 2, 4);
        var y = new Tensor([0, 0, 1, 0, 0, 0, 0, 2], 2, 4);   // a one-hot target, and one that sums to 2
        var g = new Tensor(2, 4);
        var cost = new SoftmaxCrossEntropyCost(labelSmoothing: 0.2f);

        cost.Gradient(z, y, g);

        // ỹ = (1 − 0.2)·y + 0.2·(Σy)/4: sample 1 [0.05, 0.05, 0.85, 0.05], sample 2 [0.1, 0.1, 0.1, 1.7]
        double lse = Math.Log(1 + Math.E + Math.Exp(2) + Math.Exp(3));
        double[] smoothed = [0.05, 0.05, 0.85, 0.05];
        for (int k = 0; k < 4; k++)
        {
            Assert.Equal((Math.Exp(k - lse) - smoothed[k]) / 2, g[k], 6);
        }

        double[] second = [0.1, 0.1, 0.1, 1.7];   // p = 1/4 each, times Σy = 2
        for (int k = 0; k < 4; k++)
        {
            Assert.Equal((0.5 - second[k]) / 2, g[4 + k], 6);
        }

        double expected = (((lse - 2) * 0.85) + (0.05 * ((lse - 0) + (lse - 1) + (lse - 3))) + (2 * Math.Log(4))) / 2;
        Assert.Equal(expected, cost.Loss(z, y), 6);
    }

    [Fact]
    public void Label_smoothing_of_zero_gives_the_plain_cost_bit_for_bit()
    {
        Tensor z = TestNetworks.Random(6, -3, 3, 5, 10);
        Tensor y = TestNetworks.OneHot(6, 5, 10);
        Tensor plain = new(5, 10), smoothed = new(5, 10);

        new SoftmaxCrossEntropyCost().Gradient(z, y, plain);
        new SoftmaxCrossEntropyCost(labelSmoothing: 0f).Gradient(z, y, smoothed);

        Assert.Equal(plain.Span.ToArray(), smoothed.Span.ToArray());
        Assert.Equal(new SoftmaxCrossEntropyCost().Loss(z, y), new SoftmaxCrossEntropyCost(0f).Loss(z, y));
    }

    [Theory]
    [InlineData(-0.1f)]
    [InlineData(1f)]
    [InlineData(float.NaN)]
    public void Label_smoothing_outside_zero_to_one_is_refused(float epsilon)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new SoftmaxCrossEntropyCost(epsilon));

        Assert.StartsWith("Label smoothing ε must be in [0, 1).", error.Message);
        Assert.Equal("labelSmoothing", error.ParamName);
    }

    [Fact]
    public void Outputs_without_a_sample_dimension_are_a_clear_error()
    {
        var error = Assert.Throws<ArgumentException>(() => new SoftmaxCrossEntropyCost().Loss(new Tensor(4), new Tensor(4)));

        Assert.StartsWith("SoftmaxCrossEntropyCost: the outputs have shape [4], but each sample needs at least one dimension of logits (the batch is the first).", error.Message);
    }

    [Fact]
    public void Gradients_of_a_logit_network_match_finite_differences()
    {
        var network = new Network(new Dense(5, 4), new Relu(), new Dense(4, 3));
        network.Initialize(10);

        GradientAssertions.NetworkMatchesFiniteDifferences(network, new SoftmaxCrossEntropyCost(), TestNetworks.Random(10, -1, 1, 3, 5), TestNetworks.OneHot(10, 3, 3));
    }
}
