namespace ScratchNet.Tests.Layers;

public sealed class ConvolutionTests
{
    [Fact]
    public void Conv2D_forward_matches_a_convolution_computed_by_hand()
    {
        // One 3×3 single-channel image, one 2×2 filter, stride 1, no padding: a 2×2 output.
        var conv = new Conv2D(1, 1, 2);
        new float[] { 1, 0, -1, 2 }.CopyTo(conv.Weights.Value.Span); // W[u, v] row-major
        conv.Biases.Value[0] = 0.5f;
        var image = new Tensor([1, 2, 3, 4, 5, 6, 7, 8, 9], 1, 3, 3, 1);

        Tensor z = conv.Forward(image, training: false);

        // z[y, x] = 0.5 + 1·a[y, x] + 0·a[y, x+1] − 1·a[y+1, x] + 2·a[y+1, x+1]
        Assert.Equal([1, 2, 2, 1], z.Shape.ToArray());
        Assert.Equal([0.5f + 1 - 4 + 10, 0.5f + 2 - 5 + 12, 0.5f + 4 - 7 + 16, 0.5f + 5 - 8 + 18], z.Span.ToArray());
    }

    [Fact]
    public void Conv2D_padding_reads_zeros_outside_the_image_and_stride_skips_positions()
    {
        var conv = new Conv2D(1, 1, 3, stride: 2, padding: 1);
        conv.Weights.Value.Span.Fill(1f);
        var image = new Tensor([1, 2, 3, 4, 5, 6, 7, 8, 9], 1, 3, 3, 1);

        Tensor z = conv.Forward(image, training: false);

        // Output 2×2: each value sums the 3×3 window around pixels (0,0), (0,2), (2,0), (2,2).
        Assert.Equal([1 + 2 + 4 + 5, 2 + 3 + 5 + 6, 4 + 5 + 7 + 8, 5 + 6 + 8 + 9], z.Span.ToArray());
    }

    [Fact]
    public void Conv2D_mixes_every_input_channel_into_every_filter()
    {
        var conv = new Conv2D(2, 2, 1);
        new float[] { 1, 10, -1, 0.5f }.CopyTo(conv.Weights.Value.Span); // filter 0: (1, 10), filter 1: (−1, 0.5)
        var image = new Tensor([1, 2, 3, 4], 1, 1, 2, 2); // two pixels, two channels

        Tensor z = conv.Forward(image, training: false);

        Assert.Equal([1 + 20, -1 + 1, 3 + 40, -3 + 2], z.Span.ToArray());
    }

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
    public void Flatten_changes_only_the_shape()
    {
        var flatten = new Flatten();
        Tensor x = TestNetworks.Random(1, -1, 1, 2, 3, 3, 4);

        Tensor a = flatten.Forward(x, training: true);
        Tensor dz = flatten.Backward(a);

        Assert.Equal([2, 36], a.Shape.ToArray());
        Assert.Equal(x.Span.ToArray(), a.Span.ToArray());
        Assert.Equal([2, 3, 3, 4], dz.Shape.ToArray());
    }

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

    [Fact]
    public void Dropout_scales_what_it_keeps_in_training_and_passes_everything_at_inference()
    {
        var dropout = new Dropout(0.25f);
        dropout.Initialize(new Random(1));
        var x = new Tensor(1, 10_000);
        x.Span.Fill(1f);

        float[] training = dropout.Forward(x, training: true).Span.ToArray();
        Tensor inference = dropout.Forward(x, training: false);

        Assert.All(training, v => Assert.True(v == 0f || Math.Abs(v - (1f / 0.75f)) < 1e-6f));
        Assert.InRange(training.Count(v => v == 0f), 2300, 2700);
        Assert.Equal(x.Span.ToArray(), inference.Span.ToArray());
    }

    [Fact]
    public void A_small_convolutional_network_backpropagates_like_finite_differences()
    {
        var network = new Network(
            [5, 5, 2],
            new Conv2D(2, 3, 3, stride: 2, padding: 1), new BatchNorm(3), new Sigmoid(),
            new Conv2D(3, 4, 2), new Sigmoid(), new Flatten(), new Dense(16, 3), new Sigmoid());
        network.Initialize(4);
        var cost = new QuadraticCost();
        Tensor x = TestNetworks.Random(4, -1, 1, 3, 5, 5, 2);
        Tensor y = TestNetworks.OneHot(4, 3, 3);

        Tensor inputGradient = NumericGradient.Backpropagate(network, cost, x, y);
        float[][] analytic = network.Parameters.Select(p => p.Gradient.Span.ToArray()).ToArray();

        for (int p = 0; p < network.Parameters.Count; p++)
        {
            Tensor values = network.Parameters[p].Value;
            for (int i = 0; i < values.Length; i++)
            {
                // The finite differences run the network in training mode, as backprop saw it (batch statistics).
                double numeric = CentralInTraining(network, cost, x, y, values, i);
                NumericGradient.AssertClose(analytic[p][i], numeric, $"parameter {p} ({network.Parameters[p]}) index {i}");
            }
        }

        for (int i = 0; i < x.Length; i += 7)
        {
            NumericGradient.AssertClose(inputGradient[i], CentralInTraining(network, cost, x, y, x, i), $"input {i}");
        }
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

        Tensor inputGradient = NumericGradient.Backpropagate(network, cost, x, y);

        for (int i = 0; i < x.Length; i++)
        {
            NumericGradient.AssertClose(inputGradient[i], NumericGradient.Central(network, cost, x, y, x, i), $"input {i}");
        }

        Assert.Equal(2 * 6 * 2, inputGradient.Span.ToArray().Count(g => g != 0f)); // one winner per window: 2 samples × 6 windows × 2 channels
    }

    [Fact]
    public void Conv2D_rejects_images_with_the_wrong_number_of_channels()
    {
        var error = Assert.Throws<ArgumentException>(() => new Network([28, 28, 3], new Conv2D(1, 8, 3)));

        Assert.StartsWith("Layer 0 (Conv2D(1→8, 3×3)) cannot follow a layer with output shape [28, 28, 3]: Conv2D(1→8, 3×3) takes images of shape [H, W, 1], not [28, 28, 3].", error.Message);
    }

    private static double CentralInTraining(Network network, Cost cost, Tensor x, Tensor y, Tensor values, int index, float h = 1e-2f)
    {
        float saved = values[index];
        values[index] = saved + h;
        double plus = cost.Loss(network.Forward(x, training: true), y);
        values[index] = saved - h;
        double minus = cost.Loss(network.Forward(x, training: true), y);
        values[index] = saved;
        return (plus - minus) / (2.0 * h);
    }
}
