namespace ScratchNet;

/// <summary>
/// A random, smooth displacement of every pixel, as in Simard, Steinkraus and Platt (2003), "Best practices for
/// convolutional neural networks applied to visual document analysis":
/// <code>
/// Δx = α · (G_σ ∗ U),   Δy = α · (G_σ ∗ U′),   U, U′ uniform in [−1, 1] at each pixel
/// </code>
/// where G_σ is a normalized Gaussian of standard deviation σ pixels, cut at 3σ, with 0 outside the image.
/// A small σ makes the field nearly random (noise); a large σ nearly a shift; σ ≈ 4 bends strokes as hands do.
/// </summary>
internal sealed class ElasticField
{
    private readonly int _height, _width, _radius;
    private readonly float _alpha;
    private readonly double[] _kernel;
    private readonly double[] _noise, _rows;

    /// <summary>A field for images of <paramref name="height"/> × <paramref name="width"/> pixels.</summary>
    public ElasticField(int height, int width, float alpha, float sigma)
    {
        _height = height;
        _width = width;
        _alpha = alpha;
        _radius = (int)Math.Ceiling(3 * sigma);
        _kernel = new double[(2 * _radius) + 1];
        double sum = 0;
        for (int i = -_radius; i <= _radius; i++)
        {
            sum += _kernel[i + _radius] = Math.Exp(-(i * i) / (2.0 * sigma * sigma));
        }

        for (int i = 0; i < _kernel.Length; i++)
        {
            _kernel[i] /= sum;
        }

        _noise = new double[height * width];
        _rows = new double[height * width];
        Dx = new float[height * width];
        Dy = new float[height * width];
    }

    /// <summary>Δx of each pixel, row-major, in pixels.</summary>
    public float[] Dx { get; }

    /// <summary>Δy of each pixel, row-major, in pixels.</summary>
    public float[] Dy { get; }

    /// <summary>Draws a new field: first every U of Δx, row by row, then every U′ of Δy.</summary>
    public void Draw(Random random)
    {
        Smooth(random, Dx);
        Smooth(random, Dy);
    }

    /// <summary>α · (G_σ ∗ U) into <paramref name="field"/>: the Gaussian along each row, then along each column.</summary>
    private void Smooth(Random random, float[] field)
    {
        for (int i = 0; i < _noise.Length; i++)
        {
            _noise[i] = (2.0 * random.NextDouble()) - 1.0;
        }

        for (int y = 0; y < _height; y++)
        {
            for (int x = 0; x < _width; x++)
            {
                double sum = 0;
                for (int k = Math.Max(-_radius, -x); k <= Math.Min(_radius, _width - 1 - x); k++)
                {
                    sum += _kernel[k + _radius] * _noise[(y * _width) + x + k];
                }

                _rows[(y * _width) + x] = sum;
            }
        }

        for (int y = 0; y < _height; y++)
        {
            for (int x = 0; x < _width; x++)
            {
                double sum = 0;
                for (int k = Math.Max(-_radius, -y); k <= Math.Min(_radius, _height - 1 - y); k++)
                {
                    sum += _kernel[k + _radius] * _rows[((y + k) * _width) + x];
                }

                field[(y * _width) + x] = (float)(_alpha * sum);
            }
        }
    }
}
