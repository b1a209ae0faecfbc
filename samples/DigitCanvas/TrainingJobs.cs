using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using ScratchNet;

namespace DigitCanvas;

/// <summary>
/// The training jobs of every page: starts them within <see cref="TrainingLimits"/> and ends them when their
/// page goes away, freeing the network and its memory.
/// </summary>
public sealed class TrainingJobs(ModelCatalog catalog, MnistSource mnist, TrainingLimits limits)
{
    private readonly ConcurrentDictionary<string, TrainingJob> _jobs = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private int _running;

    /// <summary>The limits in force.</summary>
    public TrainingLimits Limits => limits;

    /// <summary>Jobs training now (a stopped job counts until its training thread has returned).</summary>
    public int Running => Volatile.Read(ref _running);

    /// <summary>Jobs held for pages, training or done.</summary>
    public int Sessions => _jobs.Count;

    /// <summary>The MNIST files, loaded on first use, or why there are none.</summary>
    public Task<(MnistData? Data, string? Error)> LoadDataAsync() => mnist.LoadAsync();

    /// <summary>Starts a job on its own thread, or says why not (503: no data, or the server is busy).</summary>
    /// <param name="request">What to train.</param>
    public async Task<(TrainingJob? Job, string? Error)> StartAsync(TrainingRequest request)
    {
        (MnistData? data, string? error) = await mnist.LoadAsync();
        if (data is null)
        {
            return (null, error);
        }

        TrainingJob job;
        lock (_lock)
        {
            if (_running >= limits.MaxRunning)
            {
                return (null, $"The server is busy: {_running} training job{(_running == 1 ? " is" : "s are")} running and the limit is {limits.MaxRunning}. Try again in a moment.");
            }

            if (_jobs.Count >= limits.MaxSessions)
            {
                return (null, $"The server is busy: {_jobs.Count} pages hold a training job or a trained network and the limit is {limits.MaxSessions}. Try again later.");
            }

            job = new TrainingJob(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)), request, catalog, limits);
            _jobs[job.Id] = job;
            _running++;
        }

        var thread = new Thread(() =>
        {
            try
            {
                job.Run(data);
            }
            finally
            {
                Interlocked.Decrement(ref _running);
            }
        })
        {
            IsBackground = true,
            Name = "DigitCanvas training",
        };
        thread.Start();

        // A client that posts and never opens the stream must not hold a job.
        _ = Task.Delay(limits.AttachTimeout).ContinueWith(_ =>
        {
            if (!job.Attached)
            {
                End(job);
            }
        }, TaskScheduler.Default);
        return (job, null);
    }

    /// <summary>Finds a job by id.</summary>
    /// <param name="id">The id from <see cref="StartAsync"/>.</param>
    /// <param name="job">The job, or <see langword="null"/>.</param>
    public bool TryGet(string id, [NotNullWhen(true)] out TrainingJob? job) => _jobs.TryGetValue(id, out job);

    /// <summary>The message for an id that is not a job (any more).</summary>
    /// <param name="id">The id asked for.</param>
    public static string UnknownJobMessage(string id) =>
        $"There is no training job \"{JsonFields.Clip(id)}\": it ended when its page went away, or never existed.";

    /// <summary>Ends a job (its page went away): cancels its training and forgets it and its network.</summary>
    /// <param name="job">The job.</param>
    public void End(TrainingJob job)
    {
        _jobs.TryRemove(job.Id, out _);
        job.End();
    }
}
