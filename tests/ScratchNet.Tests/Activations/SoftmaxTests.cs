namespace ScratchNet.Tests.Activations;

public sealed class SoftmaxTests
{
    [Fact]
    public void Forward_gives_probabilities_that_sum_to_one_per_row()
    {
        Tensor a = new Softmax().Forward(new Tensor([0, 0, 0, 1, 2, 3], 2, 3), training: false);

        // e⁰, e¹, e² over their sum 1 + e + e² = 11.1073…
        Assert.Equal(1f / 3, a[0], 6);
        Assert.Equal(1f / 3, a[2], 6);
        Assert.Equal(0.09003057f, a[3], 6);
        Assert.Equal(0.24472847f, a[4], 6);
        Assert.Equal(0.66524096f, a[5], 6);
    }

    [Fact]
    public void Logits_of_plus_and_minus_1000_give_exact_zeros_and_ones_without_NaN()
    {
        Tensor a = new Softmax().Forward(new Tensor([1000, -1000, 0, 1000, 1000, -1000], 2, 3), training: false);

        Assert.Equal([1, 0, 0, 0.5f, 0.5f, 0], a.Span.ToArray());
    }

    [Fact]
    public void Backward_is_a_times_the_gradient_minus_its_a_weighted_mean()
    {
        var softmax = new Softmax();
        Tensor a = softmax.Forward(new Tensor([1, 2, 3], 1, 3), training: true).Clone();

        Tensor dz = softmax.Backward(new Tensor([1, 0, -1], 1, 3));

        // Σⱼ aⱼ gⱼ = a₀ − a₂; ∂C/∂zₖ = aₖ(gₖ − (a₀ − a₂))
        float s = a[0] - a[2];
        Assert.Equal(a[0] * (1 - s), dz[0], 6);
        Assert.Equal(a[1] * (0 - s), dz[1], 6);
        Assert.Equal(a[2] * (-1 - s), dz[2], 6);
        Assert.Equal(0f, dz[0] + dz[1] + dz[2], 6);
    }

    [Fact]
    public void Rows_are_the_last_dimension_of_each_sample()
    {
        var softmax = new Softmax();

        Tensor a = softmax.Forward(new Tensor([0, 0, 5, 5, 1, 1, 1, 1], 2, 2, 2), training: false);

        Assert.Equal([2, 2], softmax.OutputShape([2, 2]));
        Assert.Equal([0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f], a.Span.ToArray());
    }

    [Fact]
    public void Samples_without_a_dimension_are_a_clear_error_rather_than_a_softmax_over_the_batch()
    {
        var error = Assert.Throws<ArgumentException>(() => new Softmax().Forward(new Tensor([1, 2, 3], 3), training: false));

        Assert.StartsWith("Softmax works over the last dimension of each sample, so a sample needs at least one dimension (the batch is the first).", error.Message);
    }

    [Fact]
    public void Backward_before_forward_is_a_clear_error()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new Softmax().Backward(new Tensor(1, 3)));

        Assert.Equal("Softmax: Backward was called before Forward.", error.Message);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Gradients_of_a_softmax_network_match_finite_differences(int seed)
    {
        var network = new Network(new Dense(5, 4), new Tanh(), new Dense(4, 3), new Softmax());
        network.Initialize(seed);

        GradientAssertions.NetworkMatchesFiniteDifferences(network, new QuadraticCost(), TestNetworks.Random(seed, -1, 1, 3, 5), TestNetworks.OneHot(seed, 3, 3));
    }
}
