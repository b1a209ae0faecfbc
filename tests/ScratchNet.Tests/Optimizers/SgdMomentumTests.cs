namespace ScratchNet.Tests.Optimizers;

public sealed class SgdMomentumTests
{
    [Fact]
    public void Two_classical_steps_follow_the_velocity()
    {
        var parameter = new Parameter("w", new Tensor([1], 1), new Tensor([0.5f], 1));
        var momentum = new Sgd(0.1f, momentum: 0.9f);

        // v = 0.5, w = 1 − 0.1·0.5
        momentum.Step([parameter]);
        Assert.Equal(0.95f, parameter.Value[0], 6);

        // v = 0.9·0.5 + 0.5 = 0.95, w = 0.95 − 0.1·0.95
        momentum.Step([parameter]);
        Assert.Equal(0.855f, parameter.Value[0], 6);
    }

    [Fact]
    public void Two_Nesterov_steps_add_the_momentum_of_the_next_step()
    {
        var parameter = new Parameter("w", new Tensor([1], 1), new Tensor([0.5f], 1));
        var nesterov = new Sgd(0.1f, momentum: 0.9f, nesterov: true);

        // v = 0.5, w = 1 − 0.1·(0.5 + 0.9·0.5)
        nesterov.Step([parameter]);
        Assert.Equal(0.905f, parameter.Value[0], 6);

        // v = 0.95, w = 0.905 − 0.1·(0.5 + 0.9·0.95)
        nesterov.Step([parameter]);
        Assert.Equal(0.7695f, parameter.Value[0], 6);
    }

    [Fact]
    public void Weight_decay_adds_lambda_times_w_to_the_gradient()
    {
        var parameter = new Parameter("w", new Tensor([2], 1), new Tensor([0.5f], 1));

        new Sgd(0.1f, momentum: 0.5f, weightDecay: 0.25f).Step([parameter]);

        // g = 0.5 + 0.25·2 = 1, v = 1, w = 2 − 0.1
        Assert.Equal(1.9f, parameter.Value[0], 6);
    }

    [Fact]
    public void Each_parameter_keeps_its_own_velocity()
    {
        var a = new Parameter("a", new Tensor([1], 1), new Tensor([1], 1));
        var b = new Parameter("b", new Tensor([1], 1), new Tensor([1], 1));
        var momentum = new Sgd(0.1f, momentum: 0.5f);

        momentum.Step([a]);
        momentum.Step([a, b]);

        // a: v = 1, then 1.5; b: v = 1
        Assert.Equal(1 - 0.1f - 0.15f, a.Value[0], 6);
        Assert.Equal(0.9f, b.Value[0], 6);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void It_descends_an_ill_conditioned_bowl_and_allocates_nothing_after_the_first_step(bool nesterov)
    {
        double cost = OptimizerBowl.CostAfter(new Sgd(0.05f, momentum: 0.9f, nesterov: nesterov), 200);

        Assert.InRange(cost, 0, 1e-6);
        Assert.Equal(0, OptimizerBowl.BytesAllocatedAfterWarmUp(new Sgd(0.05f, momentum: 0.9f, nesterov: nesterov), 50));
    }

    [Theory]
    [InlineData(-0.1f)]
    [InlineData(1f)]
    [InlineData(float.NaN)]
    public void A_momentum_outside_zero_to_one_is_rejected(float mu)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd(0.1f, mu));

        Assert.StartsWith("The momentum μ must be at least 0 and below 1.", error.Message);
    }

    [Fact]
    public void Nesterov_without_momentum_is_refused_and_plain_sgd_keeps_no_velocity()
    {
        var error = Assert.Throws<ArgumentException>(() => new Sgd(0.1f, nesterov: true));

        Assert.StartsWith("Nesterov's update needs a momentum μ above 0.", error.Message);
        Assert.Equal("Sgd(η = 0.1)", new Sgd(0.1f).ToString());
        Assert.Equal("Sgd(η = 0.1, μ = 0.9, Nesterov, λ = 0.01)", new Sgd(0.1f, 0.9f, nesterov: true, weightDecay: 0.01f).ToString());
    }
}
