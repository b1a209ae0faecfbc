namespace ScratchNet.Tests.Layers;

public sealed class BatchNormTests
{
    [Fact]
    public void BatchNorm_in_training_gives_each_feature_mean_zero_and_variance_one()
    {
        var norm = new BatchNorm(3);
        Tensor x = TestNetworks.Random(3, -5, 20, 50, 3);

        Tensor a = norm.Forward(x, training: true);

        for (int c = 0; c < 3; c++)
        {
            double[] column = Enumerable.Range(0, 50).Select(r => (double)a[(r * 3) + c]).ToArray();
            double mean = column.Average();
            Assert.Equal(0, mean, 5);
            Assert.Equal(1, column.Average(v => (v - mean) * (v - mean)), 3);
        }
    }

    [Fact]
    public void BatchNorm_at_inference_uses_the_running_statistics()
    {
        var norm = new BatchNorm(1, momentum: 1f);
        norm.Forward(new Tensor([1, 3], 2, 1), training: true); // μ = 2, σ² = 1 (unbiased 2)

        Tensor a = norm.Forward(new Tensor([2 + MathF.Sqrt(2)], 1, 1), training: false);

        Assert.Equal(2f, norm.RunningMean[0]);
        Assert.Equal(2f, norm.RunningVariance[0]);
        Assert.Equal(1f, a[0], 4);
    }
}
