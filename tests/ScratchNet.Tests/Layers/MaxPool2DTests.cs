namespace ScratchNet.Tests.Layers;

public sealed class MaxPool2DTests
{
    [Fact]
    public void MaxPool2D_keeps_the_largest_value_of_each_window_and_routes_the_gradient_to_it()
    {
        var pool = new MaxPool2D(2);
        var image = new Tensor([1, 5, 2, 0, 3, 4, 8, 1, 0, 0, 9, 9, 0, 0, 9, 9], 1, 4, 4, 1);

        Tensor a = pool.Forward(image, training: true);
        Tensor dz = pool.Backward(new Tensor([10, 20, 30, 40], 1, 2, 2, 1));

        Assert.Equal([5, 8, 0, 9], a.Span.ToArray());
        Assert.Equal([0, 10, 0, 0, 0, 0, 20, 0, 30, 0, 40, 0, 0, 0, 0, 0], dz.Span.ToArray());
    }

    [Theory]
    [InlineData(11, 2, 2)]
    [InlineData(16, 3, 2)]
    [InlineData(8, 2, 1)]
    public void MaxPool2D_over_many_channels_matches_a_plain_loop(int channels, int size, int stride)
    {
        var pool = new MaxPool2D(size, stride);
        Tensor x = TestNetworks.Random(channels, -1, 1, 2, 7, 6, channels);
        x[5 * channels] = x[4 * channels]; // a tie: the first position must win

        Tensor a = pool.Forward(x, training: true);
        Tensor da = TestNetworks.Random(1, 1, 2, a.Shape.ToArray());
        Tensor dz = pool.Backward(da);

        int outHeight = ((7 - size) / stride) + 1, outWidth = ((6 - size) / stride) + 1;
        var expectedGradient = new float[x.Length];
        for (int n = 0, o = 0; n < 2; n++)
        {
            for (int y = 0; y < outHeight; y++)
            {
                for (int xo = 0; xo < outWidth; xo++)
                {
                    for (int c = 0; c < channels; c++, o++)
                    {
                        int best = -1;
                        for (int u = 0; u < size; u++)
                        {
                            for (int v = 0; v < size; v++)
                            {
                                int i = (((((n * 7) + (y * stride) + u) * 6) + (xo * stride) + v) * channels) + c;
                                if (best < 0 || x[i] > x[best])
                                {
                                    best = i;
                                }
                            }
                        }

                        Assert.Equal(x[best], a[o]);
                        expectedGradient[best] += da[o];
                    }
                }
            }
        }

        Assert.Equal(expectedGradient, dz.Span.ToArray());
    }

    [Fact]
    public void MaxPool2D_backpropagates_like_finite_differences_away_from_ties()
    {
        // Inputs 0.1 apart, shuffled, so no step of the finite differences changes which value is largest.
        var network = new Network([4, 6, 2], new MaxPool2D(2), new Flatten(), new Dense(12, 3), new Sigmoid());
        network.Initialize(6);
        var cost = new QuadraticCost();
        float[] values = Enumerable.Range(0, 2 * 48).Select(i => (i * 0.1f) - 4.8f).ToArray();
        new Random(6).Shuffle(values);
        var x = new Tensor(values, 2, 4, 6, 2);
        Tensor y = TestNetworks.OneHot(6, 2, 3);

        GradientCheckReport report = GradientChecker.Check(network, cost, x, y);
        Tensor inputGradient = TestNetworks.Backpropagate(network, cost, x, y);

        Assert.True(report.Passed, report.ToString());
        Assert.Equal(x.Length, report.Tensors[^1].EntriesChecked);
        Assert.Empty(report.Tensors[^1].KinkIndices); // no tie within two steps of any input
        Assert.Equal(2 * 6 * 2, inputGradient.Span.ToArray().Count(g => g != 0f)); // one winner per window: 2 samples × 6 windows × 2 channels
    }
}
