using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.FileProviders;

namespace DigitCanvas;

/// <summary>Builds the web app: the static page, <c>POST /api/predict</c> and <c>GET /api/models</c>.</summary>
public static class DigitCanvasApp
{
    /// <summary>The address served when no <c>--urls</c> (or <c>ASPNETCORE_URLS</c>) is given.</summary>
    public const string DefaultUrl = "http://127.0.0.1:5080";

    /// <summary>Builds the app from command-line arguments (for example <c>--urls http://127.0.0.1:0</c>).</summary>
    /// <param name="args">The command-line arguments.</param>
    /// <returns>The app, not yet started.</returns>
    public static WebApplication Create(string[] args)
    {
        WebApplicationBuilder builder = WebApplication.CreateBuilder(args);
        if (string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        builder.Services.AddSingleton<ModelCatalog>();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);

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

        app.Lifetime.ApplicationStarted.Register(() =>
        {
            ICollection<string>? addresses = app.Services.GetService<IServer>()?.Features.Get<IServerAddressesFeature>()?.Addresses;
            foreach (string address in addresses ?? [])
            {
                Console.WriteLine($"DigitCanvas: open {address} in a browser and draw a digit (Ctrl+C stops).");
            }
        });

        return app;
    }

    /// <summary>The addresses a started app listens on, such as <c>http://127.0.0.1:5080</c>.</summary>
    /// <param name="app">A started app.</param>
    public static IReadOnlyList<string> Addresses(WebApplication app) =>
        [.. app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? []];
}
