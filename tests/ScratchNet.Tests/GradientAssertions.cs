namespace ScratchNet.Tests;

/// <summary>Whole-network and whole-cost comparisons of backpropagation with central finite differences.</summary>
internal static class GradientAssertions
{
    /// <summary>Every parameter gradient and every input gradient of <paramref name="network"/> matches finite differences of the mean cost.</summary>
    public static void NetworkMatchesFiniteDifferences(Network network, Cost cost, Tensor x, Tensor y, float h = 1e-2f)
    {
        Tensor inputGradient = NumericGradient.Backpropagate(network, cost, x, y);
        float[][] analytic = network.Parameters.Select(p => p.Gradient.Span.ToArray()).ToArray();
        for (int p = 0; p < network.Parameters.Count; p++)
        {
            Tensor values = network.Parameters[p].Value;
            for (int i = 0; i < values.Length; i++)
            {
                NumericGradient.AssertClose(analytic[p][i], NumericGradient.Central(network, cost, x, y, values, i, h), $"parameter {p} ({network.Parameters[p]}) index {i}");
            }
        }

        for (int i = 0; i < x.Length; i++)
        {
            NumericGradient.AssertClose(inputGradient[i], NumericGradient.Central(network, cost, x, y, x, i, h), $"input {i}");
        }
    }

    /// <summary>
    /// <see cref="Cost.Gradient"/> matches central differences of <see cref="Cost.Loss"/> (which is in
    /// double) with respect to every output, to a relative 10⁻³.
    /// </summary>
    public static void CostMatchesFiniteDifferences(Cost cost, Tensor output, Tensor target, float h = 1e-3f)
    {
        var gradient = new Tensor(output.Shape.ToArray());
        cost.Gradient(output, target, gradient);
        for (int i = 0; i < output.Length; i++)
        {
            float saved = output[i];
            output[i] = saved + h;
            double plus = cost.Loss(output, target);
            double up = output[i];
            output[i] = saved - h;
            double minus = cost.Loss(output, target);
            double down = output[i];
            output[i] = saved;
            NumericGradient.AssertClose(gradient[i], (plus - minus) / (up - down), $"output {i}", relative: 1e-3, absolute: 1e-5);
        }
    }
}
