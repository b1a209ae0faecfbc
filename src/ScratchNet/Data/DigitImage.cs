namespace ScratchNet;

/// <summary>
/// Turns a drawing into the 784 inputs a network trained on MNIST expects, the way MNIST's own digits
/// were made:
/// <code>
/// float[]? inputs = DigitImage.FromCanvas(pixels, width, height);   // null: nothing drawn
/// if (inputs is not null) { int digit = Pretrained.MnistSeed().Classify(inputs); }
/// </code>
/// </summary>
/// <remarks>
/// A drawing is not an MNIST image. MNIST's digits were scaled so that the longer side of the ink's
/// bounding box is 20 pixels, keeping the aspect ratio and anti-aliased, and then placed in a 28 × 28
/// field so that their centre of mass falls on the centre. A network trained on them misreads a digit
/// drawn small, large or off-centre unless the drawing gets the same treatment, which is what
/// <see cref="FromCanvas"/> does, step by step:
/// <list type="number">
/// <item>find the bounding box of the ink (every pixel above 0);</item>
/// <item>scale that box so its longer side is <see cref="DigitSide"/> (20) pixels and the other side
/// keeps the aspect ratio (rounded, at least 1 pixel): shrinking averages the area each new pixel covers
/// (a box filter, which anti-aliases), enlarging a small drawing (such as a dot) interpolates bilinearly;</item>
/// <item>if the brightest scaled pixel is below 1 (a very thin or faint stroke, which shrinking
/// thins out to grey), divide every value by it so that the strongest ink is 1, as in MNIST, whose
/// strokes come from pen-width binary scans;</item>
/// <item>compute the centre of mass of the scaled ink and paste it into the 28 × 28 field moved by whole
/// pixels so that the centre of mass lands within half a pixel of (14, 14) in pixel indices (x to the
/// right, y down), where MNIST's test images have theirs on average; whole-pixel moves keep the strokes
/// sharp, as a sub-pixel shift would blur them. Ink moved past the edge of the field is dropped, as in
/// MNIST;</item>
/// <item>clamp every value to [0, 1] (pixel / 255, 0 = background, 1 = ink).</item>
/// </list>
/// </remarks>
public static class DigitImage
{
    /// <summary>The largest canvas width or height accepted, in pixels.</summary>
    public const int MaxSide = 1024;

    /// <summary>The side, in pixels, of the box the ink is scaled to fit (MNIST's 20).</summary>
    public const int DigitSide = 20;

    /// <summary>Where the centre of mass is placed, in pixel indices of the 28 × 28 field, on both axes.</summary>
    public const int Centre = 14;

    /// <summary>
    /// Preprocesses a greyscale drawing as MNIST's digits were: the ink scaled so the longer side of its
    /// bounding box is 20 pixels, anti-aliased, and placed in 28 × 28 with its centre of mass at (14, 14).
    /// </summary>
    /// <param name="pixels">The canvas, row-major, one byte per pixel: 0 = background, 255 = ink.</param>
    /// <param name="width">The canvas width in pixels, 1 to <see cref="MaxSide"/>.</param>
    /// <param name="height">The canvas height in pixels, 1 to <see cref="MaxSide"/>.</param>
    /// <returns>
    /// The 784 inputs, row-major, each in [0, 1] with 0 = background, ready for
    /// <see cref="Network.Predict(ReadOnlySpan{float})"/>; or <see langword="null"/> when nothing is
    /// drawn (every pixel is 0), so that a blank canvas is never given a guess.
    /// </returns>
    /// <exception cref="ArgumentOutOfRangeException">The width or height is below 1 or above <see cref="MaxSide"/>.</exception>
    /// <exception cref="ArgumentException">The buffer does not hold width × height bytes.</exception>
    public static float[]? FromCanvas(ReadOnlySpan<byte> pixels, int width, int height)
    {
        ValidateSide(width, nameof(width));
        ValidateSide(height, nameof(height));
        if (pixels.Length != width * height)
        {
            throw new ArgumentException(
                $"The canvas is {width} × {height} = {width * height} pixels, but the buffer holds {pixels.Length} bytes; it needs one byte per pixel, row-major.",
                nameof(pixels));
        }

        if (!TryFindInk(pixels, width, height, out int left, out int top, out int right, out int bottom))
        {
            return null;
        }

        int boxWidth = right - left + 1;
        int boxHeight = bottom - top + 1;
        float scale = (float)DigitSide / Math.Max(boxWidth, boxHeight);
        int scaledWidth = Math.Clamp((int)MathF.Round(boxWidth * scale), 1, DigitSide);
        int scaledHeight = Math.Clamp((int)MathF.Round(boxHeight * scale), 1, DigitSide);

        float[] scaled = new float[scaledWidth * scaledHeight];
        if (scale <= 1f)
        {
            BoxShrink(pixels, width, left, top, boxWidth, boxHeight, scaled, scaledWidth, scaledHeight);
        }
        else
        {
            BilinearEnlarge(pixels, width, left, top, boxWidth, boxHeight, scaled, scaledWidth, scaledHeight);
        }

        float brightest = 0;
        foreach (float v in scaled)
        {
            brightest = Math.Max(brightest, v);
        }

        if (brightest is > 0 and < 1)
        {
            foreach (ref float v in scaled.AsSpan())
            {
                v /= brightest;
            }
        }

        return PlaceByCentreOfMass(scaled, scaledWidth, scaledHeight);
    }

    private static void ValidateSide(int side, string name)
    {
        if (side < 1 || side > MaxSide)
        {
            throw new ArgumentOutOfRangeException(name, side, $"The canvas {name} must be from 1 to {MaxSide} pixels, but it is {side}.");
        }
    }

    private static bool TryFindInk(ReadOnlySpan<byte> pixels, int width, int height, out int left, out int top, out int right, out int bottom)
    {
        left = width;
        top = height;
        right = -1;
        bottom = -1;
        for (int y = 0; y < height; y++)
        {
            ReadOnlySpan<byte> row = pixels.Slice(y * width, width);
            int first = row.IndexOfAnyExcept((byte)0);
            if (first < 0)
            {
                continue;
            }

            int last = row.LastIndexOfAnyExcept((byte)0);
            left = Math.Min(left, first);
            right = Math.Max(right, last);
            top = Math.Min(top, y);
            bottom = y;
        }

        return right >= 0;
    }

    /// <summary>
    /// Area averaging: output pixel (x, y) covers the source rectangle [x / s, (x + 1) / s) × [y / s, (y + 1) / s)
    /// of the bounding box, and its value is the mean of the source pixels weighted by how much of each
    /// that rectangle covers.
    /// </summary>
    private static void BoxShrink(
        ReadOnlySpan<byte> pixels, int width, int left, int top, int boxWidth, int boxHeight,
        Span<float> scaled, int scaledWidth, int scaledHeight)
    {
        // Doubles, so that a region of full ink averages to exactly 1 and a symmetric shape has its
        // centre of mass exactly in its middle.
        double stepX = (double)boxWidth / scaledWidth;
        double stepY = (double)boxHeight / scaledHeight;
        for (int y = 0; y < scaledHeight; y++)
        {
            double y0 = y * stepY;
            double y1 = (y + 1) * stepY;
            for (int x = 0; x < scaledWidth; x++)
            {
                double x0 = x * stepX;
                double x1 = (x + 1) * stepX;
                double sum = 0;
                for (int sy = (int)y0; sy < Math.Min(boxHeight, (int)Math.Ceiling(y1)); sy++)
                {
                    double coverY = Math.Min(y1, sy + 1) - Math.Max(y0, sy);
                    if (coverY <= 0)
                    {
                        continue;
                    }

                    ReadOnlySpan<byte> row = pixels.Slice(((top + sy) * width) + left, boxWidth);
                    double rowSum = 0;
                    for (int sx = (int)x0; sx < Math.Min(boxWidth, (int)Math.Ceiling(x1)); sx++)
                    {
                        double coverX = Math.Min(x1, sx + 1) - Math.Max(x0, sx);
                        if (coverX > 0)
                        {
                            rowSum += coverX * row[sx];
                        }
                    }

                    sum += coverY * rowSum;
                }

                scaled[(y * scaledWidth) + x] = (float)(sum / ((x1 - x0) * (y1 - y0) * 255.0));
            }
        }
    }

    /// <summary>
    /// Bilinear interpolation between the centres of the source pixels, clamped at the edges of the
    /// bounding box, for drawings smaller than 20 pixels.
    /// </summary>
    private static void BilinearEnlarge(
        ReadOnlySpan<byte> pixels, int width, int left, int top, int boxWidth, int boxHeight,
        Span<float> scaled, int scaledWidth, int scaledHeight)
    {
        float stepX = (float)boxWidth / scaledWidth;
        float stepY = (float)boxHeight / scaledHeight;
        for (int y = 0; y < scaledHeight; y++)
        {
            float sy = Math.Clamp(((y + 0.5f) * stepY) - 0.5f, 0, boxHeight - 1);
            int y0 = (int)sy;
            int y1 = Math.Min(y0 + 1, boxHeight - 1);
            float fy = sy - y0;
            for (int x = 0; x < scaledWidth; x++)
            {
                float sx = Math.Clamp(((x + 0.5f) * stepX) - 0.5f, 0, boxWidth - 1);
                int x0 = (int)sx;
                int x1 = Math.Min(x0 + 1, boxWidth - 1);
                float fx = sx - x0;
                int row0 = ((top + y0) * width) + left, row1 = ((top + y1) * width) + left;
                float a = pixels[row0 + x0], b = pixels[row0 + x1], c = pixels[row1 + x0], d = pixels[row1 + x1];
                float value = ((1 - fy) * (((1 - fx) * a) + (fx * b))) + (fy * (((1 - fx) * c) + (fx * d)));
                scaled[(y * scaledWidth) + x] = value / 255f;
            }
        }
    }

    private static float[] PlaceByCentreOfMass(ReadOnlySpan<float> scaled, int scaledWidth, int scaledHeight)
    {
        double mass = 0, momentX = 0, momentY = 0;
        for (int y = 0; y < scaledHeight; y++)
        {
            for (int x = 0; x < scaledWidth; x++)
            {
                float v = scaled[(y * scaledWidth) + x];
                mass += v;
                momentX += v * x;
                momentY += v * y;
            }
        }

        // The bounding box holds ink, so its scaled image does too: mass > 0. Fall back to the box's
        // centre all the same should rounding ever make it vanish.
        double centreX = mass > 0 ? momentX / mass : (scaledWidth - 1) / 2.0;
        double centreY = mass > 0 ? momentY / mass : (scaledHeight - 1) / 2.0;
        int offsetX = (int)Math.Round(Centre - centreX, MidpointRounding.AwayFromZero);
        int offsetY = (int)Math.Round(Centre - centreY, MidpointRounding.AwayFromZero);

        float[] inputs = new float[Mnist.PixelCount];
        for (int y = 0; y < scaledHeight; y++)
        {
            int ty = y + offsetY;
            if (ty is < 0 or >= Mnist.ImageSide)
            {
                continue;
            }

            for (int x = 0; x < scaledWidth; x++)
            {
                int tx = x + offsetX;
                if (tx is >= 0 and < Mnist.ImageSide)
                {
                    inputs[(ty * Mnist.ImageSide) + tx] = Math.Clamp(scaled[(y * scaledWidth) + x], 0f, 1f);
                }
            }
        }

        return inputs;
    }
}
