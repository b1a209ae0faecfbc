using DigitCanvas;

// dotnet run -c Release --project samples/DigitCanvas            serves http://127.0.0.1:5080
// dotnet run -c Release --project samples/DigitCanvas -- --urls http://127.0.0.1:8080
// A port in use or a wrong argument prints one line and exits with 1 or 2; --help prints the usage.
return await DigitCanvasApp.RunAsync(args, Console.Out, Console.Error);

/// <summary>The entry point; public so that the tests can start the app with WebApplicationFactory.</summary>
public partial class Program;
