namespace ScratchNet.Tests.Layers;

public sealed class DenseTests
{
    private static Dense TwoByTwo()
    {
        var dense = new Dense(2, 2);
        new float[] { 1, 2, 3, 4 }.CopyTo(dense.Weights.Value.Span);
        new float[] { 0.5f, -1 }.CopyTo(dense.Biases.Value.Span);
        return dense;
    }

    [Fact]
    public void Forward_computes_W_times_a_plus_b_for_every_sample()
    {
        // z = W·a + b with W = [[1, 2], [3, 4]], b = [0.5, −1]
        Tensor z = TwoByTwo().Forward(new Tensor([1, -1, 0.5f, 2], 2, 2), training: false);

        Assert.Equal([1 - 2 + 0.5f, 3 - 4 - 1, 0.5f + 4 + 0.5f, 1.5f + 8 - 1], z.Span.ToArray());
    }

    [Fact]
    public void Backward_gives_the_hand_derived_gradients()
    {
        Dense dense = TwoByTwo();
        var a = new Tensor([1, -1, 0.5f, 2], 2, 2);
        dense.Forward(a, training: true);
        var delta = new Tensor([1, 2, -1, 0.5f], 2, 2);

        Tensor inputGradient = dense.Backward(delta);

        // ∂C/∂wᵢⱼ = Σₙ δᵢ·aⱼ
        Assert.Equal([(1 * 1) + (-1 * 0.5f), (1 * -1) + (-1 * 2), (2 * 1) + (0.5f * 0.5f), (2 * -1) + (0.5f * 2)], dense.Weights.Gradient.Span.ToArray());
        // ∂C/∂bᵢ = Σₙ δᵢ
        Assert.Equal([1 - 1, 2 + 0.5f], dense.Biases.Gradient.Span.ToArray());
        // ∂C/∂aⱼ = Σᵢ wᵢⱼ·δᵢ
        Assert.Equal([(1 * 1) + (3 * 2), (2 * 1) + (4 * 2), (1 * -1) + (3 * 0.5f), (2 * -1) + (4 * 0.5f)], inputGradient.Span.ToArray());
    }

    [Fact]
    public void Forward_rejects_a_sample_of_the_wrong_size_naming_both_shapes()
    {
        var error = Assert.Throws<ArgumentException>(() => new Dense(3, 2).Forward(new Tensor(4, 5), training: false));

        Assert.StartsWith("Dense(3→2) takes samples of shape [3], not [5].", error.Message);
    }

    [Fact]
    public void Backward_before_forward_is_a_clear_error()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new Dense(3, 2).Backward(new Tensor(1, 2)));

        Assert.Equal("Dense(3→2): Backward was called before Forward.", error.Message);
    }

    [Theory]
    [InlineData(32)]  // the fewest rows that take the outer products
    [InlineData(100)] // the seed network's first layer at batch 100
    public void Sixteen_neurons_train_on_32_rows_or_more_as_outer_products_and_infer_as_dot_products_within_a_millionth_of_the_terms(int n)
    {
        var dense = new Dense(784, 16);
        dense.Initialize(new Random(3));
        TestNetworks.Random(4, -1, 1, 16).Span.CopyTo(dense.Biases.Value.Span);
        Tensor a = TestNetworks.Random(5, 0, 1, n, 784);

        float[] training = dense.Forward(a, training: true).Span.ToArray();
        float[] inference = dense.Forward(a, training: false).Span.ToArray();

        float[] w = dense.Weights.Value.Span.ToArray(), b = dense.Biases.Value.Span.ToArray(), x = a.Span.ToArray();
        for (int o = 0; o < training.Length; o++)
        {
            int r = o / 16, i = o % 16;
            float chain = 0f, magnitude = Math.Abs(b[i]);
            for (int j = 0; j < 784; j++)
            {
                chain = MathF.FusedMultiplyAdd(x[(r * 784) + j], w[(i * 784) + j], chain);
                magnitude += Math.Abs(x[(r * 784) + j] * w[(i * 784) + j]);
            }

            Assert.Equal(chain + b[i], training[o]);
            Assert.True(Math.Abs(training[o] - inference[o]) <= 1e-6f * magnitude, $"z[{r}, {i}]: {training[o]} in training, {inference[o]} in inference, terms of magnitude {magnitude}");
        }
    }

    [Theory]
    [InlineData(31, 16)] // one row too few
    [InlineData(100, 17)] // not 16 neurons
    [InlineData(64, 32)]
    public void Other_layers_and_smaller_batches_train_with_the_dot_products_of_inference(int n, int outputs)
    {
        var dense = new Dense(784, outputs);
        dense.Initialize(new Random(3));
        Tensor a = TestNetworks.Random(5, 0, 1, n, 784);

        float[] training = dense.Forward(a, training: true).Span.ToArray();

        Assert.Equal(dense.Forward(a, training: false).Span.ToArray(), training);
    }
}
