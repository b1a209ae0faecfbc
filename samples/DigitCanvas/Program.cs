using DigitCanvas;

// dotnet run -c Release --project samples/DigitCanvas            serves http://127.0.0.1:5080
// dotnet run -c Release --project samples/DigitCanvas -- --urls http://127.0.0.1:8080
WebApplication app = DigitCanvasApp.Create(args);
app.Run();

/// <summary>The entry point; public so that the tests can start the app with WebApplicationFactory.</summary>
public partial class Program;
