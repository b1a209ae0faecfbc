namespace ScratchNet.Tests.Data;

public sealed class DigitImageTests
{
    private const int Side = Mnist.ImageSide;

    [Fact]
    public void A_centred_square_becomes_a_20_pixel_square_of_ink_with_its_centre_of_mass_within_half_a_pixel_of_14()
    {
        byte[] canvas = Canvas(100, 100);
        Fill(canvas, 100, left: 30, top: 30, width: 40, height: 40);

        float[] inputs = DigitImage.FromCanvas(canvas, 100, 100)!;

        // 40 px scaled by 1/2 to 20 px; its centre of mass (9.5, 9.5) moves by round(4.5) = 5 pixels.
        Assert.Equal(Block(left: 5, top: 5, width: 20, height: 20), inputs);
        Assert.Equal((14.5, 14.5), CentreOfMass(inputs));
    }

    [Fact]
    public void An_off_centre_bar_keeps_its_aspect_ratio_and_moves_to_the_centre()
    {
        byte[] canvas = Canvas(200, 100);
        Fill(canvas, 200, left: 10, top: 5, width: 80, height: 20);

        float[] inputs = DigitImage.FromCanvas(canvas, 200, 100)!;

        // 80 × 20 scaled by 1/4 to 20 × 5; centre of mass (9.5, 2) moves by (5, 12).
        Assert.Equal(Block(left: 5, top: 12, width: 20, height: 5), inputs);
    }

    [Fact]
    public void The_centre_of_mass_not_the_bounding_box_is_centred()
    {
        // A 20 × 40 block and one pixel 10 px to its right: the box is 30 × 40, but the mass is on the left.
        byte[] canvas = Canvas(100, 100);
        Fill(canvas, 100, left: 30, top: 30, width: 20, height: 40);
        canvas[(30 * 100) + 59] = 255;

        float[] inputs = DigitImage.FromCanvas(canvas, 100, 100)!;

        // Scaled by 1/2 to 15 × 20: a 10 × 20 block at x 0..9 plus a quarter-covered pixel at (14, 0).
        // Centre of mass x = (200 · 4.5 + 0.25 · 14) / 200.25 = 4.512, moved by round(9.488) = 9 (centring
        // the box would move it by 6 or 7); y = 9.488, moved by round(4.512) = 5.
        float[] expected = Block(left: 9, top: 5, width: 10, height: 20);
        expected[(5 * Side) + 23] = 0.25f;
        Assert.Equal(expected, inputs);
        (double x, double y) = CentreOfMass(inputs);
        Assert.InRange(x, 13.5, 14.5);
        Assert.InRange(y, 13.5, 14.5);
    }

    [Fact]
    public void A_single_dot_is_enlarged_to_the_full_20_pixels()
    {
        byte[] canvas = Canvas(28, 28);
        canvas[(20 * 28) + 3] = 128;

        float[] inputs = DigitImage.FromCanvas(canvas, 28, 28)!;

        // Bilinear enlargement of one pixel is that pixel everywhere; a faint dot is stretched to full ink.
        Assert.Equal(Block(left: 5, top: 5, width: 20, height: 20), inputs);
    }

    [Fact]
    public void Strokes_touching_every_border_are_kept_whole()
    {
        // A frame around the whole 50 × 60 canvas, 5 px wide.
        byte[] canvas = Canvas(50, 60);
        Fill(canvas, 50, left: 0, top: 0, width: 50, height: 5);
        Fill(canvas, 50, left: 0, top: 55, width: 50, height: 5);
        Fill(canvas, 50, left: 0, top: 0, width: 5, height: 60);
        Fill(canvas, 50, left: 45, top: 0, width: 5, height: 60);

        float[] inputs = DigitImage.FromCanvas(canvas, 50, 60)!;

        // 50 × 60 scaled by 1/3 to 17 × 20: the outer pixels are full ink, the second row covers source
        // rows 3 to 6 of which 3 and 4 are ink (2/3), the middle is empty; centred by (6, 5).
        Assert.Equal((6, 5, 22, 24), BoundingBox(inputs));
        Assert.Equal(1f, inputs[(5 * Side) + 6]);
        Assert.Equal(1f, inputs[(24 * Side) + 22]);
        Assert.Equal(1f, inputs[(14 * Side) + 6]);
        Assert.Equal(2f / 3, inputs[(6 * Side) + 14], 1e-5f);
        Assert.Equal(0f, inputs[(14 * Side) + 14]);
    }

    [Fact]
    public void A_canvas_full_of_ink_at_the_largest_size_becomes_a_20_pixel_square()
    {
        byte[] canvas = new byte[1024 * 1024];
        Array.Fill(canvas, (byte)255);

        Assert.Equal(Block(left: 5, top: 5, width: 20, height: 20), DigitImage.FromCanvas(canvas, 1024, 1024));
    }

    [Fact]
    public void A_one_pixel_line_on_a_large_canvas_is_stretched_to_full_ink_instead_of_fading_to_grey()
    {
        // A 1 px diagonal on 400 × 400 covers a twentieth of each scaled pixel.
        byte[] canvas = Canvas(400, 400);
        for (int i = 0; i < 400; i++)
        {
            canvas[(i * 400) + i] = 255;
        }

        float[] inputs = DigitImage.FromCanvas(canvas, 400, 400)!;

        Assert.Equal(1f, inputs.Max());
        for (int i = 0; i < 20; i++)
        {
            Assert.Equal(1f, inputs[((i + 5) * Side) + i + 5], 1e-5f);
        }

        Assert.Equal(20f, inputs.Sum(), 1e-3f);
    }

    [Fact]
    public void A_very_thick_stroke_stays_full_ink_inside_and_anti_aliased_at_its_edges()
    {
        // A bar 150 px wide and 300 px tall, scaled by 1/15 to 10 × 20; centre of mass (4.5, 9.5) moved by (10, 5).
        byte[] canvas = Canvas(400, 400);
        Fill(canvas, 400, left: 125, top: 50, width: 150, height: 300);

        float[] inputs = DigitImage.FromCanvas(canvas, 400, 400)!;

        Assert.Equal(Block(left: 10, top: 5, width: 10, height: 20), inputs);
    }

    [Fact]
    public void Shrinking_averages_the_covered_area()
    {
        // A 40 px square whose left half is 255 and right half 51 (0.2): each 2 × 2 average is exact.
        byte[] canvas = Canvas(100, 100);
        Fill(canvas, 100, left: 30, top: 30, width: 20, height: 40);
        Fill(canvas, 100, left: 50, top: 30, width: 20, height: 40, value: 51);
        Fill(canvas, 100, left: 49, top: 30, width: 2, height: 40, value: 153);

        float[] inputs = DigitImage.FromCanvas(canvas, 100, 100)!;

        // Column 9 of the scaled image averages 255 and 153 → 0.8; column 10 averages 153 and 51 → 0.4.
        int left = BoundingBox(inputs).Left;
        Assert.Equal(1f, inputs[(14 * Side) + left]);
        Assert.Equal(0.8f, inputs[(14 * Side) + left + 9], 1e-5f);
        Assert.Equal(0.4f, inputs[(14 * Side) + left + 10], 1e-5f);
        Assert.Equal(0.2f, inputs[(14 * Side) + left + 11], 1e-5f);
    }

    [Fact]
    public void An_empty_canvas_gives_null_not_a_guess()
    {
        Assert.Null(DigitImage.FromCanvas(Canvas(280, 280), 280, 280));
        Assert.Null(DigitImage.FromCanvas(new byte[1], 1, 1));
    }

    [Theory]
    [InlineData(0, 28, "width", 0)]
    [InlineData(28, -3, "height", -3)]
    [InlineData(1025, 28, "width", 1025)]
    [InlineData(28, 2000, "height", 2000)]
    public void A_size_outside_1_to_1024_is_rejected(int width, int height, string parameter, int value)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => DigitImage.FromCanvas(new byte[28 * 28], width, height));

        Assert.Equal(parameter, e.ParamName);
        Assert.Equal($"The canvas {parameter} must be from 1 to 1024 pixels, but it is {value}. (Parameter '{parameter}')\nActual value was {value}.", e.Message.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void A_buffer_of_the_wrong_length_is_rejected_naming_both_numbers()
    {
        var e = Assert.Throws<ArgumentException>(() => DigitImage.FromCanvas(new byte[100], 28, 28));

        Assert.Equal("pixels", e.ParamName);
        Assert.Equal("The canvas is 28 × 28 = 784 pixels, but the buffer holds 100 bytes; it needs one byte per pixel, row-major. (Parameter 'pixels')", e.Message);
    }

    [Fact]
    public void An_mnist_test_image_pasted_small_and_off_centre_into_a_large_canvas_comes_back_close_and_classified_the_same()
    {
        Dataset test = MnistLocator.Data.Test;
        Network seed = Pretrained.MnistSeed();
        const int Count = 100, Width = 640, Height = 480;
        const float Zoom = 3.3f;
        int side = (int)MathF.Ceiling(Side * Zoom);
        int same = 0;
        double totalDifference = 0, worstDifference = 0;
        var random = new Random(6);
        for (int n = 0; n < Count; n++)
        {
            float[] original = test.Inputs.Sample(n).ToArray();

            // The 28 × 28 image enlarged 3.3 times with bilinear interpolation (93 px on a 640 × 480
            // canvas), somewhere off-centre: the way back shrinks by a factor that is not a whole number.
            byte[] canvas = Canvas(Width, Height);
            int left = random.Next(0, Width - side);
            int top = random.Next(0, Height - side);
            for (int y = 0; y < side; y++)
            {
                for (int x = 0; x < side; x++)
                {
                    float value = Bilinear(original, ((x + 0.5f) / Zoom) - 0.5f, ((y + 0.5f) / Zoom) - 0.5f);
                    canvas[((top + y) * Width) + left + x] = (byte)MathF.Round(value * 255);
                }
            }

            float[] back = DigitImage.FromCanvas(canvas, Width, Height)!;

            double difference = original.Zip(back, (a, b) => Math.Abs(a - b)).Average();
            totalDifference += difference;
            worstDifference = Math.Max(worstDifference, difference);
            if (seed.Classify(back) == seed.Classify(original))
            {
                same++;
            }
        }

        double meanDifference = totalDifference / Count;
        Console.WriteLine($"MNIST round trip: {same}/{Count} classified the same, mean absolute difference {meanDifference:F4}, worst {worstDifference:F4}");
        // Measured: 98/100 the same, mean absolute difference 0.0356 (worst image 0.0766) on pixels in
        // [0, 1]; the two interpolations blur a little and widen the faint edge of the ink.
        Assert.True(meanDifference < 0.05, $"mean absolute difference {meanDifference:F4}");
        Assert.True(worstDifference < 0.1, $"worst mean absolute difference {worstDifference:F4}");
        Assert.True(same >= 97, $"{same}/{Count} classified the same");
    }

    private static byte[] Canvas(int width, int height) => new byte[width * height];

    /// <summary>Bilinear sample of a 28 × 28 image at a fractional position, 0 outside it.</summary>
    private static float Bilinear(float[] image, float x, float y)
    {
        int x0 = (int)MathF.Floor(x), y0 = (int)MathF.Floor(y);
        float fx = x - x0, fy = y - y0;
        return ((1 - fx) * (1 - fy) * At(x0, y0)) + (fx * (1 - fy) * At(x0 + 1, y0)) + ((1 - fx) * fy * At(x0, y0 + 1)) + (fx * fy * At(x0 + 1, y0 + 1));

        float At(int px, int py) => px is >= 0 and < Side && py is >= 0 and < Side ? image[(py * Side) + px] : 0f;
    }

    private static void Fill(byte[] canvas, int canvasWidth, int left, int top, int width, int height, byte value = 255)
    {
        for (int y = top; y < top + height; y++)
        {
            canvas.AsSpan((y * canvasWidth) + left, width).Fill(value);
        }
    }

    private static float[] Block(int left, int top, int width, int height)
    {
        float[] inputs = new float[Side * Side];
        for (int y = top; y < top + height; y++)
        {
            inputs.AsSpan((y * Side) + left, width).Fill(1f);
        }

        return inputs;
    }

    private static (double X, double Y) CentreOfMass(float[] inputs)
    {
        double mass = 0, x = 0, y = 0;
        for (int i = 0; i < inputs.Length; i++)
        {
            mass += inputs[i];
            x += inputs[i] * (i % Side);
            y += inputs[i] * (i / Side);
        }

        return (x / mass, y / mass);
    }

    private static (int Left, int Top, int Right, int Bottom) BoundingBox(float[] inputs)
    {
        int[] ink = Enumerable.Range(0, inputs.Length).Where(i => inputs[i] > 0).ToArray();
        return (ink.Min(i => i % Side), ink.Min(i => i / Side), ink.Max(i => i % Side), ink.Max(i => i / Side));
    }
}
