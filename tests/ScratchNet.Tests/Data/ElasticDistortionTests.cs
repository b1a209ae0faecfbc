namespace ScratchNet.Tests.Data;

public sealed class ElasticDistortionTests
{
    [Fact]
    public void A_field_with_a_tiny_sigma_is_alpha_times_the_uniform_draws_first_x_then_y()
    {
        var field = new ElasticField(2, 3, alpha: 5f, sigma: 0.1f);   // G_σ is [e^−50, 1, e^−50]/Σ: the identity in float

        field.Draw(new Random(9));

        var random = new Random(9);
        float[] expected = Enumerable.Range(0, 12).Select(_ => (float)(5 * ((2 * random.NextDouble()) - 1))).ToArray();
        Assert.Equal(expected[..6], field.Dx);
        Assert.Equal(expected[6..], field.Dy);
    }

    [Fact]
    public void A_field_is_smooth_and_never_moves_a_pixel_more_than_alpha()
    {
        // α = 34, σ = 4 (Simard et al.): neighbours move almost together, distant pixels independently.
        var field = new ElasticField(28, 28, alpha: 34f, sigma: 4f);
        double neighbourGap = 0, size = 0;
        int count = 0;
        var random = new Random(1);
        for (int draw = 0; draw < 50; draw++)
        {
            field.Draw(random);
            for (int y = 4; y < 24; y++)
            {
                for (int x = 4; x < 24; x++)
                {
                    float d = field.Dx[(y * 28) + x];
                    Assert.InRange(Math.Abs(d), 0, 34);
                    neighbourGap += Math.Abs(d - field.Dx[(y * 28) + x + 1]);
                    size += d * d;
                    count++;
                }
            }
        }

        double rms = Math.Sqrt(size / count);
        // Var(G_σ ∗ U) ≈ (1/3)·Σ G² ≈ (1/3)/(4πσ²): an RMS of 34·0.0407 ≈ 1.4 pixels.
        Assert.InRange(rms, 1.1, 1.7);
        Assert.InRange(neighbourGap / count, 0, 0.2 * rms);
    }

    [Fact]
    public void An_elastic_distortion_alone_keeps_an_even_image_even_inside_and_bends_a_digit()
    {
        var augmentation = new ImageAugmentation(28, 28, maxShift: 0, maxRotationDegrees: 0, maxScale: 0, elasticAlpha: 8f, elasticSigma: 4f);
        var even = new Tensor(1, 784);
        even.Span.Fill(0.5f);

        augmentation.Apply(even, new Random(2));

        // Every pixel that still reads from inside the image reads 0.5 (bilinear of a constant); |Δ| ≤ 8 keeps the middle inside.
        for (int y = 9; y < 19; y++)
        {
            for (int x = 9; x < 19; x++)
            {
                Assert.Equal(0.5f, even[(y * 28) + x], 5);
            }
        }

        Dataset digit = MnistLocator.Data.Test.Slice(0, 1);
        Tensor bent = digit.Inputs.Clone();
        new ImageAugmentation(28, 28, 0, 0, 0, elasticAlpha: 34f).Apply(bent, new Random(2));
        Assert.NotEqual(digit.Inputs.Span.ToArray(), bent.Span.ToArray());
        Assert.InRange(bent.Span.ToArray().Sum() / digit.Inputs.Span.ToArray().Sum(), 0.7, 1.3);   // strokes stretch and shrink locally
    }

    [Fact]
    public void Without_elastic_distortion_the_random_stream_and_the_images_are_as_before()
    {
        // The shipped best network was trained with the plain augmentation; α = 0 must draw exactly what it drew.
        Dataset digits = MnistLocator.Data.Test.Slice(0, 4);
        Tensor plain = digits.Inputs.Clone(), zero = digits.Inputs.Clone();
        Random first = new(7), second = new(7);

        new ImageAugmentation(28, 28).Apply(plain, first);
        new ImageAugmentation(28, 28, elasticAlpha: 0f, elasticSigma: 6f).Apply(zero, second);

        Assert.Equal(plain.Span.ToArray(), zero.Span.ToArray());
        Assert.Equal(first.NextDouble(), second.NextDouble());
    }

    [Theory]
    [InlineData(-1f, 4f, "elasticAlpha", "The elastic strength α must be a finite number, 0 or more.")]
    [InlineData(float.PositiveInfinity, 4f, "elasticAlpha", "The elastic strength α must be a finite number, 0 or more.")]
    [InlineData(34f, 0f, "elasticSigma", "The elastic smoothness σ must be above 0 and at most 1000 pixels.")]
    [InlineData(34f, float.NaN, "elasticSigma", "The elastic smoothness σ must be above 0 and at most 1000 pixels.")]
    [InlineData(34f, 1e6f, "elasticSigma", "The elastic smoothness σ must be above 0 and at most 1000 pixels.")]
    public void Out_of_range_elastic_settings_are_refused(float alpha, float sigma, string parameter, string message)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new ImageAugmentation(28, 28, elasticAlpha: alpha, elasticSigma: sigma));

        Assert.Equal(parameter, error.ParamName);
        Assert.StartsWith(message, error.Message);
    }
}
