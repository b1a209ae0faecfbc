using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using DigitCanvas;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using ScratchNet.Tests;

namespace ScratchNet.DigitCanvas.Tests;

/// <summary>The Train view's API (<c>/api/train</c>), in memory with WebApplicationFactory, on the real MNIST files.</summary>
public sealed class TrainApiTests(WebApplicationFactory<Program> factory) : IClassFixture<WebApplicationFactory<Program>>
{
    private const string Fields = "hidden, activation, cost, optimizer, learningRate, finalLearningRate, schedule, weightDecay, batchSize, epochs, seed";

    // One MNIST in memory for every server these tests start (each WithWebHostBuilder is a new app).
    private static readonly MnistSource SharedMnist = new([MnistLocator.DataDirectory]);

    [Theory]
    [InlineData("{\"epochs\": 0}", "epochs must be a whole number from 1 to 60, but it is 0.")]
    [InlineData("{\"epochs\": 61}", "epochs must be a whole number from 1 to 60, but it is 61.")]
    [InlineData("{\"epochs\": 2.5}", "epochs must be a whole number from 1 to 60, but it is 2.5.")]
    [InlineData("{\"epochs\": \"30\"}", "epochs must be a whole number from 1 to 60, but it is a string.")]
    [InlineData("{\"schedule\": \"step\"}", "schedule must be one of cosine, linear, but it is \"step\".")]
    [InlineData("{\"batchSize\": 0}", "batchSize must be a whole number from 1 to 1024, but it is 0.")]
    [InlineData("{\"batchSize\": 1025}", "batchSize must be a whole number from 1 to 1024, but it is 1025.")]
    [InlineData("{\"hidden\": [16, 16, 16, 16]}", "hidden must list 0 to 3 layer widths, but it lists 4.")]
    [InlineData("{\"hidden\": [0]}", "hidden[0] must be a whole number from 1 to 256, but it is 0.")]
    [InlineData("{\"hidden\": [16, 257]}", "hidden[1] must be a whole number from 1 to 256, but it is 257.")]
    [InlineData("{\"hidden\": [16, \"x\"]}", "hidden[1] must be a whole number from 1 to 256, but it is a string.")]
    [InlineData("{\"hidden\": \"16,16\"}", "hidden must be a JSON array of 0 to 3 layer widths such as [16, 16], not a string.")]
    [InlineData("{\"activation\": \"softplus\"}", "activation must be one of sigmoid, tanh, relu, but it is \"softplus\".")]
    [InlineData("{\"cost\": \"cross-entropy\"}", "cost must be one of quadratic, softmax-cross-entropy, but it is \"cross-entropy\".")]
    [InlineData("{\"optimizer\": \"rmsprop\"}", "optimizer must be one of sgd, momentum, adam, but it is \"rmsprop\".")]
    [InlineData("{\"optimizer\": 1}", "optimizer must be one of sgd, momentum, adam, but it is a number.")]
    [InlineData("{\"learningRate\": 0}", "learningRate must be a number from 0.00001 to 10, but it is 0.")]
    [InlineData("{\"learningRate\": 11}", "learningRate must be a number from 0.00001 to 10, but it is 11.")]
    [InlineData("{\"finalLearningRate\": -1}", "finalLearningRate must be a number from 0.00001 to 10, but it is -1.")]
    [InlineData("{\"weightDecay\": 0.5}", "weightDecay must be a number from 0 to 0.1, but it is 0.5.")]
    [InlineData("{\"seed\": -1}", "seed must be a whole number from 0 to 2147483647, but it is -1.")]
    [InlineData("{\"seed\": 1e10}", "seed must be a whole number from 0 to 2147483647, but it is 1e10.")]
    [InlineData("{\"epoch\": 3}", "Unknown field \"epoch\"; the fields are " + Fields + ".")]
    [InlineData("{\"epochs\": 3, \"epochs\": 4}", "The field \"epochs\" appears more than once; send each field once.")]
    [InlineData("[16, 16]", "The body must be a JSON object {" + Fields + "}, not an array.")]
    [InlineData("{\"epochs\": ", "The body is not valid JSON for {" + Fields + "}: the error is at line 1, byte 12.")]
    [InlineData("", "The body is empty: send JSON {} for the seed network, or the fields to change.")]
    public async Task Every_option_out_of_range_is_a_400_naming_the_field_and_its_range(string body, string expected)
    {
        using HttpClient client = factory.CreateClient();
        using HttpResponseMessage response = await client.PostAsync("/api/train", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(expected, await ErrorAsync(response));
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_a_415()
    {
        using HttpClient client = factory.CreateClient();
        using HttpResponseMessage response = await client.PostAsync("/api/train", new StringContent("epochs=3", Encoding.UTF8, "application/x-www-form-urlencoded"));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("Content-Type must be application/json (UTF-8), not application/x-www-form-urlencode… (48 characters).", await ErrorAsync(response));
    }

    [Fact]
    public async Task The_setup_gives_the_limits_and_the_seed_networks_recipe()
    {
        using HttpClient client = Client(new TrainingLimits());
        JsonElement setup = await client.GetFromJsonAsync<JsonElement>("/api/train");

        JsonElement seed = setup.GetProperty("seed");
        Assert.Equal([16, 16], seed.GetProperty("hidden").EnumerateArray().Select(w => w.GetInt32()));
        Assert.Equal(("sigmoid", "quadratic", "sgd"), (seed.GetProperty("activation").GetString(), seed.GetProperty("cost").GetString(), seed.GetProperty("optimizer").GetString()));
        Assert.Equal((2f, 0.01f, "cosine", 5e-5f), (seed.GetProperty("learningRate").GetSingle(), seed.GetProperty("finalLearningRate").GetSingle(), seed.GetProperty("schedule").GetString(), seed.GetProperty("weightDecay").GetSingle()));
        Assert.Equal((10, 60, 1), (seed.GetProperty("batchSize").GetInt32(), seed.GetProperty("epochs").GetInt32(), seed.GetProperty("seed").GetInt32()));
        Assert.Equal((3, 256, 60, 1024), (setup.GetProperty("limits").GetProperty("maxHiddenLayers").GetInt32(), setup.GetProperty("limits").GetProperty("maxWidth").GetInt32(), setup.GetProperty("limits").GetProperty("maxEpochs").GetInt32(), setup.GetProperty("limits").GetProperty("maxBatchSize").GetInt32()));
        Assert.Equal(Math.Max(1, Environment.ProcessorCount / 2), setup.GetProperty("maxRunning").GetInt32());
    }

    [Fact]
    public async Task A_job_runs_to_the_end_and_its_downloaded_network_loads_and_predicts_as_the_one_in_memory()
    {
        using HttpClient client = Client(new TrainingLimits());
        (string id, string model, ServerSentEvents events) = await StartAndWatchAsync(client, new { epochs = 2 });
        using ServerSentEvents stream = events;
        var seen = new List<(string Name, JsonElement Data)>();
        JsonElement done = await events.UntilAsync("done", seen);

        Assert.Equal("text/event-stream", events.Response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("started", seen[0].Name);
        Assert.Equal("784-16-16-10 sigmoid, quadratic cost, sgd η 2 → 0.01 cosine, λ 0.00005, batch 10, 2 epochs, seed 1", seen[0].Data.GetProperty("description").GetString());
        JsonElement[] epochs = [.. seen.Where(e => e.Name == "epoch").Select(e => e.Data)];
        Assert.Equal([1, 2], epochs.Select(e => e.GetProperty("epoch").GetInt32()));
        Assert.Contains(seen, e => e.Name == "progress" && e.Data.GetProperty("costs").GetArrayLength() > 0);
        JsonElement[] weights = [.. seen.Where(e => e.Name == "weights").Select(e => e.Data)];
        Assert.True(weights.Length >= 2, $"{weights.Length} weights events");
        Assert.Equal(16 * 784, Convert.FromBase64String(weights[^1].GetProperty("weights").GetString()!).Length);
        Assert.NotEqual(weights[0].GetProperty("weights").GetString(), weights[^1].GetProperty("weights").GetString());

        Assert.Equal("finished", done.GetProperty("state").GetString());
        Assert.Equal(model, done.GetProperty("model").GetString());
        double accuracy = done.GetProperty("accuracy").GetDouble();
        Assert.InRange(accuracy, 0.90, 1.0);
        Assert.Equal(epochs[^1].GetProperty("testAccuracy").GetDouble(), accuracy);
        Assert.Equal(10_000, done.GetProperty("confusion").EnumerateArray().Sum(row => row.EnumerateArray().Sum(c => c.GetInt32())));
        Assert.Equal(done.GetProperty("correct").GetInt32(), Enumerable.Range(0, 10).Sum(k => done.GetProperty("confusion")[k][k].GetInt32()));
        JsonElement[] misread = [.. done.GetProperty("misread").EnumerateArray()];
        Assert.Equal(TrainingJob.MisreadShown, misread.Length);
        Dataset test = MnistLocator.Data.Test;
        Assert.All(misread, m => Assert.Equal(test.Label(m.GetProperty("index").GetInt32()), m.GetProperty("label").GetInt32()));
        Assert.All(misread, m => Assert.NotEqual(m.GetProperty("label").GetInt32(), m.GetProperty("predicted").GetInt32()));

        // The download is a model file that Network.Load reads, as good on the test set as the job said.
        using HttpResponseMessage download = await client.GetAsync($"/api/train/{id}/model");
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("scratchnet-784-16-16-10.scnn", download.Content.Headers.ContentDisposition?.FileName);
        Network loaded = Network.Load(new MemoryStream(await download.Content.ReadAsByteArrayAsync()));
        Assert.Equal(accuracy, loaded.Evaluate(test).Accuracy);

        // "your network" predicts through /api/predict exactly as the downloaded copy does.
        for (int n = 0; n < 5; n++)
        {
            byte[] pixels = [.. test.Inputs.Sample(n).ToArray().Select(v => (byte)MathF.Round(v * 255))];
            using HttpResponseMessage predicted = await client.PostAsJsonAsync("/api/predict", new { width = 28, height = 28, pixels = Convert.ToBase64String(pixels), model, layers = true });
            JsonElement answer = await predicted.Content.ReadFromJsonAsync<JsonElement>();
            JsonElement layers = answer.GetProperty("layers");
            float[] outputs = loaded.Predict(DigitImage.FromCanvas(pixels, 28, 28)!);
            Assert.Equal(model, answer.GetProperty("model").GetString());
            Assert.Equal(outputs, layers[layers.GetArrayLength() - 1].GetProperty("activations").EnumerateArray().Select(v => v.GetSingle()));
            Assert.Equal(Array.IndexOf(outputs, outputs.Max()), answer.GetProperty("digit").GetInt32());
        }

        JsonElement described = await client.GetFromJsonAsync<JsonElement>($"/api/models/{model}");
        Assert.StartsWith("your network: 784-16-16-10 sigmoid", described.GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.Equal(["seed", "best"], (await client.GetFromJsonAsync<JsonElement>("/api/models")).EnumerateArray().Select(m => m.GetProperty("name").GetString()));
    }

    [Fact]
    public async Task Stop_ends_training_at_once_and_keeps_the_network_as_it_is()
    {
        using HttpClient client = Client(new TrainingLimits());
        (string id, _, ServerSentEvents events) = await StartAndWatchAsync(client, new { epochs = 50, hidden = new[] { 64 } });
        using ServerSentEvents stream = events;
        await events.UntilAsync("progress");

        using HttpResponseMessage stop = await client.PostAsync($"/api/train/{id}/stop", null);
        JsonElement done = await events.UntilAsync("done");

        Assert.Equal(HttpStatusCode.Accepted, stop.StatusCode);
        Assert.Equal("stopped", done.GetProperty("state").GetString());
        Assert.Equal("the Stop button", done.GetProperty("reason").GetString());
        Assert.Equal(10_000, done.GetProperty("count").GetInt32());
        JsonElement status = await client.GetFromJsonAsync<JsonElement>($"/api/train/{id}");
        Assert.Equal("stopped", status.GetProperty("state").GetString());
        Assert.InRange(status.GetProperty("epochs").GetArrayLength(), 0, 49);
        using HttpResponseMessage download = await client.GetAsync($"/api/train/{id}/model");
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal(0, await RunningAfterAsync(client));
    }

    [Fact]
    public async Task Beyond_the_running_limit_a_job_gets_503_busy_until_the_running_one_ends()
    {
        using HttpClient client = Client(new TrainingLimits { MaxRunning = 1 });
        (string first, _, ServerSentEvents events) = await StartAndWatchAsync(client, new { epochs = 50 });
        using ServerSentEvents stream = events;

        using (HttpResponseMessage refused = await PostAsync(client, new { epochs = 1 }))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
            Assert.Equal("5", refused.Headers.GetValues("Retry-After").Single());
            Assert.Equal("The server is busy: 1 training job is running and the limit is 1. Try again in a moment.", await ErrorAsync(refused));
        }

        await client.PostAsync($"/api/train/{first}/stop", null);
        await events.UntilAsync("done");
        Assert.Equal(0, await RunningAfterAsync(client));
        using HttpResponseMessage accepted = await PostAsync(client, new { epochs = 1 });
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
    }

    [Fact]
    public async Task Beyond_the_session_limit_a_job_gets_503_busy()
    {
        using HttpClient client = Client(new TrainingLimits { MaxRunning = 2, MaxSessions = 1 });
        (_, _, ServerSentEvents events) = await StartAndWatchAsync(client, new { epochs = 1 });
        using ServerSentEvents stream = events;
        await events.UntilAsync("done");

        using HttpResponseMessage refused = await PostAsync(client, new { epochs = 1 });

        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Equal("The server is busy: 1 pages hold a training job or a trained network and the limit is 1. Try again later.", await ErrorAsync(refused));
    }

    [Fact]
    public async Task When_the_page_goes_away_training_stops_and_the_network_is_forgotten()
    {
        using HttpClient client = Client(new TrainingLimits());
        (string id, string model, ServerSentEvents events) = await StartAndWatchAsync(client, new { epochs = 50 });
        await events.UntilAsync("progress");

        events.Dispose();

        Assert.Equal(HttpStatusCode.NotFound, await StatusAfterAsync(client, $"/api/train/{id}", HttpStatusCode.NotFound));
        Assert.Equal(0, await RunningAfterAsync(client));
        using HttpResponseMessage gone = await client.GetAsync($"/api/train/{id}/model");
        Assert.Equal($"There is no training job \"{id}\": it ended when its page went away, or never existed.", await ErrorAsync(gone));
        using HttpResponseMessage predict = await client.PostAsJsonAsync("/api/predict", new { width = 28, height = 28, pixels = Convert.ToBase64String(new byte[784]), model });
        Assert.Equal(HttpStatusCode.BadRequest, predict.StatusCode);
        Assert.Equal($"Unknown model \"{model[..32]}… (38 characters)\"; the models are: seed, best.", await ErrorAsync(predict));
    }

    [Fact]
    public async Task A_job_whose_page_never_opens_its_events_is_ended()
    {
        using HttpClient client = Client(new TrainingLimits { AttachTimeout = TimeSpan.FromMilliseconds(300) });
        string id = (await StartAsync(client, new { epochs = 50 })).GetProperty("id").GetString()!;

        Assert.Equal(HttpStatusCode.NotFound, await StatusAfterAsync(client, $"/api/train/{id}", HttpStatusCode.NotFound));
        Assert.Equal(0, await RunningAfterAsync(client));
    }

    [Fact]
    public async Task A_second_reader_of_a_jobs_events_gets_409()
    {
        using HttpClient client = Client(new TrainingLimits());
        (string id, _, ServerSentEvents events) = await StartAndWatchAsync(client, new { epochs = 1 });
        using ServerSentEvents stream = events;
        await events.UntilAsync("started");

        using HttpResponseMessage second = await client.GetAsync($"/api/train/{id}/events", HttpCompletionOption.ResponseHeadersRead);

        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.Equal("This job's events are already being read by its page; a job has one page.", await ErrorAsync(second));
        await events.UntilAsync("done");
    }

    [Fact]
    public async Task Without_the_mnist_files_training_is_a_503_that_says_so_and_drawing_still_works()
    {
        string empty = Directory.CreateTempSubdirectory("no-mnist-").FullName;
        using HttpClient client = factory.WithWebHostBuilder(web => web.ConfigureServices(services => services.AddSingleton(new MnistSource([empty])))).CreateClient();
        string expected = $"Training is not available: the MNIST files were not found (looked in {empty}). Set SCRATCHNET_MNIST to the folder that holds them; the drawing view works without them.";

        using HttpResponseMessage setup = await client.GetAsync("/api/train");
        using HttpResponseMessage start = await PostAsync(client, new { epochs = 1 });
        using HttpResponseMessage predict = await client.PostAsJsonAsync("/api/predict", new { width = 28, height = 28, pixels = Convert.ToBase64String(new byte[784]) });

        Assert.Equal(HttpStatusCode.ServiceUnavailable, setup.StatusCode);
        Assert.Equal(expected, await ErrorAsync(setup));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, start.StatusCode);
        Assert.Equal(expected, await ErrorAsync(start));
        Assert.Equal(HttpStatusCode.OK, predict.StatusCode);
        Directory.Delete(empty);
    }

    [Fact]
    public async Task The_seed_preset_trains_the_shipped_seed_network_bit_for_bit()
    {
        // The preset is samples/SeedNetwork's recipe with its defaults; Pretrained.MnistSeed() is what that sample saves.
        using HttpClient client = Client(new TrainingLimits());
        (string id, _, ServerSentEvents events) = await StartAndWatchAsync(client, new { });
        using ServerSentEvents stream = events;
        JsonElement done = await events.UntilAsync("done");
        using HttpResponseMessage download = await client.GetAsync($"/api/train/{id}/model");
        byte[] file = await download.Content.ReadAsByteArrayAsync();
        Network trained = Network.Load(new MemoryStream(file));
        Network shipped = Pretrained.MnistSeed();

        // The very file the library ships (and samples/SeedNetwork --save writes, byte for byte).
        Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(MnistLocator.RepositoryRoot!, "src", "ScratchNet", "Pretrained", "mnist-seed.scnn")), file);

        Assert.Equal(0.9629, done.GetProperty("accuracy").GetDouble(), 4);
        Assert.Equal(shipped.Parameters.Count, trained.Parameters.Count);
        for (int p = 0; p < shipped.Parameters.Count; p++)
        {
            Assert.Equal(shipped.Parameters[p].Value.Span.ToArray(), trained.Parameters[p].Value.Span.ToArray());
        }
    }

    private HttpClient Client(TrainingLimits limits) =>
        factory.WithWebHostBuilder(web => web.ConfigureServices(services =>
        {
            services.AddSingleton(SharedMnist);
            services.AddSingleton(limits);
        })).CreateClient();

    private static Task<HttpResponseMessage> PostAsync(HttpClient client, object body) =>
        client.PostAsync("/api/train", new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json"));

    private static async Task<JsonElement> StartAsync(HttpClient client, object body)
    {
        using HttpResponseMessage response = await PostAsync(client, body);
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"{(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Starts a job and opens its events, as the page does.</summary>
    private static async Task<(string Id, string Model, ServerSentEvents Events)> StartAndWatchAsync(HttpClient client, object body)
    {
        JsonElement started = await StartAsync(client, body);
        string id = started.GetProperty("id").GetString()!;
        return (id, started.GetProperty("model").GetString()!, await ServerSentEvents.OpenAsync(client, $"/api/train/{id}/events"));
    }

    private static async Task<string> ErrorAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString()!;
    }

    /// <summary>Polls until <paramref name="path"/> answers <paramref name="wanted"/> (a job ends on another thread), at most 30 s; returns the last status.</summary>
    private static async Task<HttpStatusCode> StatusAfterAsync(HttpClient client, string path, HttpStatusCode wanted)
    {
        HttpStatusCode status = default;
        for (int attempt = 0; attempt < 300 && status != wanted; attempt++)
        {
            using HttpResponseMessage response = await client.GetAsync(path);
            status = response.StatusCode;
            if (status != wanted)
            {
                await Task.Delay(100);
            }
        }

        return status;
    }

    /// <summary>Polls <c>GET /api/train</c> until no job is running (a stopped job's thread returns a moment later), at most 30 s; returns the last count.</summary>
    private static async Task<int> RunningAfterAsync(HttpClient client)
    {
        int running = -1;
        for (int attempt = 0; attempt < 300 && running != 0; attempt++)
        {
            running = (await client.GetFromJsonAsync<JsonElement>("/api/train")).GetProperty("running").GetInt32();
            if (running != 0)
            {
                await Task.Delay(100);
            }
        }

        return running;
    }
}
