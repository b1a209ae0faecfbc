using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using DigitCanvas;
using Microsoft.AspNetCore.Builder;
using Xunit.Abstractions;

namespace ScratchNet.DigitCanvas.Tests;

/// <summary>
/// Measures what a training job costs everyone else: one client's prediction round trips (over HTTP on Kestrel,
/// as the page sends them: a 280 × 280 canvas with every layer's output, one every <see cref="PaceMilliseconds"/>
/// ms, as five people drawing at once would send them) without a job, then while the seed network trains. The numbers go to the test log and <c>train-latency.txt</c> beside the screenshots; the test
/// asserts the answers, never the times. In the browser tests' collection, which runs alone, so other tests
/// do not disturb the measurement.
/// </summary>
[Collection(nameof(BrowserTests))]
public sealed class PredictLatencyWhileTrainingTests(ITestOutputHelper output)
{
    private const int Warmup = 50;

    /// <summary>The time between two requests' starts: 50 a second.</summary>
    private const int PaceMilliseconds = 20;

    [Fact]
    public async Task Predictions_of_another_client_are_measured_with_and_without_a_job_training()
    {
        await using WebApplication app = DigitCanvasApp.Create(["--urls", "http://127.0.0.1:0"], TextWriter.Null);
        await app.StartAsync();
        using var client = new HttpClient { BaseAddress = new Uri(DigitCanvasApp.Addresses(app).Single()) };
        string body = JsonSerializer.Serialize(new { width = 280, height = 280, pixels = Convert.ToBase64String(Bar()), model = "seed", layers = true });
        (await client.GetAsync("/api/train")).EnsureSuccessStatusCode();   // MNIST loaded before anything is timed

        for (int i = 0; i < Warmup; i++)
        {
            await PredictAsync(client, body);
        }

        List<double> idle = [];
        for (int i = 0; i < 300; i++)
        {
            idle.Add(await PacedPredictAsync(client, body));
        }

        // The seed preset (60 epochs) trains while the same client keeps predicting, until the job's done event.
        using HttpResponseMessage started = await client.PostAsync("/api/train", new StringContent("{}", Encoding.UTF8, "application/json"));
        string id = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        using ServerSentEvents events = await ServerSentEvents.OpenAsync(client, $"/api/train/{id}/events");
        await events.UntilAsync("epoch");
        Task<JsonElement> done = events.UntilAsync("done");
        List<double> training = [];
        while (!done.IsCompleted)
        {
            training.Add(await PacedPredictAsync(client, body));
        }

        double accuracy = (await done).GetProperty("accuracy").GetDouble();
        double trainingSeconds = (await done).GetProperty("elapsedSeconds").GetDouble();
        string log = string.Create(CultureInfo.InvariantCulture,
            $"predict round trips of another client (280 × 280 canvas, seed, layers; HTTP on loopback, {Environment.ProcessorCount} cores): " +
            $"without a job: median {Percentile(idle, 0.5):F2} ms, p95 {Percentile(idle, 0.95):F2} ms ({idle.Count} requests); " +
            $"while the seed network trains: median {Percentile(training, 0.5):F2} ms, p95 {Percentile(training, 0.95):F2} ms ({training.Count} requests, one every {PaceMilliseconds} ms; the 60 epochs took {trainingSeconds:F2} s meanwhile)");
        output.WriteLine(log);
        Console.WriteLine("DigitCanvas " + log);
        await File.WriteAllTextAsync(Path.Combine(BrowserTests.ArtifactsFolder(), "train-latency.txt"), log + Environment.NewLine);

        Assert.Equal(300, idle.Count);
        Assert.True(training.Count >= 20, $"only {training.Count} predictions while training");
        Assert.Equal(0.9629, accuracy, 4);
        await app.StopAsync();
    }

    /// <summary>A round trip, then a pause so that requests start <see cref="PaceMilliseconds"/> apart.</summary>
    private static async Task<double> PacedPredictAsync(HttpClient client, string body)
    {
        double milliseconds = await PredictAsync(client, body);
        await Task.Delay(TimeSpan.FromMilliseconds(Math.Max(0, PaceMilliseconds - milliseconds)));
        return milliseconds;
    }

    /// <summary>One round trip in milliseconds; the answer must be the digit 1 (a vertical bar).</summary>
    private static async Task<double> PredictAsync(HttpClient client, string body)
    {
        long start = Stopwatch.GetTimestamp();
        using HttpResponseMessage response = await client.PostAsync("/api/predict", new StringContent(body, Encoding.UTF8, "application/json"));
        JsonElement answer = await response.Content.ReadFromJsonAsync<JsonElement>();
        double milliseconds = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        Assert.Equal(1, answer.GetProperty("digit").GetInt32());
        return milliseconds;
    }

    private static double Percentile(List<double> values, double fraction)
    {
        double[] sorted = [.. values.Order()];
        return sorted[Math.Min(sorted.Length - 1, (int)(fraction * sorted.Length))];
    }

    private static byte[] Bar()
    {
        byte[] canvas = new byte[280 * 280];
        for (int y = 40; y < 240; y++)
        {
            canvas.AsSpan((y * 280) + 130, 24).Fill(255);
        }

        return canvas;
    }
}
