namespace ScratchNet;

/// <summary>
/// Small random distortions of images, as a person's handwriting varies: each image is rotated by up to
/// ±<see cref="MaxRotationDegrees"/>, scaled by up to ±<see cref="MaxScale"/> and shifted by up to
/// ±<see cref="MaxShift"/> pixels, about its centre, with bilinear interpolation (0 outside the image); with an
/// <see cref="ElasticAlpha"/> above 0, every pixel is also moved by its own smooth random displacement Δ(p), as a pen
/// wobbles (elastic distortion: Δ = α·(G_σ ∗ U), U uniform in [−1, 1] per pixel, G_σ a Gaussian of σ =
/// <see cref="ElasticSigma"/> pixels).
/// <code>
/// for each output pixel p:  q = R(−θ)·(p − c − t)/s + c + Δ(p),   image'(p) = bilinear(image, q)
/// </code>
/// Works on greyscale or multi-channel images stored row-major and channels-last, e.g. MNIST rows of 784.
/// </summary>
public sealed class ImageAugmentation : Augmentation
{
    private readonly ElasticField? _elastic;
    private float[] _source = [];

    /// <summary>Describes the images and how far to distort them.</summary>
    /// <param name="height">Image height in pixels (28 for MNIST).</param>
    /// <param name="width">Image width in pixels.</param>
    /// <param name="maxShift">The largest shift, in pixels, along each axis.</param>
    /// <param name="maxRotationDegrees">The largest rotation, in degrees, either way.</param>
    /// <param name="maxScale">The largest relative change of size, e.g. 0.1 for 90% to 110%.</param>
    /// <param name="elasticAlpha">α, the strength of the elastic distortion in pixels (0: none; 34 with σ = 4 in Simard et al. 2003).</param>
    /// <param name="elasticSigma">σ, the smoothness of the elastic distortion in pixels (above 0).</param>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
    public ImageAugmentation(int height, int width, float maxShift = 2f, float maxRotationDegrees = 10f, float maxScale = 0.1f, float elasticAlpha = 0f, float elasticSigma = 4f)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(maxShift);
        ArgumentOutOfRangeException.ThrowIfNegative(maxRotationDegrees);
        if (!(maxScale >= 0f && maxScale < 1f))
        {
            throw new ArgumentOutOfRangeException(nameof(maxScale), maxScale, "The scale change must be in [0, 1).");
        }

        if (!(elasticAlpha >= 0f && float.IsFinite(elasticAlpha)))
        {
            throw new ArgumentOutOfRangeException(nameof(elasticAlpha), elasticAlpha, "The elastic strength α must be a finite number, 0 or more.");
        }

        if (!(elasticSigma > 0f && elasticSigma <= 1000f))
        {
            throw new ArgumentOutOfRangeException(nameof(elasticSigma), elasticSigma, "The elastic smoothness σ must be above 0 and at most 1000 pixels.");
        }

        Height = height;
        Width = width;
        ElasticAlpha = elasticAlpha;
        ElasticSigma = elasticSigma;
        _elastic = elasticAlpha > 0f ? new ElasticField(height, width, elasticAlpha, elasticSigma) : null;
        MaxShift = maxShift;
        MaxRotationDegrees = maxRotationDegrees;
        MaxScale = maxScale;
    }

    /// <summary>Image height in pixels.</summary>
    public int Height { get; }

    /// <summary>Image width in pixels.</summary>
    public int Width { get; }

    /// <summary>The largest shift in pixels.</summary>
    public float MaxShift { get; }

    /// <summary>The largest rotation in degrees.</summary>
    public float MaxRotationDegrees { get; }

    /// <summary>The largest relative change of size.</summary>
    public float MaxScale { get; }

    /// <summary>α, the strength of the elastic distortion in pixels; 0 when there is none.</summary>
    public float ElasticAlpha { get; }

    /// <summary>σ, the smoothness of the elastic distortion in pixels.</summary>
    public float ElasticSigma { get; }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The samples are not whole images of the stated size.</exception>
    public override void Apply(Tensor batch, Random random)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(random);
        int pixels = Height * Width;
        if (batch.SampleSize % pixels != 0)
        {
            throw new ArgumentException($"Samples of {batch.SampleSize} values are not {Height}×{Width} images.", nameof(batch));
        }

        if (_source.Length != batch.SampleSize)
        {
            _source = new float[batch.SampleSize];
        }

        for (int n = 0; n < batch.BatchSize; n++)
        {
            double angle = Uniform(random, MaxRotationDegrees) * Math.PI / 180.0;
            double scale = 1.0 + Uniform(random, MaxScale);
            double shiftX = Uniform(random, MaxShift);
            double shiftY = Uniform(random, MaxShift);
            _elastic?.Draw(random);
            Span<float> image = batch.Sample(n);
            image.CopyTo(_source);
            Transform(_source, image, batch.SampleSize / pixels, angle, scale, shiftX, shiftY, _elastic);
        }
    }

    /// <summary>Resamples <paramref name="source"/> into <paramref name="target"/> through the inverse of the distortion.</summary>
    internal void Transform(ReadOnlySpan<float> source, Span<float> target, int channels, double angle, double scale, double shiftX, double shiftY, ElasticField? elastic = null)
    {
        double centreX = (Width - 1) / 2.0, centreY = (Height - 1) / 2.0;
        double cos = Math.Cos(angle) / scale, sin = Math.Sin(angle) / scale;
        for (int y = 0; y < Height; y++)
        {
            for (int x = 0; x < Width; x++)
            {
                double dx = x - centreX - shiftX, dy = y - centreY - shiftY;
                double sourceX = (cos * dx) + (sin * dy) + centreX;
                double sourceY = (-sin * dx) + (cos * dy) + centreY;
                if (elastic is not null)
                {
                    sourceX += elastic.Dx[(y * Width) + x];
                    sourceY += elastic.Dy[(y * Width) + x];
                }

                for (int c = 0; c < channels; c++)
                {
                    target[(((y * Width) + x) * channels) + c] = Bilinear(source, sourceX, sourceY, c, channels);
                }
            }
        }
    }

    private float Bilinear(ReadOnlySpan<float> image, double x, double y, int channel, int channels)
    {
        int x0 = (int)Math.Floor(x), y0 = (int)Math.Floor(y);
        float fx = (float)(x - x0), fy = (float)(y - y0);
        float top = ((1 - fx) * Pixel(image, x0, y0, channel, channels)) + (fx * Pixel(image, x0 + 1, y0, channel, channels));
        float bottom = ((1 - fx) * Pixel(image, x0, y0 + 1, channel, channels)) + (fx * Pixel(image, x0 + 1, y0 + 1, channel, channels));
        return ((1 - fy) * top) + (fy * bottom);
    }

    private float Pixel(ReadOnlySpan<float> image, int x, int y, int channel, int channels) =>
        (uint)x < (uint)Width && (uint)y < (uint)Height ? image[(((y * Width) + x) * channels) + channel] : 0f;

    private static double Uniform(Random random, double limit) => ((2.0 * random.NextDouble()) - 1.0) * limit;
}
