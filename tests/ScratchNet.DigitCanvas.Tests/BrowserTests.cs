using DigitCanvas;
using Microsoft.AspNetCore.Builder;
using Microsoft.Playwright;
using ScratchNet.Tests.Data;
using Xunit.Abstractions;

namespace ScratchNet.DigitCanvas.Tests;

/// <summary>
/// The real page in a real browser: starts the sample on Kestrel at a free port on 127.0.0.1, opens it in
/// headless Chromium (Debian's <c>/usr/bin/chromium</c>, driven by Playwright), draws digits with mouse
/// strokes and reads the digit the page shows. Screenshots go to <c>$SCRATCHNET_ARTIFACTS</c>, or to
/// <c>artifacts/digit-canvas</c> beside the test assembly.
/// </summary>
[Collection(nameof(BrowserTests))]
[CollectionDefinition(nameof(BrowserTests), DisableParallelization = true)]
public sealed class BrowserTests(ITestOutputHelper output)
{
    private const string ChromiumEnvironmentVariable = "SCRATCHNET_CHROMIUM";

    /// <summary>Each drawing: the digit, which template, its height as a fraction of the pad, and its centre on the pad (0 to 1).</summary>
    private static readonly (int Digit, int Template, float Height, float CentreX, float CentreY)[] Drawings =
    [
        (0, 0, 0.70f, 0.50f, 0.50f), (0, 1, 0.35f, 0.25f, 0.72f),
        (1, 0, 0.75f, 0.40f, 0.50f), (1, 1, 0.30f, 0.78f, 0.25f),
        (3, 0, 0.65f, 0.55f, 0.45f), (3, 1, 0.38f, 0.25f, 0.30f),
        (7, 0, 0.70f, 0.50f, 0.55f), (7, 1, 0.35f, 0.72f, 0.72f),
    ];

    [Fact]
    public async Task Digits_drawn_with_the_mouse_are_read_by_the_page_on_a_laptop_and_a_phone()
    {
        string chromium = FindChromium();
        string artifacts = ArtifactsFolder();
        output.WriteLine($"Screenshots: {artifacts}");
        Console.WriteLine($"DigitCanvas browser test screenshots: {artifacts}");

        await using WebApplication app = DigitCanvasApp.Create(["--urls", "http://127.0.0.1:0"]);
        await app.StartAsync();
        string url = DigitCanvasApp.Addresses(app).Single();

        using IPlaywright playwright = await Playwright.CreateAsync();
        await using IBrowser browser = await LaunchAsync(playwright, chromium);

        // A laptop: every drawing, a screenshot of each.
        IBrowserContext laptop = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        IPage page = await laptop.NewPageAsync();
        List<string> consoleErrors = CollectConsoleErrors(page);
        await page.GotoAsync(url);
        await page.WaitForFunctionAsync("() => document.querySelector('#model option') !== null && window.digitCanvas.settled()");
        Assert.Equal("?", await page.InnerTextAsync("#digit"));

        var shown = new List<string>();
        foreach ((int digit, int template, float height, float centreX, float centreY) in Drawings)
        {
            await page.Keyboard.PressAsync("Escape");
            await SettleAsync(page);
            Assert.Equal("?", await page.InnerTextAsync("#digit"));

            await DrawAsync(page, StrokeTemplates.Digits[digit][template], height, centreX, centreY);
            await SettleAsync(page);
            string read = await page.InnerTextAsync("#digit");
            string name = $"digit-{digit}-template-{template}-height-{height:F2}.png";
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(artifacts, name), FullPage = true });
            shown.Add($"{digit} drawn at {height:P0} of the pad around ({centreX:F2}, {centreY:F2}) → page shows {read}   [{name}]");
        }

        double[] latencies = await page.EvaluateAsync<double[]>("() => window.digitCanvas.latencies()");
        Array.Sort(latencies);
        string latency = $"prediction round trips in the browser: {latencies.Length} requests, median {latencies[latencies.Length / 2]:F1} ms, " +
            $"90th percentile {latencies[(int)(latencies.Length * 0.9)]:F1} ms, max {latencies[^1]:F1} ms";
        output.WriteLine(latency);
        Console.WriteLine("DigitCanvas " + latency);
        shown.ForEach(output.WriteLine);

        // The Clear button empties the page.
        await page.ClickAsync("#clear");
        await SettleAsync(page);
        Assert.Equal("?", await page.InnerTextAsync("#digit"));

        // A phone: touch-sized layout, one drawing.
        IBrowserContext phone = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 390, Height = 844 },
            DeviceScaleFactor = 2,
            IsMobile = true,
            HasTouch = true,
        });
        IPage phonePage = await phone.NewPageAsync();
        await phonePage.GotoAsync(url);
        await phonePage.WaitForFunctionAsync("() => document.querySelector('#model option') !== null && window.digitCanvas.settled()");
        await DrawAsync(phonePage, StrokeTemplates.Digits[7][0], 0.7f, 0.5f, 0.5f);
        await SettleAsync(phonePage);
        string phoneRead = await phonePage.InnerTextAsync("#digit");
        await phonePage.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(artifacts, "phone-digit-7.png"), FullPage = true });
        double padWidth = await phonePage.EvaluateAsync<double>("() => document.getElementById('pad').getBoundingClientRect().width");
        double pageWidth = await phonePage.EvaluateAsync<double>("() => document.documentElement.scrollWidth");

        Assert.Equal([.. Drawings.Select(d => d.Digit.ToString(System.Globalization.CultureInfo.InvariantCulture))], shown.Select(s => s.Split("page shows ")[1].Split(' ')[0]));
        Assert.Equal("7", phoneRead);
        Assert.InRange(padWidth, 330, 390);
        Assert.Equal(390, pageWidth);
        Assert.True(consoleErrors.Count == 0, "Errors in the browser console:\n" + string.Join("\n", consoleErrors));
        await app.StopAsync();
    }

    internal static Task<IBrowser> LaunchAsync(IPlaywright playwright, string chromium) =>
        playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
        });

    /// <summary>Every error the page logs, Content-Security-Policy violations included.</summary>
    internal static List<string> CollectConsoleErrors(IPage page)
    {
        var errors = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                errors.Add($"{message.Text} ({message.Location})");
            }
        };
        return errors;
    }

    internal static async Task DrawAsync(IPage page, (float X, float Y)[][] template, float height, float centreX, float centreY)
    {
        ElementHandleBoundingBoxResult box = (await (await page.QuerySelectorAsync("#pad"))!.BoundingBoxAsync())!;
        float side = (float)box.Width;
        float digitHeight = height * side;
        float left = (centreX * side) - (digitHeight * StrokeTemplates.Aspect / 2);
        float top = (centreY * side) - (digitHeight / 2);
        foreach ((float X, float Y)[] stroke in StrokeTemplates.Place(template, digitHeight, left, top, 0))
        {
            await page.Mouse.MoveAsync((float)box.X + stroke[0].X, (float)box.Y + stroke[0].Y);
            await page.Mouse.DownAsync();
            foreach ((float x, float y) in stroke.Skip(1))
            {
                await page.Mouse.MoveAsync((float)box.X + x, (float)box.Y + y, new MouseMoveOptions { Steps = 3 });
            }

            await page.Mouse.UpAsync();
        }
    }

    private static Task SettleAsync(IPage page) =>
        page.WaitForFunctionAsync("() => window.digitCanvas.settled()", null, new PageWaitForFunctionOptions { Timeout = 15000 });

    internal static string FindChromium()
    {
        string path = Environment.GetEnvironmentVariable(ChromiumEnvironmentVariable) is { Length: > 0 } fromEnvironment ? fromEnvironment : "/usr/bin/chromium";
        if (!File.Exists(path))
        {
            Assert.Fail(
                $"Chromium was not found at {path}. The browser test needs it and never skips: install it with " +
                $"'apt-get install -y chromium' (.ci/run does so in CI) or set {ChromiumEnvironmentVariable} to a Chromium executable. " +
                $"CI={Environment.GetEnvironmentVariable("CI") ?? "(not set)"}.");
        }

        return path;
    }

    internal static string ArtifactsFolder()
    {
        string folder = Environment.GetEnvironmentVariable("SCRATCHNET_ARTIFACTS") is { Length: > 0 } root
            ? Path.Combine(Path.GetFullPath(root), "digit-canvas")
            : Path.Combine(AppContext.BaseDirectory, "artifacts", "digit-canvas");
        Directory.CreateDirectory(folder);
        return folder;
    }
}
