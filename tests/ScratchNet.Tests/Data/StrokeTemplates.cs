namespace ScratchNet.Tests.Data;

/// <summary>
/// Hand-written stroke templates of the ten digits, as polylines in a unit box (x to the right, y down,
/// both 0 to 1; the box is drawn narrower than tall, see <see cref="Aspect"/>), and a rasterizer that
/// draws them into a greyscale canvas with round, anti-aliased pen strokes. Used by the stroke-template
/// check and, as mouse strokes, by the browser test.
/// </summary>
internal static class StrokeTemplates
{
    /// <summary>Width of a digit relative to its height.</summary>
    public const float Aspect = 0.62f;

    /// <summary>For each digit, a few ways to write it; each way is a list of strokes, each a polyline.</summary>
    public static readonly (float X, float Y)[][][][] Digits =
    [
        // 0
        [
            [Ellipse(0.5f, 0.5f, 0.48f, 0.5f, -90, 270)],
            [Ellipse(0.5f, 0.5f, 0.45f, 0.5f, -60, 310)],
        ],

        // 1
        [
            [[(0.5f, 0f), (0.5f, 1f)]],
            [[(0.2f, 0.2f), (0.55f, 0f), (0.55f, 1f)]],
            [[(0.6f, 0f), (0.4f, 1f)]],
        ],

        // 2
        [
            [[(0.1f, 0.25f), (0.25f, 0.06f), (0.5f, 0f), (0.78f, 0.08f), (0.88f, 0.28f), (0.75f, 0.5f), (0.4f, 0.75f), (0.08f, 1f), (0.95f, 1f)]],
            [[(0.15f, 0.2f), (0.45f, 0f), (0.8f, 0.12f), (0.8f, 0.38f), (0.1f, 0.98f), (0.9f, 0.95f)]],
        ],

        // 3
        [
            [[(0.12f, 0.12f), (0.45f, 0f), (0.8f, 0.1f), (0.85f, 0.28f), (0.65f, 0.44f), (0.4f, 0.48f), (0.72f, 0.55f), (0.9f, 0.72f), (0.82f, 0.92f), (0.5f, 1f), (0.1f, 0.88f)]],
            [[(0.1f, 0.05f), (0.85f, 0.05f), (0.45f, 0.42f), (0.85f, 0.6f), (0.85f, 0.85f), (0.5f, 1f), (0.1f, 0.9f)]],
        ],

        // 4
        [
            [[(0.7f, 1f), (0.7f, 0f), (0.05f, 0.68f), (0.95f, 0.68f)]],
            [[(0.2f, 0f), (0.1f, 0.6f), (0.9f, 0.6f)], [(0.72f, 0.15f), (0.72f, 1f)]],
        ],

        // 5
        [
            [[(0.85f, 0f), (0.22f, 0f), (0.15f, 0.45f), (0.5f, 0.38f), (0.82f, 0.52f), (0.88f, 0.78f), (0.6f, 0.98f), (0.1f, 0.9f)]],
            [[(0.2f, 0f), (0.15f, 0.45f), (0.55f, 0.38f), (0.85f, 0.6f), (0.75f, 0.92f), (0.4f, 1f), (0.1f, 0.88f)], [(0.2f, 0f), (0.88f, 0f)]],
        ],

        // 6
        [
            [[(0.75f, 0f), (0.4f, 0.18f), (0.18f, 0.5f), (0.15f, 0.8f), (0.4f, 1f), (0.75f, 0.92f), (0.85f, 0.7f), (0.6f, 0.52f), (0.3f, 0.55f), (0.16f, 0.7f)]],
            [[(0.6f, 0f), (0.25f, 0.4f), (0.15f, 0.75f), (0.35f, 1f), (0.72f, 0.95f), (0.82f, 0.72f), (0.55f, 0.55f), (0.2f, 0.68f)]],
        ],

        // 7
        [
            [[(0.05f, 0f), (0.95f, 0f), (0.4f, 1f)]],
            [[(0.1f, 0.08f), (0.9f, 0f), (0.55f, 0.5f), (0.4f, 1f)]],
            [[(0.05f, 0f), (0.95f, 0f), (0.4f, 1f)], [(0.3f, 0.5f), (0.85f, 0.5f)]],
        ],

        // 8
        [
            [FigureEight()],
            [Ellipse(0.5f, 0.25f, 0.35f, 0.25f, 0, 360), Ellipse(0.5f, 0.73f, 0.45f, 0.27f, 0, 360)],
        ],

        // 9
        [
            [[.. Ellipse(0.5f, 0.27f, 0.38f, 0.27f, 0, 360), (0.86f, 0.3f), (0.75f, 1f)]],
            [[.. Ellipse(0.45f, 0.28f, 0.4f, 0.28f, -20, 340), (0.8f, 0.2f), (0.8f, 1f)]],
        ],
    ];

    /// <summary>
    /// The strokes of one template placed on a canvas: the digit's height, the top-left corner of its
    /// box, and a rotation in degrees about the box's centre.
    /// </summary>
    public static (float X, float Y)[][] Place((float X, float Y)[][] template, float height, float left, float top, float degrees)
    {
        float width = height * Aspect;
        float cx = left + (width / 2), cy = top + (height / 2);
        float cos = MathF.Cos(degrees * MathF.PI / 180), sin = MathF.Sin(degrees * MathF.PI / 180);
        return [.. template.Select(stroke => stroke.Select(p =>
        {
            float x = left + (p.X * width) - cx, y = top + (p.Y * height) - cy;
            return (cx + (x * cos) - (y * sin), cy + (x * sin) + (y * cos));
        }).ToArray())];
    }

    /// <summary>Draws strokes with a round pen of the given thickness, anti-aliased, ink = 255.</summary>
    public static void Render(byte[] canvas, int width, int height, (float X, float Y)[][] strokes, float thickness)
    {
        float r = thickness / 2;
        foreach ((float X, float Y)[] stroke in strokes)
        {
            for (int s = 0; s < Math.Max(1, stroke.Length - 1); s++)
            {
                (float ax, float ay) = stroke[s];
                (float bx, float by) = stroke[Math.Min(s + 1, stroke.Length - 1)];
                int x0 = Math.Max(0, (int)MathF.Floor(MathF.Min(ax, bx) - r - 1)), x1 = Math.Min(width - 1, (int)MathF.Ceiling(MathF.Max(ax, bx) + r + 1));
                int y0 = Math.Max(0, (int)MathF.Floor(MathF.Min(ay, by) - r - 1)), y1 = Math.Min(height - 1, (int)MathF.Ceiling(MathF.Max(ay, by) + r + 1));
                float dx = bx - ax, dy = by - ay, length2 = (dx * dx) + (dy * dy);
                for (int y = y0; y <= y1; y++)
                {
                    for (int x = x0; x <= x1; x++)
                    {
                        float px = x + 0.5f - ax, py = y + 0.5f - ay;
                        float t = length2 > 0 ? Math.Clamp(((px * dx) + (py * dy)) / length2, 0, 1) : 0;
                        float ex = px - (t * dx), ey = py - (t * dy);
                        float coverage = Math.Clamp(r + 0.5f - MathF.Sqrt((ex * ex) + (ey * ey)), 0, 1);
                        byte value = (byte)MathF.Round(coverage * 255);
                        int i = (y * width) + x;
                        if (value > canvas[i])
                        {
                            canvas[i] = value;
                        }
                    }
                }
            }
        }
    }

    private static (float X, float Y)[] Ellipse(float cx, float cy, float rx, float ry, float fromDegrees, float toDegrees)
    {
        const int Steps = 28;
        return [.. Enumerable.Range(0, Steps + 1).Select(k =>
        {
            float angle = (fromDegrees + ((toDegrees - fromDegrees) * k / Steps)) * MathF.PI / 180;
            return (cx + (rx * MathF.Cos(angle)), cy + (ry * MathF.Sin(angle)));
        })];
    }

    private static (float X, float Y)[] FigureEight()
    {
        // Starts at the top, crosses in the middle: x = ½ + 0.42·sin 2t, y = ½ − ½·cos t.
        const int Steps = 40;
        return [.. Enumerable.Range(0, Steps + 1).Select(k =>
        {
            float t = 2 * MathF.PI * k / Steps;
            return (0.5f + (0.42f * MathF.Sin(2 * t)), 0.5f - (0.5f * MathF.Cos(t)));
        })];
    }
}
