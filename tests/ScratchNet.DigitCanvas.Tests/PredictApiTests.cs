using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using DigitCanvas;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using ScratchNet.Tests;

namespace ScratchNet.DigitCanvas.Tests;

/// <summary>The sample's HTTP API, run in memory with WebApplicationFactory.</summary>
public sealed class PredictApiTests(WebApplicationFactory<Program> factory) : IClassFixture<WebApplicationFactory<Program>>
{
    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task A_drawn_vertical_bar_is_a_1_with_the_preprocessed_inputs_and_every_layers_activations()
    {
        byte[] canvas = new byte[300 * 200];
        for (int y = 40; y < 160; y++)
        {
            canvas.AsSpan((y * 300) + 200, 12).Fill(255);
        }

        JsonElement answer = await PredictAsync(new { width = 300, height = 200, pixels = Convert.ToBase64String(canvas), model = "seed", layers = true });

        float[] inputs = DigitImage.FromCanvas(canvas, 300, 200)!;
        float[] outputs = Pretrained.MnistSeed().Predict(inputs);
        Assert.Equal("seed", answer.GetProperty("model").GetString());
        Assert.False(answer.GetProperty("empty").GetBoolean());
        Assert.Equal(1, answer.GetProperty("digit").GetInt32());
        Assert.Equal(inputs, Floats(answer.GetProperty("inputs")));
        Assert.Equal(
            ["Dense(784→16)", "Sigmoid", "Dense(16→16)", "Sigmoid", "Dense(16→10)", "Sigmoid"],
            answer.GetProperty("layers").EnumerateArray().Select(l => l.GetProperty("name").GetString()));
        Assert.Equal(
            ["dense", "sigmoid", "dense", "sigmoid", "dense", "sigmoid"],
            answer.GetProperty("layers").EnumerateArray().Select(l => l.GetProperty("kind").GetString()));
        Assert.Equal([16, 16, 16, 16, 10, 10], answer.GetProperty("layers").EnumerateArray().Select(l => l.GetProperty("activations").GetArrayLength()));
        Assert.Equal([16, 16, 16, 16, 10, 10], answer.GetProperty("layers").EnumerateArray().Select(l => l.GetProperty("size").GetInt32()));
        Assert.Equal(outputs, Floats(answer.GetProperty("layers")[5].GetProperty("activations")));
        float[] probabilities = Floats(answer.GetProperty("probabilities"));
        Assert.Equal(outputs.Select(a => a / outputs.Sum()), probabilities, (a, b) => Math.Abs(a - b) < 1e-6f);
        Assert.Equal(1f, probabilities.Sum(), 1e-5f);
    }

    [Fact]
    public async Task The_best_model_reads_the_bar_too_and_its_bars_are_the_softmax_of_its_logits()
    {
        byte[] canvas = new byte[300 * 200];
        for (int y = 40; y < 160; y++)
        {
            canvas.AsSpan((y * 300) + 200, 12).Fill(255);
        }

        JsonElement answer = await PredictAsync(new { width = 300, height = 200, pixels = Convert.ToBase64String(canvas), model = "best", layers = true });

        float[] logits = Pretrained.MnistBest().Predict(DigitImage.FromCanvas(canvas, 300, 200)!);
        double total = logits.Sum(z => Math.Exp(z - logits.Max()));
        Assert.Equal("best", answer.GetProperty("model").GetString());
        Assert.Equal(1, answer.GetProperty("digit").GetInt32());
        JsonElement layers = answer.GetProperty("layers");
        Assert.Equal("dense", layers[layers.GetArrayLength() - 1].GetProperty("kind").GetString());
        Assert.Equal(logits, Floats(layers[layers.GetArrayLength() - 1].GetProperty("activations")));

        // The convolution maps are sent as their size alone: the page draws dense networks only.
        JsonElement[] large = [.. layers.EnumerateArray().Where(l => l.GetProperty("size").GetInt32() > PredictEndpoint.MaxLayerValues)];
        Assert.NotEmpty(large);
        Assert.All(large, l => Assert.Equal(JsonValueKind.Null, l.GetProperty("activations").ValueKind));
        Assert.All(
            layers.EnumerateArray().Where(l => l.GetProperty("size").GetInt32() <= PredictEndpoint.MaxLayerValues),
            l => Assert.Equal(l.GetProperty("size").GetInt32(), l.GetProperty("activations").GetArrayLength()));
        Assert.Equal(logits.Select(z => (float)(Math.Exp(z - logits.Max()) / total)), Floats(answer.GetProperty("probabilities")), (a, b) => Math.Abs(a - b) < 1e-6f);
    }

    [Theory]
    [InlineData("seed")]
    [InlineData("best")]
    public async Task Without_layers_the_answer_has_no_layer_outputs_and_stays_small(string model)
    {
        byte[] canvas = new byte[28 * 28];
        for (int y = 4; y < 24; y++)
        {
            canvas.AsSpan((y * 28) + 13, 3).Fill(255);
        }

        string body = Json(new { width = 28, height = 28, pixels = Convert.ToBase64String(canvas), model });
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using HttpResponseMessage response = await _client.PostAsync("/api/predict", content);
        byte[] bytes = await response.Content.ReadAsByteArrayAsync();
        JsonElement answer = JsonDocument.Parse(bytes).RootElement;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, answer.GetProperty("digit").GetInt32());
        Assert.Equal(JsonValueKind.Null, answer.GetProperty("layers").ValueKind);
        Assert.Equal(784, answer.GetProperty("inputs").GetArrayLength());
        Assert.InRange(bytes.Length, 1, 16 * 1024);   // best sent 1,372,665 bytes for this 1.1 KB request before
    }

    [Fact]
    public async Task An_mnist_test_image_sent_as_28_by_28_bytes_is_read_as_its_label_and_the_model_defaults_to_seed()
    {
        float[] image = MnistLocator.Data.Test.Inputs.Sample(0).ToArray();   // a 7
        byte[] pixels = [.. image.Select(v => (byte)MathF.Round(v * 255))];

        JsonElement answer = await PredictAsync(new { width = 28, height = 28, pixels = Convert.ToBase64String(pixels) });

        Assert.Equal("seed", answer.GetProperty("model").GetString());
        Assert.Equal(7, answer.GetProperty("digit").GetInt32());
    }

    [Fact]
    public async Task An_empty_canvas_answers_empty_with_no_digit()
    {
        JsonElement answer = await PredictAsync(new { width = 280, height = 280, pixels = Convert.ToBase64String(new byte[280 * 280]), model = "seed" });

        Assert.True(answer.GetProperty("empty").GetBoolean());
        Assert.Equal(JsonValueKind.Null, answer.GetProperty("digit").ValueKind);
        Assert.Equal(JsonValueKind.Null, answer.GetProperty("probabilities").ValueKind);
        Assert.Equal(JsonValueKind.Null, answer.GetProperty("layers").ValueKind);
    }

    [Fact]
    public async Task Malformed_json_is_a_400_that_says_where()
    {
        string error = await BadRequestAsync("{\"width\": 28, \"height\": ");

        Assert.Equal("The body is not valid JSON for {width, height, pixels, model, layers}: the error is at line 1, byte 25.", error);
    }

    [Theory]
    [InlineData("{\"width\": \"wide\", \"height\": 28, \"pixels\": \"\"}", "width must be a JSON number such as 280, not a string.")]
    [InlineData("{\"width\": \"28\", \"height\": 28, \"pixels\": \"\"}", "width must be a JSON number such as 280, not a string.")]
    [InlineData("{\"width\": 28, \"height\": \"28\", \"pixels\": \"\"}", "height must be a JSON number such as 280, not a string.")]
    [InlineData("{\"width\": 28, \"height\": [28], \"pixels\": \"\"}", "height must be a JSON number such as 280, not an array.")]
    [InlineData("{\"width\": 28.5, \"height\": 28, \"pixels\": \"\"}", "width must be a whole number of pixels, but it is 28.5.")]
    [InlineData("{\"width\": 1e99, \"height\": 28, \"pixels\": \"\"}", "width must be a whole number of pixels, but it is 1e99.")]
    [InlineData("{\"width\": 28, \"height\": 28, \"pixels\": 7}", "pixels must be a JSON string (base64), not a number.")]
    [InlineData("{\"width\": 28, \"height\": 28, \"pixels\": \"\", \"model\": 1}", "model must be a JSON string (a model name), not a number.")]
    [InlineData("{\"width\": 28, \"height\": 28, \"pixels\": \"\", \"layers\": \"yes\"}", "layers must be true or false, not a string.")]
    [InlineData("{\"height\": 28, \"pixels\": \"\"}", "width is missing: send the canvas size in pixels, 1 to 1024.")]
    [InlineData("[28, 28]", "The body must be a JSON object {width, height, pixels, model, layers}, not an array.")]
    public async Task A_field_of_the_wrong_type_is_a_400_naming_the_field(string body, string expected)
    {
        Assert.Equal(expected, await BadRequestAsync(body));
    }

    [Theory]
    [InlineData("{\"width\": 28, \"width\": 28, \"height\": 28, \"pixels\": \"\"}", "The field \"width\" appears more than once; send each field once.")]
    [InlineData("{\"width\": 28, \"height\": 28, \"model\": \"best\", \"pixels\": \"\", \"model\": \"seed\"}", "The field \"model\" appears more than once; send each field once.")]
    public async Task A_duplicate_field_is_a_400(string body, string expected)
    {
        Assert.Equal(expected, await BadRequestAsync(body));
    }

    [Theory]
    [InlineData("{\"width\": 28, \"height\": 28, \"pixels\": \"\", \"modle\": \"best\"}", "Unknown field \"modle\"; the fields are width, height, pixels, model, layers.")]
    [InlineData("{\"Width\": 28, \"height\": 28, \"pixels\": \"\"}", "Unknown field \"Width\"; the fields are width, height, pixels, model, layers.")]
    public async Task An_unknown_field_is_a_400_listing_the_fields(string body, string expected)
    {
        Assert.Equal(expected, await BadRequestAsync(body));
    }

    [Theory]
    [InlineData("text/plain; charset=utf-8", "{\"width\": 28, \"height\": 28, \"pixels\": \"\"}", "Content-Type must be application/json (UTF-8), not text/plain; charset=utf-8.")]
    [InlineData("application/x-www-form-urlencoded", "width=28&height=28", "Content-Type must be application/json (UTF-8), not application/x-www-form-urlencode… (33 characters).")]
    [InlineData("application/xml", "<predict width=\"28\"/>", "Content-Type must be application/json (UTF-8), not application/xml.")]
    [InlineData("application/json; charset=utf-16", "{}", "Content-Type must be application/json (UTF-8), not application/json; charset=utf-16.")]
    [InlineData(null, "{\"width\": 28, \"height\": 28, \"pixels\": \"\"}", "Content-Type is missing: send the body as application/json.")]
    public async Task A_body_that_is_not_application_json_is_a_415(string? contentType, string body, string expected)
    {
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        if (contentType is not null)
        {
            content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        }

        using HttpResponseMessage response = await _client.PostAsync("/api/predict", content);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(expected, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());
    }

    [Fact]
    public async Task Application_json_with_a_utf8_charset_is_accepted()
    {
        using var content = new StringContent(Json(new { width = 28, height = 28, pixels = Convert.ToBase64String(new byte[784]) }), Encoding.UTF8);
        content.Headers.ContentType = new("application/json") { CharSet = "UTF-8" };

        using HttpResponseMessage response = await _client.PostAsync("/api/predict", content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task An_empty_body_and_a_json_null_are_400s()
    {
        Assert.Equal("The body is empty: send JSON {width, height, pixels, model}.", await BadRequestAsync(""));
        Assert.Equal("The body must be a JSON object {width, height, pixels, model, layers}, not null.", await BadRequestAsync("null"));
    }

    [Fact]
    public async Task Bad_base64_is_a_400()
    {
        Assert.Equal("pixels is not valid base64.", await BadRequestAsync(Json(new { width = 28, height = 28, pixels = "not base64!" })));
    }

    [Fact]
    public async Task Missing_pixels_is_a_400()
    {
        Assert.Equal(
            "pixels is missing: send the canvas as base64, one greyscale byte per pixel, row-major.",
            await BadRequestAsync(Json(new { width = 28, height = 28 })));
    }

    [Fact]
    public async Task Pixels_of_the_wrong_length_are_a_400_naming_both_numbers()
    {
        Assert.Equal(
            "pixels holds 700 bytes, but width × height is 28 × 28 = 784: send one byte per pixel.",
            await BadRequestAsync(Json(new { width = 28, height = 28, pixels = Convert.ToBase64String(new byte[700]) })));
    }

    [Theory]
    [InlineData(1025, 28, "width must be from 1 to 1024 pixels (images up to 1024 × 1024), but it is 1025.")]
    [InlineData(28, 4096, "height must be from 1 to 1024 pixels (images up to 1024 × 1024), but it is 4096.")]
    [InlineData(0, 28, "width must be from 1 to 1024 pixels (images up to 1024 × 1024), but it is 0.")]
    [InlineData(28, -5, "height must be from 1 to 1024 pixels (images up to 1024 × 1024), but it is -5.")]
    public async Task Sizes_outside_1_to_1024_are_400s(int width, int height, string expected)
    {
        Assert.Equal(expected, await BadRequestAsync(Json(new { width, height, pixels = "AAAA" })));
    }

    [Fact]
    public async Task A_body_over_1_MB_is_a_400()
    {
        // A 1000 × 1000 canvas is allowed by size, but its base64 makes the body 1.33 MB.
        string body = Json(new { width = 1000, height = 1000, pixels = Convert.ToBase64String(new byte[1000 * 1000]) });

        Assert.Equal(
            $"The body is {Encoding.UTF8.GetByteCount(body)} bytes; the limit is 1048576 bytes (1 MB). Send a smaller canvas.",
            await BadRequestAsync(body));
    }

    [Fact]
    public async Task A_body_over_1_MB_without_a_length_is_a_400()
    {
        byte[] body = Encoding.UTF8.GetBytes(Json(new { width = 1000, height = 1000, pixels = Convert.ToBase64String(new byte[1000 * 1000]) }));
        using var content = new StreamContent(new MemoryStream(body));
        content.Headers.ContentType = new("application/json");
        content.Headers.ContentLength = null;
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/predict") { Content = content };
        request.Headers.TransferEncodingChunked = true;

        using HttpResponseMessage response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(
            "The body is over 1048576 bytes; the limit is 1048576 bytes (1 MB). Send a smaller canvas.",
            (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());
    }

    [Fact]
    public async Task An_unknown_model_is_a_400_listing_the_models()
    {
        Assert.Equal(
            "Unknown model \"huge\"; the models are: seed, best.",
            await BadRequestAsync(Json(new { width = 28, height = 28, pixels = Convert.ToBase64String(new byte[784]), model = "huge" })));
    }

    [Fact]
    public async Task A_500_KB_unknown_model_name_is_echoed_as_its_first_32_characters_only()
    {
        string name = new('m', 500 * 1024);

        string error = await BadRequestAsync(Json(new { width = 28, height = 28, pixels = Convert.ToBase64String(new byte[784]), model = name }));

        Assert.Equal($"Unknown model \"{new string('m', 32)}… (512000 characters)\"; the models are: seed, best.", error);
    }

    [Fact]
    public async Task A_long_unknown_field_name_is_echoed_as_its_first_32_characters_only()
    {
        string name = new('f', 100_000);

        string error = await BadRequestAsync($"{{\"{name}\": 1}}");

        Assert.Equal($"Unknown field \"{new string('f', 32)}… (100000 characters)\"; the fields are width, height, pixels, model, layers.", error);
    }

    [Fact]
    public async Task A_long_unknown_model_description_name_is_echoed_as_its_first_32_characters_only()
    {
        using HttpResponseMessage response = await _client.GetAsync("/api/models/" + new string('x', 2000));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(
            $"Unknown model \"{new string('x', 32)}… (2000 characters)\"; the models are: seed, best.",
            (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());
    }

    [Fact]
    public async Task Many_concurrent_requests_give_the_same_answers_as_sequential_ones()
    {
        // 12 MNIST test images, each pasted at its own size and place on a 320 × 240 canvas.
        Dataset test = MnistLocator.Data.Test;
        string[] bodies = [.. Enumerable.Range(0, 12).Select(n =>
        {
            byte[] canvas = new byte[320 * 240];
            int zoom = 1 + (n % 5), left = 7 * n, top = 3 * n;
            ReadOnlySpan<float> image = test.Inputs.Sample(n);
            for (int y = 0; y < 28 * zoom; y++)
            {
                for (int x = 0; x < 28 * zoom; x++)
                {
                    canvas[((top + y) * 320) + left + x] = (byte)MathF.Round(image[((y / zoom) * 28) + (x / zoom)] * 255);
                }
            }

            return Json(new { width = 320, height = 240, pixels = Convert.ToBase64String(canvas), model = "seed" });
        })];

        var sequential = new List<string>();
        foreach (string body in bodies)
        {
            sequential.Add(await AnswerWithoutTimeAsync(body));
        }

        // 8 rounds of all 12 at once: 96 requests in flight together, through a gate wide enough for all of them.
        using HttpClient wide = factory.WithWebHostBuilder(web => web.ConfigureServices(services => services.AddSingleton(new PredictionGate(8, 96)))).CreateClient();
        string[] concurrent = await Task.WhenAll(Enumerable.Range(0, 96).Select(i => Task.Run(() => AnswerWithoutTimeAsync(bodies[i % 12], wide))));

        for (int i = 0; i < concurrent.Length; i++)
        {
            Assert.Equal(sequential[i % 12], concurrent[i]);
        }

        Assert.Equal(12, sequential.Distinct().Count());
    }

    [Fact]
    public async Task The_models_are_listed_and_described_with_their_weights()
    {
        JsonElement list = await _client.GetFromJsonAsync<JsonElement>("/api/models");
        JsonElement seed = await _client.GetFromJsonAsync<JsonElement>("/api/models/seed");

        Assert.Equal(["seed", "best"], list.EnumerateArray().Select(m => m.GetProperty("name").GetString()));
        Network network = Pretrained.MnistSeed();
        var first = (Dense)network.Layers[0];
        JsonElement layer = seed.GetProperty("layers")[0];
        Assert.Equal(6, seed.GetProperty("layers").GetArrayLength());
        Assert.Equal((784, 16), (layer.GetProperty("inputs").GetInt32(), layer.GetProperty("outputs").GetInt32()));
        Assert.Equal(first.Weights.Value.Span.ToArray(), Floats(layer.GetProperty("weights")));
        Assert.Equal(first.Biases.Value.Span.ToArray(), Floats(layer.GetProperty("biases")));
        Assert.Equal(JsonValueKind.Null, seed.GetProperty("layers")[1].GetProperty("weights").ValueKind);
    }

    [Fact]
    public async Task An_unknown_model_description_is_a_404_with_a_json_error()
    {
        using HttpResponseMessage response = await _client.GetAsync("/api/models/huge");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("Unknown model \"huge\"; the models are: seed, best.", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());
    }

    [Fact]
    public async Task The_page_and_its_script_and_style_are_served()
    {
        string page = await _client.GetStringAsync("/");
        string script = await _client.GetStringAsync("/app.js");
        string style = await _client.GetStringAsync("/app.css");

        Assert.Contains("<canvas id=\"pad\"", page, StringComparison.Ordinal);
        Assert.Contains("<script src=\"app.js\"></script>", page, StringComparison.Ordinal);
        Assert.DoesNotContain("http://", page.Replace("http://www.w3.org", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.DoesNotContain("https://", page + script + style, StringComparison.Ordinal);
        Assert.Contains("fetch(\"api/predict\"", script, StringComparison.Ordinal);
        Assert.Contains("#pad", style, StringComparison.Ordinal);
    }

    private static string Json(object value) => JsonSerializer.Serialize(value);

    private static float[] Floats(JsonElement array) => [.. array.EnumerateArray().Select(v => v.GetSingle())];

    private async Task<JsonElement> PredictAsync(object request)
    {
        using HttpResponseMessage response = await _client.PostAsJsonAsync("/api/predict", request);
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private async Task<string> BadRequestAsync(string body)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using HttpResponseMessage response = await _client.PostAsync("/api/predict", content);
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {text}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(text).RootElement.GetProperty("error").GetString()!;
    }

    /// <summary>The answer as JSON text without the timing, which differs from call to call.</summary>
    private async Task<string> AnswerWithoutTimeAsync(string body, HttpClient? client = null)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using HttpResponseMessage response = await (client ?? _client).PostAsync("/api/predict", content);
        response.EnsureSuccessStatusCode();
        var answer = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(await response.Content.ReadAsStringAsync())!;
        answer.Remove("serverMilliseconds");
        return JsonSerializer.Serialize(answer);
    }
}
