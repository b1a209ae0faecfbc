namespace ScratchNet.Tests.Activations;

public sealed class SigmoidTests
{
    [Fact]
    public void Forward_is_the_logistic_function_and_saturates_without_NaN()
    {
        Tensor a = new Sigmoid().Forward(new Tensor([0, -0.5f, 2, -1000, 1000], 1, 5), training: false);

        Assert.Equal(0.5f, a[0]);
        Assert.Equal(0.37754067f, a[1], 6);
        Assert.Equal(0.88079708f, a[2], 6);
        Assert.Equal(0f, a[3]);
        Assert.Equal(1f, a[4]);
    }

    [Fact]
    public void Backward_multiplies_by_sigma_prime_which_is_a_times_one_minus_a()
    {
        var sigmoid = new Sigmoid();
        sigmoid.Forward(new Tensor([0, 2], 1, 2), training: true);

        Tensor dz = sigmoid.Backward(new Tensor([1, 3], 1, 2));

        float a1 = 1f / (1f + MathF.Exp(-2f));
        Assert.Equal(0.25f, dz[0]);
        Assert.Equal(3 * a1 * (1 - a1), dz[1], 6);
    }
}
