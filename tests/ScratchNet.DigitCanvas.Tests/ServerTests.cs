using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using DigitCanvas;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace ScratchNet.DigitCanvas.Tests;

/// <summary>
/// The sample's server around the API: security headers, host names, the bound on predictions in flight,
/// and how the program starts and fails to start.
/// </summary>
[Collection(nameof(BrowserTests))]
public sealed class ServerTests(WebApplicationFactory<Program> factory) : IClassFixture<WebApplicationFactory<Program>>
{
    private const string Csp = "default-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private static readonly string Usage = "Usage: DigitCanvas [--urls URL[;URL...]] [--environment=NAME] [--help]   (default --urls http://127.0.0.1:5080)";

    [Theory]
    [InlineData("GET", "/")]
    [InlineData("GET", "/app.js")]
    [InlineData("GET", "/api/models")]
    [InlineData("GET", "/api/models/huge")]
    [InlineData("GET", "/no-such-page")]
    [InlineData("POST", "/api/predict")]
    public async Task Every_answer_has_nosniff_and_the_content_security_policy(string method, string path)
    {
        using HttpClient client = factory.CreateClient();
        using var request = new HttpRequestMessage(new HttpMethod(method), path);

        using HttpResponseMessage response = await client.SendAsync(request);

        Assert.Equal(["nosniff"], response.Headers.GetValues("X-Content-Type-Options"));
        Assert.Equal([Csp], response.Headers.GetValues("Content-Security-Policy"));
    }

    [Fact]
    public async Task Kestrel_sends_no_server_header_and_refuses_other_host_names_on_loopback()
    {
        await using WebApplication app = DigitCanvasApp.Create(["--urls", "http://127.0.0.1:0"], TextWriter.Null);
        await app.StartAsync();
        var url = new Uri(DigitCanvasApp.Addresses(app).Single());
        using var client = new HttpClient();

        var answers = new Dictionary<string, HttpStatusCode>();
        foreach (string host in new[] { "localhost", "127.0.0.1", "[::1]", "evil.example", "127.0.0.1.nip.io" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(url, "/api/models"));
            request.Headers.Host = $"{host}:{url.Port}";
            using HttpResponseMessage response = await client.SendAsync(request);
            answers[host] = response.StatusCode;
            Assert.False(response.Headers.Contains("Server"), $"Server: {string.Join(", ", response.Headers.TryGetValues("Server", out IEnumerable<string>? values) ? values : [])}");
            Assert.Equal(["nosniff"], response.Headers.GetValues("X-Content-Type-Options"));
            Assert.Equal([Csp], response.Headers.GetValues("Content-Security-Policy"));
            if (response.StatusCode == HttpStatusCode.BadRequest)
            {
                Assert.Contains("The request hostname is invalid.", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            }
        }

        Assert.Equal(HttpStatusCode.OK, answers["localhost"]);
        Assert.Equal(HttpStatusCode.OK, answers["127.0.0.1"]);
        Assert.Equal(HttpStatusCode.OK, answers["[::1]"]);
        Assert.Equal(HttpStatusCode.BadRequest, answers["evil.example"]);
        Assert.Equal(HttpStatusCode.BadRequest, answers["127.0.0.1.nip.io"]);
        await app.StopAsync();
    }

    [Fact]
    public async Task Beyond_the_running_and_waiting_predictions_a_request_gets_503_with_retry_after()
    {
        var gate = new PredictionGate(maxRunning: 1, maxWaiting: 1);
        using HttpClient client = factory.WithWebHostBuilder(web => web.ConfigureServices(services => services.AddSingleton(gate))).CreateClient();
        string body = JsonSerializer.Serialize(new { width = 28, height = 28, pixels = Convert.ToBase64String(Bar()), model = "best" });

        // One prediction "running", one waiting: the gate is full.
        IDisposable running = (await gate.EnterAsync(CancellationToken.None))!;
        Task<IDisposable?> waiting = gate.EnterAsync(CancellationToken.None);
        Assert.False(waiting.IsCompleted);

        using (HttpResponseMessage refused = await PostAsync(client, body))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
            Assert.Equal("1", refused.Headers.GetValues("Retry-After").Single());
            Assert.Equal("application/json", refused.Content.Headers.ContentType?.MediaType);
            Assert.Equal(
                "The server is busy: 1 predictions are running and 1 are waiting. Try again in 1 s.",
                (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());
        }

        // A turn freed: the waiting one runs, and a request waits behind it and is answered.
        running.Dispose();
        IDisposable second = (await waiting)!;
        Task<HttpResponseMessage> queued = PostAsync(client, body);
        second.Dispose();
        using HttpResponseMessage answered = await queued;

        Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
        Assert.Equal(1, (await answered.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("digit").GetInt32());
    }

    [Fact]
    public async Task The_gate_is_sized_from_the_cores()
    {
        var gate = new PredictionGate();

        Assert.Equal(2 * Environment.ProcessorCount, gate.MaxRunning);
        Assert.Equal(4 * Environment.ProcessorCount, gate.MaxWaiting);

        // MaxRunning + MaxWaiting enter (the first MaxRunning at once), the next is refused.
        var turns = Enumerable.Range(0, gate.MaxRunning + gate.MaxWaiting).Select(_ => gate.EnterAsync(CancellationToken.None)).ToList();
        Assert.Null(await gate.EnterAsync(CancellationToken.None));
        Assert.Equal(gate.MaxRunning, turns.Count(t => t.IsCompletedSuccessfully));
        foreach (Task<IDisposable?> turn in turns)
        {
            (await turn)!.Dispose();
        }

        using IDisposable? again = await gate.EnterAsync(CancellationToken.None);
        Assert.NotNull(again);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    [InlineData("--urls http://127.0.0.1:0 --help")]
    public async Task Help_prints_the_usage_and_exits_0(string commandLine)
    {
        (int code, string output, string error) = await RunAsync(commandLine.Split(' '));

        Assert.Equal((0, Usage + "\n", ""), (code, output.ReplaceLineEndings("\n"), error));
    }

    [Theory]
    [InlineData("--port 8080", "DigitCanvas: unknown argument \"--port\".")]
    [InlineData("serve", "DigitCanvas: unknown argument \"serve\".")]
    [InlineData("--urls", "DigitCanvas: --urls needs an address, such as --urls http://127.0.0.1:8080.")]
    [InlineData("--urls http://127.0.0.1:1 --urls http://127.0.0.1:2", "DigitCanvas: --urls is given more than once; separate several addresses with ';'.")]
    [InlineData("--environment Development", "DigitCanvas: unknown argument \"--environment\".")]
    [InlineData("--help=yes", "DigitCanvas: unknown argument \"--help=yes\".")]
    public async Task An_unknown_argument_prints_the_error_and_the_usage_and_exits_2(string commandLine, string expected)
    {
        (int code, string output, string error) = await RunAsync(commandLine.Split(' '));

        Assert.Equal((2, "", expected + "\n" + Usage + "\n"), (code, output, error.ReplaceLineEndings("\n")));
    }

    [Theory]
    [InlineData("notaurl", "DigitCanvas: --urls \"notaurl\" is not an http or https address such as http://127.0.0.1:8080.")]
    [InlineData("ftp://127.0.0.1:21", "DigitCanvas: --urls \"ftp://127.0.0.1:21\" is not an http or https address such as http://127.0.0.1:8080.")]
    [InlineData("http://127.0.0.1:99999", "DigitCanvas: --urls \"http://127.0.0.1:99999\" is not an http or https address such as http://127.0.0.1:8080.")]
    public async Task A_bad_url_prints_one_line_and_exits_2(string url, string expected)
    {
        (int code, string output, string error) = await RunAsync(["--urls", url]);

        Assert.Equal((2, "", expected + "\n"), (code, output, error.ReplaceLineEndings("\n")));
    }

    [Fact]
    public async Task A_port_in_use_prints_one_line_and_exits_1()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        int port = ((IPEndPoint)taken.LocalEndpoint).Port;

        (int code, string output, string error) = await RunAsync(["--urls", $"http://127.0.0.1:{port}"]);

        Assert.Equal(
            (1, "", $"DigitCanvas: Failed to bind to address http://127.0.0.1:{port}: address already in use. Choose another address with --urls, for example --urls http://127.0.0.1:8080.\n"),
            (code, output, error.ReplaceLineEndings("\n")));
    }

    [Fact]
    public async Task A_good_start_prints_the_address_and_stops_with_0()
    {
        using var stop = new CancellationTokenSource();
        var output = new StringWriter();
        var error = new StringWriter();
        int port = FreePort();
        Task<int> run = DigitCanvasApp.RunAsync(["--urls", $"http://127.0.0.1:{port}"], output, error, stop.Token);

        using var client = new HttpClient();
        string page = "";
        for (int attempt = 0; attempt < 300 && page.Length == 0 && !run.IsCompleted; attempt++)
        {
            try
            {
                page = await client.GetStringAsync($"http://127.0.0.1:{port}/");
            }
            catch (HttpRequestException)
            {
                await Task.Delay(100);
            }
        }

        stop.Cancel();
        int code = await run;

        Assert.Contains("<canvas id=\"pad\"", page, StringComparison.Ordinal);
        Assert.Equal(0, code);
        Assert.Equal($"DigitCanvas: open http://127.0.0.1:{port} in a browser and draw a digit (Ctrl+C stops).\n", output.ToString().ReplaceLineEndings("\n"));
        Assert.Equal("", error.ToString());
    }

    private static async Task<(int Code, string Output, string Error)> RunAsync(string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));   // a start that wrongly succeeds still ends
        int code = await DigitCanvasApp.RunAsync(args, output, error, timeout.Token);
        return (code, output.ToString(), error.ToString());
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static Task<HttpResponseMessage> PostAsync(HttpClient client, string body) =>
        client.PostAsync("/api/predict", new StringContent(body, Encoding.UTF8, "application/json"));

    private static byte[] Bar()
    {
        byte[] canvas = new byte[28 * 28];
        for (int y = 4; y < 24; y++)
        {
            canvas.AsSpan((y * 28) + 13, 3).Fill(255);
        }

        return canvas;
    }
}
