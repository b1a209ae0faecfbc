using System.Net;
using Microsoft.AspNetCore.HostFiltering;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.FileProviders;

namespace DigitCanvas;

/// <summary>
/// Builds and runs the web app: the static page, <c>POST /api/predict</c>, <c>GET /api/models</c> and the
/// Train view's <c>/api/train</c> (<see cref="TrainingEndpoints"/>), with
/// security headers on every answer, no <c>Server</c> header, and only loopback host names accepted when it
/// listens on loopback.
/// </summary>
public static class DigitCanvasApp
{
    /// <summary>The address served when no <c>--urls</c> (or <c>ASPNETCORE_URLS</c>) is given.</summary>
    public const string DefaultUrl = "http://127.0.0.1:5080";

    /// <summary>The command line, printed by <c>--help</c> and after a wrong argument.</summary>
    public const string Usage = "Usage: DigitCanvas [--urls URL[;URL...]] [--environment=NAME] [--help]   (default --urls " + DefaultUrl + ")";

    /// <summary>The <c>Content-Security-Policy</c> of every answer: the page's own script, style and images, nothing inline, no frames.</summary>
    public const string ContentSecurityPolicy = "default-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    /// <summary>The host names a request may use when the app listens on loopback only (against DNS rebinding).</summary>
    public static readonly IReadOnlyList<string> LoopbackHosts = ["localhost", "127.0.0.1", "[::1]"];

    /// <summary>Runs the app until it is stopped, turning every way it can fail to start into one line on <paramref name="error"/>.</summary>
    /// <param name="args">The command-line arguments.</param>
    /// <param name="output">Where the usage (for <c>--help</c>) and the address go.</param>
    /// <param name="error">Where a failure goes: one line, no stack trace.</param>
    /// <param name="cancel">Stops the app (Ctrl+C also does).</param>
    /// <returns>0 after a normal stop or <c>--help</c>; 1 when the app cannot listen; 2 for a wrong argument or URL.</returns>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancel = default)
    {
        (bool help, string? argumentError) = ParseArguments(args);
        if (argumentError is not null)
        {
            await error.WriteLineAsync($"DigitCanvas: {argumentError}");
            await error.WriteLineAsync(Usage);
            return 2;
        }

        if (help)
        {
            await output.WriteLineAsync(Usage);
            return 0;
        }

        WebApplication app;
        try
        {
            app = Create(args, output);
        }
        catch (ArgumentException e)
        {
            await error.WriteLineAsync($"DigitCanvas: {e.Message}");
            return 2;
        }

        await using (app)
        {
            try
            {
                await app.StartAsync(cancel);
            }
            catch (IOException e)
            {
                // Kestrel's AddressInUseException and other bind failures: "Failed to bind to address …: address already in use."
                await error.WriteLineAsync($"DigitCanvas: {e.Message} Choose another address with --urls, for example --urls http://127.0.0.1:8080.");
                return 1;
            }

            await app.WaitForShutdownAsync(cancel);
            return 0;
        }
    }

    /// <summary>Builds the app from command-line arguments (for example <c>--urls http://127.0.0.1:0</c>).</summary>
    /// <param name="args">The command-line arguments: <c>--urls</c> and nothing else.</param>
    /// <param name="output">Where the address is printed once the app listens; the console when null.</param>
    /// <returns>The app, not yet started.</returns>
    /// <exception cref="ArgumentException">An unknown argument, or an address that is not an http or https URL.</exception>
    public static WebApplication Create(string[] args, TextWriter? output = null)
    {
        if (ParseArguments(args) is (_, { } argumentError))
        {
            throw new ArgumentException(argumentError, nameof(args));
        }

        WebApplicationBuilder builder = WebApplication.CreateBuilder(args);
        if (string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        IReadOnlyList<BindingAddress> urls = ParseUrls(builder.Configuration[WebHostDefaults.ServerUrlsKey] ?? DefaultUrl);
        if (urls.All(IsLoopback))
        {
            // Host filtering is in every WebApplication's pipeline; it allows any host unless told otherwise.
            builder.Services.Configure<HostFilteringOptions>(options => options.AllowedHosts = [.. LoopbackHosts]);
        }

        builder.WebHost.ConfigureKestrel(kestrel => kestrel.AddServerHeader = false);

        // First in the pipeline, before host filtering, so that even its refusals carry the headers.
        builder.Services.Insert(0, ServiceDescriptor.Transient<IStartupFilter, SecurityHeadersStartupFilter>());

        builder.Services.AddSingleton<ModelCatalog>();
        builder.Services.AddSingleton<PredictionGate>();
        builder.Services.AddSingleton<MnistSource>();
        builder.Services.AddSingleton<TrainingLimits>();
        builder.Services.AddSingleton<TrainingJobs>();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);

        // A failed start is reported by RunAsync in one line; these two would add the same with a stack trace.
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.None);
        builder.Logging.AddFilter("Microsoft.AspNetCore.Server.Kestrel", LogLevel.None);

        WebApplication app = builder.Build();

        // wwwroot is copied beside the program, so the page is found from any current directory.
        string webRoot = Path.Combine(AppContext.BaseDirectory, "wwwroot");
        IFileProvider files = Directory.Exists(webRoot) ? new PhysicalFileProvider(webRoot) : app.Environment.WebRootFileProvider;
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = files,
            OnPrepareResponse = context => context.Context.Response.Headers.CacheControl = "no-cache",
        });

        app.MapPost("/api/predict", PredictEndpoint.HandleAsync);
        app.MapGet("/api/models", (ModelCatalog models) => Results.Json(models.List()));
        app.MapGet("/api/models/{name}", (string name, ModelCatalog models) =>
            models.TryDescribe(name, out ModelDescription? description)
                ? Results.Json(description)
                : Results.Json(new ErrorResponse(models.UnknownModelMessage(name)), statusCode: StatusCodes.Status404NotFound));

        TrainingEndpoints.Map(app);

        app.Lifetime.ApplicationStarted.Register(() =>
        {
            ICollection<string>? addresses = app.Services.GetService<IServer>()?.Features.Get<IServerAddressesFeature>()?.Addresses;
            foreach (string address in addresses ?? [])
            {
                (output ?? Console.Out).WriteLine($"DigitCanvas: open {address} in a browser and draw a digit (Ctrl+C stops).");
            }
        });

        return app;
    }

    private static readonly string[] HostSettings = ["environment", "contentRoot", "applicationName"];

    /// <summary>
    /// Reads the command line: <c>--urls URL</c> (or <c>--urls=URL</c>), <c>--help</c> or <c>-h</c>, and the host
    /// settings <c>--environment=</c>, <c>--contentRoot=</c> and <c>--applicationName=</c>; nothing else.
    /// </summary>
    /// <param name="args">The command-line arguments.</param>
    /// <returns>Whether help was asked for, and what is wrong with the arguments (null when nothing).</returns>
    public static (bool Help, string? Error) ParseArguments(string[] args)
    {
        bool help = false, urls = false;
        for (int i = 0; i < args.Length; i++)
        {
            string arg = args[i];
            if (arg is "--help" or "-h")
            {
                help = true;
            }
            else if (arg is "--urls" && i + 1 < args.Length && !args[i + 1].StartsWith('-') && !urls)
            {
                urls = true;
                i++;
            }
            else if (arg.StartsWith("--urls=", StringComparison.Ordinal) && !urls)
            {
                urls = true;
            }
            else if (HostSettings.Any(key => arg.StartsWith($"--{key}=", StringComparison.OrdinalIgnoreCase)))
            {
                // The host's own settings, which WebApplicationFactory passes to the entry point this way.
            }
            else
            {
                string error = arg is "--urls" || arg.StartsWith("--urls=", StringComparison.Ordinal)
                    ? (urls ? "--urls is given more than once; separate several addresses with ';'." : "--urls needs an address, such as --urls http://127.0.0.1:8080.")
                    : $"unknown argument \"{JsonFields.Clip(arg)}\".";
                return (help, error);
            }
        }

        return (help, null);
    }

    /// <summary>The addresses a started app listens on, such as <c>http://127.0.0.1:5080</c>.</summary>
    /// <param name="app">A started app.</param>
    public static IReadOnlyList<string> Addresses(WebApplication app) =>
        [.. app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? []];

    private static List<BindingAddress> ParseUrls(string urls)
    {
        var parsed = new List<BindingAddress>();
        foreach (string url in urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            BindingAddress? address = null;
            try
            {
                address = BindingAddress.Parse(url);
            }
            catch (FormatException)
            {
            }

            if (address is null || address.Scheme is not ("http" or "https") || address.Host.Length == 0 || address.Port is < 0 or > 65535)
            {
                throw new ArgumentException($"--urls \"{JsonFields.Clip(url)}\" is not an http or https address such as http://127.0.0.1:8080.");
            }

            parsed.Add(address);
        }

        return parsed.Count > 0 ? parsed : throw new ArgumentException("--urls is empty: give an address such as http://127.0.0.1:8080.");
    }

    private static bool IsLoopback(BindingAddress address) =>
        string.Equals(address.Host, "localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(address.Host, out IPAddress? ip) && IPAddress.IsLoopback(ip));
}
