namespace ScratchNet.Tests.Optimizers;

public sealed class SgdTests
{
    [Fact]
    public void A_step_moves_each_weight_against_its_gradient()
    {
        var parameter = new Parameter("W", new Tensor([1, -2], 2), new Tensor([0.5f, -1], 2));

        new Sgd(0.1f).Step([parameter]);

        Assert.Equal([1 - 0.05f, -2 + 0.1f], parameter.Value.Span.ToArray());
    }

    [Fact]
    public void Weight_decay_adds_lambda_times_w_to_the_gradient()
    {
        var parameter = new Parameter("W", new Tensor([1, -2], 2), new Tensor([0.5f, -1], 2));

        new Sgd(0.1f, weightDecay: 0.5f).Step([parameter]);

        // w ← w − η(g + λw)
        Assert.Equal(1 - (0.1f * (0.5f + 0.5f)), parameter.Value[0], 6);
        Assert.Equal(-2 - (0.1f * (-1 - 1f)), parameter.Value[1], 6);
    }

    [Theory]
    [InlineData(0f)]
    [InlineData(-1f)]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    public void A_learning_rate_that_is_not_positive_and_finite_is_rejected(float eta)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd(eta));

        Assert.StartsWith("The learning rate must be a positive finite number.", error.Message);
    }
}
