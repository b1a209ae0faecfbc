namespace ScratchNet.Tests.Optimizers;

public sealed class RmsPropTests
{
    [Fact]
    public void Two_steps_divide_by_the_running_root_mean_square()
    {
        var parameter = new Parameter("w", new Tensor([1], 1), new Tensor([0.5f], 1));
        var rmsProp = new RmsProp(0.01f, rho: 0.9f);

        // s = 0.1·0.25 = 0.025, w = 1 − 0.01·0.5/√0.025
        rmsProp.Step([parameter]);
        Assert.Equal(0.9683772f, parameter.Value[0], 6);

        // s = 0.9·0.025 + 0.025 = 0.0475, w −= 0.01·0.5/√0.0475
        rmsProp.Step([parameter]);
        Assert.Equal(0.9454357f, parameter.Value[0], 6);
    }

    [Fact]
    public void It_descends_an_ill_conditioned_bowl_and_allocates_nothing_after_the_first_step()
    {
        Assert.InRange(OptimizerBowl.CostAfter(new RmsProp(0.01f), 500), 0, 1e-3);
        Assert.Equal(0, OptimizerBowl.BytesAllocatedAfterWarmUp(new RmsProp(), 50));
    }

    [Fact]
    public void Out_of_range_settings_are_rejected_by_name()
    {
        Assert.StartsWith("ρ must be at least 0 and below 1.", Assert.Throws<ArgumentOutOfRangeException>(() => new RmsProp(rho: 1f)).Message);
        Assert.StartsWith("ε must be a positive finite number.", Assert.Throws<ArgumentOutOfRangeException>(() => new RmsProp(epsilon: -1f)).Message);
        Assert.StartsWith("The learning rate must be a positive finite number.", Assert.Throws<ArgumentOutOfRangeException>(() => new RmsProp(0f)).Message);
    }
}
