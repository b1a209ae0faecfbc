namespace ScratchNet.Tests;

/// <summary>Central finite differences of a network's mean cost, for comparing with backpropagation.</summary>
internal static class NumericGradient
{
    /// <summary>(C(θ + h) − C(θ − h)) / 2h for one value θ that <paramref name="values"/> holds at <paramref name="index"/>.</summary>
    public static double Central(Network network, Cost cost, Tensor x, Tensor y, Tensor values, int index, float h = 1e-2f)
    {
        float saved = values[index];
        values[index] = saved + h;
        double plus = cost.Loss(network.Forward(x), y);
        values[index] = saved - h;
        double minus = cost.Loss(network.Forward(x), y);
        values[index] = saved;
        return (plus - minus) / (2.0 * ((double)(saved + h) - saved));
    }

    /// <summary>Runs forward and backward once, leaving ∂C/∂θ in every parameter and returning ∂C/∂x.</summary>
    public static Tensor Backpropagate(Network network, Cost cost, Tensor x, Tensor y)
    {
        Tensor a = network.Forward(x, training: true);
        var gradient = new Tensor(a.Shape.ToArray());
        cost.Gradient(a, y, gradient);
        return network.Backward(gradient).Clone();
    }

    /// <summary>
    /// Asserts that an analytic and a numeric derivative agree: |a − n| ≤ rel·max(|a|, |n|) + abs. The
    /// absolute floor covers the float32 rounding of the cost, which limits central differences to about
    /// five significant digits; the exact double-precision check is the gradient checker's job.
    /// </summary>
    public static void AssertClose(double analytic, double numeric, string where, double relative = 1e-2, double absolute = 1e-4)
    {
        double error = Math.Abs(analytic - numeric);
        Assert.True(error <= (relative * Math.Max(Math.Abs(analytic), Math.Abs(numeric))) + absolute, $"{where}: backprop {analytic:G6}, finite differences {numeric:G6}, difference {error:G3}");
    }
}
