using System.Text;
using System.Text.Json;

namespace DigitCanvas;

/// <summary>
/// The Train view's API: <c>GET /api/train</c> (limits, the seed recipe), <c>POST /api/train</c> (start),
/// <c>GET /api/train/{id}/events</c> (the live updates, Server-Sent Events; the job lives as long as this
/// stream), <c>GET /api/train/{id}</c> (state), <c>POST /api/train/{id}/stop</c> and <c>GET /api/train/{id}/model</c> (the <c>.scnn</c> file).
/// </summary>
public static class TrainingEndpoints
{
    /// <summary>Adds the routes to <paramref name="app"/>.</summary>
    /// <param name="app">The app.</param>
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/api/train", SetupAsync);
        app.MapPost("/api/train", StartAsync);
        app.MapGet("/api/train/{id}", (string id, TrainingJobs jobs) =>
            jobs.TryGet(id, out TrainingJob? job) ? JsonBody.Ok(job.Status()) : NotFound(id));
        app.MapPost("/api/train/{id}/stop", (string id, TrainingJobs jobs) =>
        {
            if (!jobs.TryGet(id, out TrainingJob? job))
            {
                return NotFound(id);
            }

            job.Stop("the Stop button");
            return JsonBody.Ok(job.Status(), StatusCodes.Status202Accepted);
        });
        app.MapGet("/api/train/{id}/model", (string id, TrainingJobs jobs) =>
            !jobs.TryGet(id, out TrainingJob? job) ? NotFound(id)
            : job.ModelFile is { } file ? Results.File(file, "application/octet-stream", $"scratchnet-{job.Request.Shape}.scnn")
            : JsonBody.Error(job.Status().State == "failed" ? "Training failed, so there is no network to download." : "The network is still training: download it when training ends.", StatusCodes.Status409Conflict));
        app.MapGet("/api/train/{id}/events", StreamAsync);
    }

    private static async Task<IResult> SetupAsync(HttpContext context, TrainingJobs jobs)
    {
        (_, string? error) = await jobs.LoadDataAsync();
        if (error is not null)
        {
            return JsonBody.Error(error, StatusCodes.Status503ServiceUnavailable);
        }

        var limits = new TrainingOptionLimits(
            TrainingRequestReader.MaxHiddenLayers, TrainingRequestReader.MaxWidth, TrainingRequestReader.Activations, TrainingRequestReader.Costs, TrainingRequestReader.Optimizers, TrainingRequestReader.Schedules,
            TrainingRequestReader.MinLearningRate, TrainingRequestReader.MaxLearningRate, TrainingRequestReader.MaxWeightDecay, TrainingRequestReader.MaxBatchSize, TrainingRequestReader.MaxEpochs);
        return JsonBody.Ok(new TrainingSetup(limits, TrainingRequest.SeedNetwork, jobs.Running, jobs.Limits.MaxRunning));
    }

    private static async Task<IResult> StartAsync(HttpContext context, TrainingJobs jobs)
    {
        if (JsonBody.ContentTypeError(context.Request.ContentType) is { } typeError)
        {
            return JsonBody.Error(typeError, StatusCodes.Status415UnsupportedMediaType);
        }

        (byte[]? body, string? error) = await JsonBody.ReadAsync(context.Request, "The body is empty: send JSON {} for the seed network, or the fields to change.", context.RequestAborted);
        if (body is null)
        {
            return JsonBody.BadRequest(error!);
        }

        (TrainingRequest? request, error) = TrainingRequestReader.Read(body);
        if (request is null)
        {
            return JsonBody.BadRequest(error!);
        }

        (TrainingJob? job, error) = await jobs.StartAsync(request);
        return job is null
            ? JsonBody.Busy(context, error!, jobs.Limits.RetryAfterSeconds)
            : JsonBody.Ok(job.Started, StatusCodes.Status202Accepted);
    }

    /// <summary>
    /// The job's events until the page goes away: <c>started</c>, then <c>progress</c>, <c>weights</c> and
    /// <c>epoch</c> as training goes, <c>done</c> at the end, then a comment now and then. When the page
    /// closes the stream (or goes away), the job ends: training stops and the network is forgotten.
    /// </summary>
    private static async Task StreamAsync(HttpContext context, string id, TrainingJobs jobs, IHostApplicationLifetime lifetime)
    {
        if (!jobs.TryGet(id, out TrainingJob? job))
        {
            await NotFound(id).ExecuteAsync(context);
            return;
        }

        if (!job.Attach())
        {
            await JsonBody.Error("This job's events are already being read by its page; a job has one page.", StatusCodes.Status409Conflict).ExecuteAsync(context);
            return;
        }

        // The stream also ends when the app stops: an open stream would otherwise hold Ctrl+C for the 30 s shutdown timeout.
        using var ending = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
        CancellationToken gone = ending.Token;
        HttpResponse response = context.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        try
        {
            await WriteAsync(response, "started", job.Started, gone);
            var cursor = default(TrainingCursor);
            while (!gone.IsCancellationRequested)
            {
                Task changed = job.Changed;
                (TrainingProgress? progress, FirstLayerWeights? weights, IReadOnlyList<EpochResult> epochs, TrainingResult? result) = job.Read(ref cursor);
                foreach (EpochResult epoch in epochs)
                {
                    await WriteAsync(response, "epoch", epoch, gone);
                }

                if (progress is not null)
                {
                    await WriteAsync(response, "progress", progress, gone);
                }

                if (weights is not null)
                {
                    await WriteAsync(response, "weights", weights, gone);
                }

                if (result is not null)
                {
                    await WriteAsync(response, "done", result, gone);
                }

                if (await Task.WhenAny(changed, Task.Delay(jobs.Limits.Heartbeat, gone)) != changed)
                {
                    await response.WriteAsync(": still here\n\n", gone);
                    await response.Body.FlushAsync(gone);
                }
            }
        }
        catch (OperationCanceledException) when (gone.IsCancellationRequested)
        {
            // The page went away.
        }
        catch (IOException)
        {
            // The connection broke while writing.
        }
        finally
        {
            jobs.End(job);
        }
    }

    private static async Task WriteAsync<T>(HttpResponse response, string name, T data, CancellationToken cancel)
    {
        var text = new StringBuilder();
        text.Append("event: ").Append(name).Append("\ndata: ").Append(JsonSerializer.Serialize(data, JsonBody.Options)).Append("\n\n");
        await response.WriteAsync(text.ToString(), cancel);
        await response.Body.FlushAsync(cancel);
    }

    private static IResult NotFound(string id) => JsonBody.Error(TrainingJobs.UnknownJobMessage(id), StatusCodes.Status404NotFound);
}
