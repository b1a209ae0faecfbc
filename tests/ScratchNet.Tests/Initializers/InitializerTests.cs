namespace ScratchNet.Tests.Initializers;

public sealed class InitializerTests
{
    [Fact]
    public void Standard_normal_initialization_has_mean_zero_and_variance_one()
    {
        var dense = new Dense(784, 100, Initializer.StandardNormal);
        dense.Initialize(new Random(7));
        float[] w = dense.Weights.Value.Span.ToArray();

        double mean = w.Average(v => (double)v);
        double variance = w.Average(v => (v - mean) * (v - mean));
        Assert.InRange(mean, -0.02, 0.02);
        Assert.InRange(variance, 0.97, 1.03);
        Assert.NotEqual(0f, dense.Biases.Value[0]);
    }

    [Fact]
    public void Glorot_uniform_initialization_stays_within_its_limit_and_zeroes_the_biases()
    {
        var dense = new Dense(784, 16);
        dense.Initialize(new Random(7));
        float limit = MathF.Sqrt(6f / (784 + 16));

        Assert.All(dense.Weights.Value.Span.ToArray(), w => Assert.InRange(w, -limit, limit));
        Assert.True(dense.Weights.Value.Span.ToArray().Max() > 0.9f * limit);
        Assert.All(dense.Biases.Value.Span.ToArray(), b => Assert.Equal(0f, b));
    }
}
