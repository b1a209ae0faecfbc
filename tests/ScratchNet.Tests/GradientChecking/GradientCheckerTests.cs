namespace ScratchNet.Tests.GradientChecking;

public sealed class GradientCheckerTests
{
    private static (Network Network, Tensor X, Tensor Y) SmallSigmoidNetwork()
    {
        var network = new Network(new Dense(3, 4, Initializer.StandardNormal), new Sigmoid(), new Dense(4, 2, Initializer.StandardNormal), new Sigmoid());
        network.Initialize(7);
        return (network, TestNetworks.Random(7, 0, 1, 5, 3), TestNetworks.OneHot(7, 5, 2));
    }

    [Fact]
    public void A_correct_network_passes_with_one_row_per_parameter_tensor_and_one_for_the_input()
    {
        (Network network, Tensor x, Tensor y) = SmallSigmoidNetwork();

        GradientCheckReport report = GradientChecker.Check(network, new QuadraticCost(), x, y);

        Assert.True(report.Passed, report.ToString());
        Assert.Equal(["layer 0 Dense(3→4) W", "layer 0 Dense(3→4) b", "layer 2 Dense(4→2) W", "layer 2 Dense(4→2) b", "input x"], report.Tensors.Select(t => t.Location));
        Assert.Equal([12, 4, 8, 2, 15], report.Tensors.Select(t => t.EntriesChecked));
        Assert.Empty(report.Failures);
        Assert.True(report.LargestRelativeError < 1e-3, report.ToString());
    }

    [Fact]
    public void The_report_prints_an_aligned_table_and_a_verdict()
    {
        (Network network, Tensor x, Tensor y) = SmallSigmoidNetwork();

        string[] lines = GradientChecker.Check(network, new QuadraticCost(), x, y).ToString().Split('\n');

        Assert.Equal("layer         tensor  shape   checked  max abs err  max rel err  at", lines[0][..67]);
        Assert.Equal(7, lines.Length);
        Assert.StartsWith("0 Dense(3→4)  W       [4, 3]  12       ", lines[1], StringComparison.Ordinal);
        Assert.StartsWith("input         x       [5, 3]  15       ", lines[5], StringComparison.Ordinal);
        Assert.All(lines[1..6], line => Assert.EndsWith("ok", line, StringComparison.Ordinal));
        Assert.StartsWith("passed: every relative error is within 0.001 (largest ", lines[6], StringComparison.Ordinal);
        int column = lines[0].IndexOf("max rel err", StringComparison.Ordinal);
        Assert.All(lines[1..6], line => Assert.Matches(@"^\d\.\dE-\d\d  ", line[column..]));
    }

    [Fact]
    public void Sampling_checks_K_entries_per_tensor_chosen_by_the_seed()
    {
        (Network network, Tensor x, Tensor y) = SmallSigmoidNetwork();

        GradientCheckReport first = GradientChecker.Check(network, new QuadraticCost(), x, y, new GradientCheckOptions { SampleSize = 3, Seed = 5 });
        GradientCheckReport again = GradientChecker.Check(network, new QuadraticCost(), x, y, new GradientCheckOptions { SampleSize = 3, Seed = 5 });

        Assert.Equal([3, 3, 3, 2, 3], first.Tensors.Select(t => t.EntriesChecked));
        Assert.Equal(first.ToString(), again.ToString());
        Assert.True(first.Passed, first.ToString());
    }

    [Fact]
    public void The_inputs_are_not_changed_and_the_parameters_are_restored_bit_for_bit_with_their_analytic_gradients()
    {
        (Network network, Tensor x, Tensor y) = SmallSigmoidNetwork();
        float[] inputs = x.Span.ToArray();
        int[] weights = TestNetworks.WeightBits(network);
        TestNetworks.Backpropagate(network, new QuadraticCost(), x, y);
        float[][] gradients = network.Parameters.Select(p => p.Gradient.Span.ToArray()).ToArray();

        GradientChecker.Check(network, new QuadraticCost(), x, y);

        Assert.Equal(inputs, x.Span.ToArray());
        Assert.Equal(weights, TestNetworks.WeightBits(network));
        Assert.Equal(gradients, network.Parameters.Select(p => p.Gradient.Span.ToArray()).ToArray());
    }

    [Fact]
    public void A_kink_is_reported_and_passes_when_the_analytic_value_is_a_one_sided_derivative()
    {
        // z = x exactly 0 for the first input: ReLU's kink; f'(0) = 0 is the left derivative.
        var network = new Network([3], new Relu());
        var x = new Tensor([0f, 0.5f, -0.5f], 1, 3);
        var y = new Tensor([-1f, 0f, 0f], 1, 3);

        GradientCheckReport report = GradientChecker.Check(network, new QuadraticCost(), x, y);

        TensorGradientCheck input = Assert.Single(report.Tensors);
        Assert.Equal([0], input.KinkIndices);
        Assert.True(report.Passed, report.ToString());
        Assert.EndsWith("1      ok", report.ToString().Split('\n')[1], StringComparison.Ordinal);
    }

    [Fact]
    public void A_kink_fails_when_the_analytic_value_is_outside_the_one_sided_derivatives()
    {
        // C = (a − y)² with a = max(0, x): left slope 0, right slope 2(0 − (−1)) = 2; a "derivative" of 5 at 0 is neither.
        var network = new Network([1], new Relu(slopeAtZero: 2.5f));
        var x = new Tensor([0f], 1, 1);
        var y = new Tensor([-1f], 1, 1);

        GradientCheckReport report = GradientChecker.Check(network, new QuadraticCost(), x, y);

        TensorGradientCheck input = Assert.Single(report.Failures);
        Assert.Equal([0], input.KinkIndices);
        Assert.Equal(5, input.Analytic, 6);
        // The one-sided slopes with h = 1/64 reach at most R₂ = (C(2h) − C(0)) / 2h = 2 + 2h; 5 lies 2.96875 beyond it.
        Assert.Equal((5 - (2 + (2.0 / 64))) / 5, input.LargestRelativeError, 9);
    }

    [Fact]
    public void Without_inputs_only_parameters_are_checked()
    {
        (Network network, Tensor x, Tensor y) = SmallSigmoidNetwork();

        GradientCheckReport report = GradientChecker.Check(network, new QuadraticCost(), x, y, new GradientCheckOptions { CheckInputs = false });

        Assert.DoesNotContain(report.Tensors, t => t.LayerIndex is null);
        Assert.Equal(4, report.Tensors.Count);
    }

    [Fact]
    public void Bad_options_and_bad_targets_are_named()
    {
        (Network network, Tensor x, Tensor y) = SmallSigmoidNetwork();
        var cost = new QuadraticCost();

        Assert.StartsWith("The tolerance must be a positive number.", Assert.Throws<ArgumentOutOfRangeException>(() => GradientChecker.Check(network, cost, x, y, new GradientCheckOptions { Tolerance = 0 })).Message, StringComparison.Ordinal);
        Assert.StartsWith("The relative step must be between 0 and 1 (exclusive).", Assert.Throws<ArgumentOutOfRangeException>(() => GradientChecker.Check(network, cost, x, y, new GradientCheckOptions { Step = 1 })).Message, StringComparison.Ordinal);
        Assert.StartsWith("The sample size must be at least 1, or null to check every entry.", Assert.Throws<ArgumentOutOfRangeException>(() => GradientChecker.Check(network, cost, x, y, new GradientCheckOptions { SampleSize = 0 })).Message, StringComparison.Ordinal);
        Assert.StartsWith("QuadraticCost: the targets have shape [5, 3] but the outputs have shape [5, 2].", Assert.Throws<ArgumentException>(() => GradientChecker.Check(network, cost, x, new Tensor(5, 3))).Message, StringComparison.Ordinal);
        var nan = new Tensor([float.NaN, 0, 0], 1, 3);
        Assert.StartsWith("The cost of the unperturbed network is NaN;", Assert.Throws<ArithmeticException>(() => GradientChecker.Check(network, cost, nan, new Tensor(1, 2))).Message, StringComparison.Ordinal);
    }
}
