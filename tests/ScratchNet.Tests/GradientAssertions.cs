namespace ScratchNet.Tests;

/// <summary>Whole-network and whole-cost comparisons of backpropagation with finite differences, through <see cref="GradientChecker"/>.</summary>
internal static class GradientAssertions
{
    /// <summary>Every parameter gradient and every input gradient of <paramref name="network"/> passes the gradient checker.</summary>
    public static void NetworkMatchesFiniteDifferences(Network network, Cost cost, Tensor x, Tensor y)
    {
        GradientCheckReport report = GradientChecker.Check(network, cost, x, y);

        Assert.True(report.Passed, report.ToString());
        Assert.Equal(network.Parameters.Count + 1, report.Tensors.Count);
        Assert.Equal(network.Parameters.Sum(p => p.Value.Length) + x.Length, report.Tensors.Sum(t => t.EntriesChecked));
    }

    /// <summary>
    /// <see cref="Cost.Gradient"/> matches finite differences of <see cref="Cost.Loss"/> with respect to
    /// every output: the checker's input gradient through an <see cref="Identity"/> network is exactly the
    /// cost's gradient, checked to a relative 10⁻³.
    /// </summary>
    public static void CostMatchesFiniteDifferences(Cost cost, Tensor output, Tensor target)
    {
        GradientCheckReport report = GradientChecker.Check(new Network(output.Shape[1..].ToArray(), new Identity()), cost, output, target);

        TensorGradientCheck input = Assert.Single(report.Tensors);
        Assert.True(report.Passed, report.ToString());
        Assert.Equal(output.Length, input.EntriesChecked);
    }
}
