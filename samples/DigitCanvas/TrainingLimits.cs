namespace DigitCanvas;

/// <summary>
/// How much training the server takes on: jobs running at once, pages holding a job or its network, and how
/// long a job may run or wait for its page. One instance per app (a service, so tests can use small ones).
/// </summary>
public sealed class TrainingLimits
{
    /// <summary>
    /// Jobs training at once; another gets 503. Default: half the cores, at least 1. The library's matrix
    /// products already spread one job over the cores, so a second job would mostly slow the first and the
    /// predictions of everyone else.
    /// </summary>
    public int MaxRunning { get; init; } = Math.Max(1, Environment.ProcessorCount / 2);

    /// <summary>Pages holding a job, running or done (its network stays until the page goes away); another gets 503. Default 16.</summary>
    public int MaxSessions { get; init; } = 16;

    /// <summary>A job whose page has not opened its event stream within this time is ended, so a client that only posts frees it. Default 10 s.</summary>
    public TimeSpan AttachTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>A job training longer is stopped (as by the Stop button). Default 10 minutes.</summary>
    public TimeSpan MaxDuration { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>How often the page gets the progress and the first layer's weights while a job trains. Default 200 ms.</summary>
    public TimeSpan UpdateInterval { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>How often a quiet event stream sends a comment, so that proxies keep it open and a gone page is noticed. Default 15 s.</summary>
    public TimeSpan Heartbeat { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Seconds a refused client is told to wait (<c>Retry-After</c>).</summary>
    public int RetryAfterSeconds => 5;
}
