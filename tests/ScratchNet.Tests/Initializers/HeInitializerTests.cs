namespace ScratchNet.Tests.Initializers;

public sealed class HeInitializerTests
{
    [Theory]
    [InlineData("HeNormal")]
    [InlineData("HeUniform")]
    public void Weights_have_mean_zero_and_variance_two_over_fan_in_and_biases_are_zero(string name)
    {
        Initializer initializer = name == "HeNormal" ? Initializer.HeNormal : Initializer.HeUniform;
        float[] weights = new float[200 * 1000];
        float[] biases = [1, 2, 3];

        initializer.Initialize(weights, biases, fanIn: 200, fanOut: 1000, new Random(1));

        double mean = weights.Average(w => (double)w);
        double variance = weights.Sum(w => (w - mean) * (w - mean)) / weights.Length;

        // 2/200 = 0.01; the standard error of the mean is 0.1/√200000 ≈ 0.00022, of the variance about 1%
        Assert.InRange(mean, -0.001, 0.001);
        Assert.InRange(variance, 0.0097, 0.0103);
        Assert.Equal([0, 0, 0], biases);
        Assert.Equal(name, initializer.ToString());
    }

    [Fact]
    public void He_uniform_stays_inside_plus_or_minus_the_square_root_of_six_over_fan_in()
    {
        float[] weights = new float[10000];

        Initializer.HeUniform.Initialize(weights, [], fanIn: 6, fanOut: 1, new Random(2));

        // r = √(6/6) = 1
        Assert.InRange(weights.Min(), -1f, -0.99f);
        Assert.InRange(weights.Max(), 0.99f, 1f);
    }

    [Fact]
    public void He_normal_has_the_tails_of_a_normal_distribution()
    {
        float[] weights = new float[100000];

        Initializer.HeNormal.Initialize(weights, [], fanIn: 2, fanOut: 1, new Random(3));

        // σ = 1: 68.27% within one σ, 95.45% within two
        Assert.InRange(weights.Count(w => Math.Abs(w) < 1) / 100000.0, 0.678, 0.688);
        Assert.InRange(weights.Count(w => Math.Abs(w) < 2) / 100000.0, 0.951, 0.958);
    }

    [Fact]
    public void The_same_seed_gives_the_same_bits()
    {
        var first = new Dense(30, 20, Initializer.HeNormal);
        var second = new Dense(30, 20, Initializer.HeNormal);

        first.Initialize(new Random(7));
        second.Initialize(new Random(7));

        Assert.Equal(first.Weights.Value.Span.ToArray(), second.Weights.Value.Span.ToArray());
    }
}
