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
}
