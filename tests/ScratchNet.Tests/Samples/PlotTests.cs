using System.IO.Compression;
using System.Text;
using System.Xml.Linq;
using ScratchNet.Samples;

namespace ScratchNet.Tests.Samples;

public sealed class PlotTests
{
    private static readonly XNamespace SvgNs = "http://www.w3.org/2000/svg";

    [Fact]
    public void The_png_crc_is_the_standard_crc32()
    {
        Assert.Equal(0xCBF43926u, GrayPng.Crc32("123456789"u8));
    }

    [Fact]
    public void A_png_holds_the_header_the_rows_each_with_filter_0_and_the_end_chunk()
    {
        byte[] png = GrayPng.Encode([0, 10, 20, 30, 40, 250], width: 3, height: 2);

        Assert.Equal([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], png[..8]);
        // IHDR: length 13, "IHDR", width 3, height 2, depth 8, greyscale, deflate, filter 0, no interlace.
        Assert.Equal([0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 3, 0, 0, 0, 2, 8, 0, 0, 0, 0], png[8..29]);
        Assert.Equal([0, 0, 0, 0, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82], png[^12..]);
        int idatLength = (png[33] << 24) | (png[34] << 16) | (png[35] << 8) | png[36];
        Assert.Equal("IDAT", Encoding.ASCII.GetString(png, 37, 4));
        using var zlib = new ZLibStream(new MemoryStream(png, 41, idatLength), CompressionMode.Decompress);
        using var rows = new MemoryStream();
        zlib.CopyTo(rows);
        Assert.Equal([0, 0, 10, 20, 0, 30, 40, 250], rows.ToArray());
    }

    [Fact]
    public void Ticks_are_round_numbers_covering_the_range()
    {
        Assert.Equal([0.05, 0.1, 0.15, 0.2, 0.25], Svg.NiceTicks(0.0972, 0.2148));
        Assert.Equal([84, 86, 88, 90, 92, 94, 96], Svg.NiceTicks(85.8, 94.2));
        Assert.Equal([0, 20, 40, 60, 80, 100], Svg.NiceTicks(3, 100));
    }

    [Fact]
    public void The_curves_draw_one_line_per_series_with_a_point_per_epoch()
    {
        string svg = Svg.Curves(
            new Svg.Panel("Cost per epoch", "mean cost", Percent: false, [new("training", [0.3, 0.2, 0.1], "#2563eb"), new("test", [0.25, 0.2, 0.15], "#ea580c", Dashed: true)]),
            new Svg.Panel("Accuracy per epoch", "accuracy", Percent: true, [new("training", [0.8, 0.9, 0.95], "#2563eb")]));

        XElement root = XElement.Parse(svg);
        Assert.Equal("920", root.Attribute("width")!.Value);
        XElement[] lines = root.Elements(SvgNs + "polyline").ToArray();
        Assert.Equal(3, lines.Length);
        Assert.All(lines, l => Assert.Equal(3, l.Attribute("points")!.Value.Split(' ').Length));
        Assert.Equal(9, root.Elements(SvgNs + "circle").Count());
        string[] texts = root.Elements(SvgNs + "text").Select(t => t.Value).ToArray();
        Assert.Contains("Cost per epoch", texts);
        Assert.Contains("Accuracy per epoch", texts);
        Assert.Contains("95%", texts);
        Assert.Contains("0.30", texts);
    }

    [Fact]
    public void The_confusion_matrix_picture_shows_every_count_with_precision_and_recall()
    {
        ConfusionMatrix matrix = ConfusionMatrix.FromLabels([0, 0, 1, 1, 1, 2, 2, 2, 2], [0, 1, 1, 1, 0, 2, 2, 0, 2], 3);

        XElement root = XElement.Parse(Svg.ConfusionMatrix(matrix, "Known"));

        Assert.Equal(1 + 9, root.Elements(SvgNs + "rect").Count()); // the background and one cell per pair
        string[] texts = root.Elements(SvgNs + "text").Select(t => t.Value).ToArray();
        string[] cells = root.Elements(SvgNs + "rect").Skip(1).Select(cell => ((XElement)cell.NextNode!).Value).ToArray();
        Assert.Equal(["1", "1", "0", "1", "2", "0", "1", "0", "3"], cells);
        Assert.Contains("75.0%", texts);   // recall of 2
        Assert.Contains("33.3%", texts);   // precision of 0
        Assert.Contains("6 of 9 right (66.67%)", texts);
    }

    [Fact]
    public void After_a_short_training_the_three_pictures_are_written_and_are_valid_svg()
    {
        Network network = TestNetworks.Seed(seed: 1);
        var trainer = new Trainer(network, new QuadraticCost(), new Sgd(1.5f));
        Dataset test = MnistLocator.Data.Test.Slice(0, 300);
        TrainingHistory history = trainer.Fit(MnistLocator.Data.Training.Slice(0, 1000), new TrainingOptions { Epochs = 2, Validation = test });
        Evaluation evaluation = network.Evaluate(test, new QuadraticCost());
        string folder = Directory.CreateTempSubdirectory("scratchnet-plots-").FullName;
        try
        {
            IReadOnlyList<string> written = TrainingPlots.Write(Path.Combine(folder, "pictures"), "seed", history, evaluation, test, maxDigits: 12);

            Assert.Equal(["seed-curves.svg", "seed-confusion.svg", "seed-misclassified.svg"], written.Select(Path.GetFileName));
            XElement[] pictures = written.Select(path => XElement.Parse(File.ReadAllText(path))).ToArray();
            Assert.Equal(4, pictures[0].Elements(SvgNs + "polyline").Count());
            Assert.Equal(1 + 100, pictures[1].Elements(SvgNs + "rect").Count());
            XElement[] digits = pictures[2].Elements(SvgNs + "image").ToArray();
            Assert.InRange(evaluation.Misclassified.Count, 13, 300);
            Assert.Equal(12, digits.Length);
            Assert.All(digits, image => Assert.StartsWith("data:image/png;base64,iVBORw0KGgo", image.Attribute("href")!.Value));
            int first = evaluation.Misclassified[0];
            Assert.Contains($"#{first}  {test.Label(first)} → {evaluation.Predictions[first]}", pictures[2].Elements(SvgNs + "text").Select(t => t.Value));

            // A run that reported on a validation split says so in the curves; the confusion matrix names its own set.
            written = TrainingPlots.Write(Path.Combine(folder, "validated"), "convnet", history, evaluation, test, epochSet: "validation", finalSet: "test");
            string[] curveTexts = [.. XElement.Parse(File.ReadAllText(written[0])).Descendants(SvgNs + "text").Select(t => t.Value)];
            Assert.Contains("validation", curveTexts);
            Assert.DoesNotContain("test", curveTexts);
            Assert.Contains("Confusion matrix on the test set (rows: true digit)", XElement.Parse(File.ReadAllText(written[1])).Descendants(SvgNs + "text").Select(t => t.Value));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
