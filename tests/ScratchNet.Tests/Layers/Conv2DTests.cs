namespace ScratchNet.Tests.Layers;

public sealed class Conv2DTests
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

        // The checker runs the network in training mode, as backprop saw it (batch statistics).
        GradientCheckReport report = GradientChecker.Check(network, cost, x, y);

        Assert.True(report.Passed, report.ToString());
        Assert.Equal(network.Parameters.Count + 1, report.Tensors.Count);
        Assert.Equal(network.Parameters.Sum(p => p.Value.Length) + x.Length, report.Tensors.Sum(t => t.EntriesChecked));
    }

    [Fact]
    public void Training_sums_as_outer_products_and_inference_as_dot_products_within_a_millionth()
    {
        // 32 filters: training takes the outer products (each z one chain of fused multiply-adds over the patch, then b),
        // inference the dot products. Both are the convolution; they round differently.
        var conv = new Conv2D(16, 32, 3, padding: 1, initializer: Initializer.HeUniform);
        conv.Initialize(new Random(3));
        TestNetworks.Random(4, -1, 1, 32).Span.CopyTo(conv.Biases.Value.Span);
        Tensor images = TestNetworks.Random(5, 0, 1, 3, 6, 6, 16);

        float[] training = conv.Forward(images, training: true).Span.ToArray();
        float[] inference = conv.Forward(images, training: false).Span.ToArray();

        float[] w = conv.Weights.Value.Span.ToArray(), b = conv.Biases.Value.Span.ToArray(), x = images.Span.ToArray();
        for (int i = 0; i < training.Length; i++)
        {
            int f = i % 32, pixel = i / 32, n = pixel / 36, y = pixel % 36 / 6, column = pixel % 6;
            float chain = 0f;
            for (int u = 0; u < 3; u++)
            {
                for (int v = 0; v < 3; v++)
                {
                    for (int c = 0; c < 16; c++)
                    {
                        int row = y + u - 1, col = column + v - 1;
                        float input = row is >= 0 and < 6 && col is >= 0 and < 6 ? x[(((((n * 6) + row) * 6) + col) * 16) + c] : 0f;
                        chain = MathF.FusedMultiplyAdd(input, w[(f * 144) + (((u * 3) + v) * 16) + c], chain);
                    }
                }
            }

            Assert.Equal(chain + b[f], training[i]);
            Assert.True(Math.Abs(training[i] - inference[i]) <= 1e-6f * Math.Max(1f, Math.Abs(training[i])), $"output {i}: {training[i]} in training, {inference[i]} in inference");
        }
    }

    [Fact]
    public void Conv2D_rejects_images_with_the_wrong_number_of_channels()
    {
        var error = Assert.Throws<ArgumentException>(() => new Network([28, 28, 3], new Conv2D(1, 8, 3)));

        Assert.StartsWith("Layer 0 (Conv2D(1→8, 3×3)) cannot follow a layer with output shape [28, 28, 3]: Conv2D(1→8, 3×3) takes images of shape [H, W, 1], not [28, 28, 3].", error.Message);
    }
}
