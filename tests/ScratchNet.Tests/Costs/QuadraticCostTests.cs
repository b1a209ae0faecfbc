namespace ScratchNet.Tests.Costs;

public sealed class QuadraticCostTests
{
    [Fact]
    public void Loss_is_the_sum_of_squared_errors_averaged_over_the_batch()
    {
        var a = new Tensor([0.5f, 0.25f, 1, 0], 2, 2);
        var y = new Tensor([1, 0, 1, 1], 2, 2);

        // sample 1: 0.25 + 0.0625, sample 2: 0 + 1; mean over the two samples
        Assert.Equal((0.3125 + 1) / 2, new QuadraticCost().Loss(a, y), 12);
    }

    [Theory]
    [InlineData(1, 7)]    // shorter than a vector: the scalar loop only
    [InlineData(3, 10)]   // the seed network's batch of outputs: vectors of 8 and a tail
    [InlineData(5, 16)]
    public void Loss_in_vectors_equals_the_sum_in_doubles(int batch, int outputs)
    {
        Tensor a = TestNetworks.Random(1, 0, 1, batch, outputs);
        Tensor y = TestNetworks.Random(2, 0, 1, batch, outputs);
        double sum = 0;
        for (int i = 0; i < a.Length; i++)
        {
            double e = (double)a[i] - y[i];
            sum += e * e;
        }

        // The vector loop adds in another order than this one: the same sum to within a few roundings of a double.
        Assert.Equal(sum / batch, new QuadraticCost().Loss(a, y), 14);
    }

    [Fact]
    public void Gradient_is_two_times_a_minus_y_over_the_batch_size()
    {
        var a = new Tensor([0.5f, 0.25f, 1, 0], 2, 2);
        var y = new Tensor([1, 0, 1, 1], 2, 2);
        var g = new Tensor(2, 2);

        new QuadraticCost().Gradient(a, y, g);

        Assert.Equal([2 * -0.5f / 2, 2 * 0.25f / 2, 0, 2 * -1f / 2], g.Span.ToArray());
    }

    [Fact]
    public void Mismatched_targets_are_a_clear_error()
    {
        var error = Assert.Throws<ArgumentException>(() => new QuadraticCost().Loss(new Tensor(2, 10), new Tensor(2, 9)));

        Assert.StartsWith("QuadraticCost: the targets have shape [2, 9] but the outputs have shape [2, 10].", error.Message);
    }
}
