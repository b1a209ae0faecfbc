using Xunit.Abstractions;

namespace ScratchNet.Tests.Data;

/// <summary>
/// A sanity check of drawn input, not a benchmark: every stroke template of every digit is drawn at
/// seeded random canvas sizes, positions, heights, pen widths and small rotations, preprocessed with
/// <see cref="DigitImage.FromCanvas"/> and classified by each shipped model. The README quotes the numbers.
/// </summary>
public sealed class StrokeTemplateTests(ITestOutputHelper output)
{
    private const int DrawingsPerTemplate = 20;

    public static TheoryData<string> Models => ["seed", "best"];

    [Theory]
    [MemberData(nameof(Models))]
    public void Drawn_digits_are_read_by_the_shipped_model_after_preprocessing(string model)
    {
        Network network = model switch
        {
            "seed" => Pretrained.MnistSeed(),
            "best" => Pretrained.MnistBest(),
            _ => throw new ArgumentException($"Unknown model {model}.", nameof(model)),
        };

        var random = new Random(2026);
        int total = 0, correct = 0, naiveCorrect = 0;
        int[] perDigit = new int[10], perDigitTotal = new int[10];
        for (int digit = 0; digit < 10; digit++)
        {
            foreach ((float X, float Y)[][] template in StrokeTemplates.Digits[digit])
            {
                for (int n = 0; n < DrawingsPerTemplate; n++)
                {
                    int side = random.Next(200, 601);
                    float height = side * ((float)random.NextDouble() * 0.5f + 0.3f);            // 30% to 80% of the canvas
                    float thickness = height * ((float)random.NextDouble() * 0.1f + 0.06f);       // 6% to 16% of the digit
                    float degrees = ((float)random.NextDouble() * 24) - 12;                      // ±12°
                    float margin = thickness + (height * 0.15f);
                    float left = margin + ((float)random.NextDouble() * Math.Max(0, side - (2 * margin) - (height * StrokeTemplates.Aspect)));
                    float top = margin + ((float)random.NextDouble() * Math.Max(0, side - (2 * margin) - height));
                    byte[] canvas = new byte[side * side];
                    StrokeTemplates.Render(canvas, side, side, StrokeTemplates.Place(template, height, left, top, degrees), thickness);

                    float[] inputs = DigitImage.FromCanvas(canvas, side, side)!;
                    bool right = network.Classify(inputs) == digit;
                    if (network.Classify(ShrinkWholeCanvas(canvas, side)) == digit)
                    {
                        naiveCorrect++;
                    }

                    total++;
                    perDigitTotal[digit]++;
                    if (right)
                    {
                        correct++;
                        perDigit[digit]++;
                    }
                }
            }
        }

        double accuracy = (double)correct / total;
        string summary = $"{model}: {correct}/{total} = {100.0 * correct / total:F1}% of drawn stroke templates read correctly " +
            $"(without the preprocessing, the whole canvas shrunk to 28 × 28: {naiveCorrect}/{total} = {100.0 * naiveCorrect / total:F1}%)";
        output.WriteLine(summary);
        output.WriteLine("per digit: " + string.Join(", ", Enumerable.Range(0, 10).Select(d => $"{d}: {perDigit[d]}/{perDigitTotal[d]}")));
        Console.WriteLine(summary);
        Assert.True(accuracy >= 0.7, summary + ", below the 70% floor");
    }

    /// <summary>What a page without the preprocessing would send: the square canvas averaged down to 28 × 28.</summary>
    private static float[] ShrinkWholeCanvas(byte[] canvas, int side)
    {
        float[] inputs = new float[Mnist.PixelCount];
        int[] counts = new int[Mnist.PixelCount];
        for (int y = 0; y < side; y++)
        {
            for (int x = 0; x < side; x++)
            {
                int i = (y * Mnist.ImageSide / side * Mnist.ImageSide) + (x * Mnist.ImageSide / side);
                inputs[i] += canvas[(y * side) + x] / 255f;
                counts[i]++;
            }
        }

        for (int i = 0; i < inputs.Length; i++)
        {
            inputs[i] /= counts[i];
        }

        return inputs;
    }
}
