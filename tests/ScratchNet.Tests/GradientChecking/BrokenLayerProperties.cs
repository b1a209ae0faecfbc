using FsCheck.Xunit;

namespace ScratchNet.Tests.GradientChecking;

/// <summary>Property 4 of issue 3: the checker fails a wrong backward pass, and names the right tensor.</summary>
public sealed class BrokenLayerProperties
{
    // Network: Dense(m→s), Sigmoid, Broken(s→s), Sigmoid. Layer 2 is the broken one.
    private static GradientCheckReport CheckBroken(int seed, byte inputs, byte size, byte batch, BrokenDense.Bug bug, int minimumSize, int minimumBatch)
    {
        int m = 1 + (inputs % 20), s = minimumSize + (size % 12), n = minimumBatch + (batch % 3);
        var network = new Network(new Dense(m, s, Initializer.StandardNormal), new Sigmoid(), new BrokenDense(s, bug), new Sigmoid());
        network.Initialize(seed);
        Tensor x = TestNetworks.Random(seed, -1, 1, n, m);
        Tensor y = TestNetworks.Random(seed + 1, 0, 1, n, s);
        return GradientChecker.Check(network, new QuadraticCost(), x, y);
    }

    [Property]
    public void A_weight_gradient_off_by_a_factor_fails_exactly_that_W(int seed, byte inputs, byte size, byte batch)
    {
        GradientCheckReport report = CheckBroken(seed, inputs, size, batch, BrokenDense.Bug.WeightGradientFactor, minimumSize: 1, minimumBatch: 1);

        Assert.False(report.Passed);
        Assert.Equal(["layer 2 Broken(WeightGradientFactor) W"], report.Failures.Select(f => f.Location));
        TensorGradientCheck w = report.Failures[0];
        Assert.Equal(1.5, w.Analytic / w.Numeric, 2);
    }

    [Property]
    public void A_bias_gradient_that_forgets_the_batch_fails_exactly_that_b(int seed, byte inputs, byte size, byte batch)
    {
        GradientCheckReport report = CheckBroken(seed, inputs, size, batch, BrokenDense.Bug.BiasGradientFirstSampleOnly, minimumSize: 1, minimumBatch: 2);

        Assert.Equal(["layer 2 Broken(BiasGradientFirstSampleOnly) b"], report.Failures.Select(f => f.Location));
    }

    [Property]
    public void A_transposed_weight_in_the_input_gradient_fails_everything_before_it_and_nothing_after(int seed, byte inputs, byte size, byte batch)
    {
        GradientCheckReport report = CheckBroken(seed, inputs, size, batch, BrokenDense.Bug.TransposedWeightInInputGradient, minimumSize: 2, minimumBatch: 1);

        // The wrong ∂C/∂a flows into layer 0 and the input; the broken layer's own W and b are right.
        Assert.Equal(["layer 0 Dense", "input x"], report.Failures.Select(f => f.TensorName == "x" ? f.Location : $"layer {f.LayerIndex} Dense").Distinct());
        Assert.DoesNotContain(report.Failures, f => f.LayerIndex == 2);
    }
}
