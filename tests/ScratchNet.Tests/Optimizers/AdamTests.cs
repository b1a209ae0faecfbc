namespace ScratchNet.Tests.Optimizers;

public sealed class AdamTests
{
    [Fact]
    public void Two_steps_follow_the_bias_corrected_moments()
    {
        var parameter = new Parameter("w", new Tensor([1], 1), new Tensor([0.5f], 1));
        var adam = new Adam(0.1f);

        // m = 0.05, v = 0.00025; m̂ = 0.5, v̂ = 0.25; w = 1 − 0.1·0.5/(0.5 + 10⁻⁸): the first step is η
        adam.Step([parameter]);
        Assert.Equal(0.9f, parameter.Value[0], 6);

        // g = −0.25: m = 0.02, v = 0.00031225; m̂ = 0.02/0.19, v̂ = 0.00031225/0.001999
        parameter.Gradient[0] = -0.25f;
        adam.Step([parameter]);
        Assert.Equal(0.8733663f, parameter.Value[0], 5);
    }

    [Fact]
    public void Weight_decay_is_decoupled_from_the_adaptive_scaling()
    {
        var adamW = new Parameter("w", new Tensor([1], 1), new Tensor([0.5f], 1));
        var l2 = new Parameter("w", new Tensor([1], 1), new Tensor([0.5f + (0.5f * 1)], 1));

        new Adam(0.1f, weightDecay: 0.5f).Step([adamW]);
        new Adam(0.1f).Step([l2]);

        // AdamW: w = (1 − 0.1·0.5)·1 − 0.1·1 = 0.85. L2 (λw added to g) is rescaled away: the first step is η alone.
        Assert.Equal(0.85f, adamW.Value[0], 6);
        Assert.Equal(0.9f, l2.Value[0], 6);
    }

    [Fact]
    public void A_parameter_seen_later_gets_its_own_bias_correction()
    {
        var a = new Parameter("a", new Tensor([1], 1), new Tensor([0.5f], 1));
        var b = new Parameter("b", new Tensor([1], 1), new Tensor([0.5f], 1));
        var adam = new Adam(0.1f);

        adam.Step([a]);
        adam.Step([a]);
        adam.Step([a, b]);

        // b takes its first step, so it moves by η exactly as a did in its first step
        Assert.Equal(0.9f, b.Value[0], 6);
        Assert.Equal(0.7f, a.Value[0], 5);
    }

    [Fact]
    public void It_descends_an_ill_conditioned_bowl_and_allocates_nothing_after_the_first_step()
    {
        Assert.InRange(OptimizerBowl.CostAfter(new Adam(0.05f), 500), 0, 1e-4);
        Assert.InRange(OptimizerBowl.CostAfter(new Adam(0.05f, weightDecay: 0.01f), 500), 0, 1e-4);
        Assert.Equal(0, OptimizerBowl.BytesAllocatedAfterWarmUp(new Adam(), 50));
    }

    [Fact]
    public void Its_name_says_AdamW_when_weights_decay()
    {
        Assert.Equal("Adam(η = 0.001, β₁ = 0.9, β₂ = 0.999, ε = 1E-08)", new Adam().ToString());
        Assert.Equal("AdamW(η = 0.01, β₁ = 0.9, β₂ = 0.999, ε = 1E-08, λ = 0.1)", new Adam(0.01f, weightDecay: 0.1f).ToString());
    }

    [Fact]
    public void Out_of_range_settings_are_rejected_by_name()
    {
        Assert.StartsWith("β₁ must be at least 0 and below 1.", Assert.Throws<ArgumentOutOfRangeException>(() => new Adam(beta1: 1f)).Message);
        Assert.StartsWith("β₂ must be at least 0 and below 1.", Assert.Throws<ArgumentOutOfRangeException>(() => new Adam(beta2: -0.5f)).Message);
        Assert.StartsWith("ε must be a positive finite number.", Assert.Throws<ArgumentOutOfRangeException>(() => new Adam(epsilon: 0f)).Message);
        Assert.StartsWith("The weight decay must be zero or a positive finite number.", Assert.Throws<ArgumentOutOfRangeException>(() => new Adam(weightDecay: float.NaN)).Message);
    }
}
