namespace ScratchNet.Tests.Optimizers;

/// <summary>
/// An ill-conditioned quadratic bowl, f(w) = ½(w₀² + 10·w₁²), with its exact gradient (w₀, 10·w₁):
/// a cost whose minimum is known, for checking that an optimizer gets there.
/// </summary>
internal static class OptimizerBowl
{
    /// <summary>f after <paramref name="steps"/> steps from w = (1, 1), where f = 5.5.</summary>
    public static double CostAfter(Optimizer optimizer, int steps)
    {
        var parameter = new Parameter("w", new Tensor([1, 1], 2), new Tensor(2));
        for (int s = 0; s < steps; s++)
        {
            parameter.Gradient[0] = parameter.Value[0];
            parameter.Gradient[1] = 10 * parameter.Value[1];
            optimizer.Step([parameter]);
        }

        return Cost(parameter.Value);
    }

    public static double Cost(Tensor w) => 0.5 * ((w[0] * (double)w[0]) + (10 * w[1] * (double)w[1]));

    /// <summary>Bytes allocated by this thread during <paramref name="steps"/> steps, after two warm-up steps.</summary>
    public static long BytesAllocatedAfterWarmUp(Optimizer optimizer, int steps)
    {
        Parameter[] parameters =
        [
            new Parameter("W", new Tensor([1, 2, 3, 4, 5, 6], 2, 3), new Tensor([0.1f, -0.2f, 0.3f, -0.4f, 0.5f, -0.6f], 2, 3)),
            new Parameter("b", new Tensor([1, -1], 2), new Tensor([0.5f, 0.25f], 2)),
        ];
        optimizer.Step(parameters);
        optimizer.Step(parameters);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int s = 0; s < steps; s++)
        {
            optimizer.Step(parameters);
        }

        return GC.GetAllocatedBytesForCurrentThread() - before;
    }
}
