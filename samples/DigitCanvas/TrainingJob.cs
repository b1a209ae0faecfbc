using System.Diagnostics;
using ScratchNet;

namespace DigitCanvas;

/// <summary>
/// One network trained for one page: <see cref="Trainer.Fit"/> on a thread of its own, with a callback that
/// takes the cost, the first layer's weights and the progress every <see cref="TrainingLimits.UpdateInterval"/>
/// (callbacks run on the training thread, between steps, where reading the weights is safe); then the test
/// set's <see cref="Network.Evaluate"/> and the network saved as a model file for predictions and download.
/// </summary>
/// <remarks>
/// The page's event stream reads what is new with <see cref="Read"/> and waits on <see cref="Changed"/>;
/// lists only grow and the weights are replaced, so a stream that falls behind skips to the latest weights
/// and nothing is queued. <see cref="End"/> (the page went away) cancels the training and forgets the network.
/// </remarks>
public sealed class TrainingJob
{
    /// <summary>How many misread test digits the result shows.</summary>
    public const int MisreadShown = 12;

    private readonly Lock _lock = new();
    private readonly CancellationTokenSource _cancel = new();
    private readonly List<CostPoint> _costs = [];
    private readonly List<EpochResult> _epochs = [];
    private readonly ModelCatalog _catalog;
    private readonly TrainingLimits _limits;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TrainingProgress? _progress;
    private FirstLayerWeights? _weights;
    private TrainingResult? _result;
    private byte[]? _model;
    private string? _stopReason;
    private bool _ended;
    private int _attached;

    /// <summary>Prepares a job; <see cref="Run"/> trains.</summary>
    /// <param name="id">The job's id, hard to guess: it is the page's key to its network.</param>
    /// <param name="request">What to train.</param>
    /// <param name="catalog">Where the trained network is put for predictions.</param>
    /// <param name="limits">The update interval and the time limit.</param>
    public TrainingJob(string id, TrainingRequest request, ModelCatalog catalog, TrainingLimits limits)
    {
        Id = id;
        Request = request;
        Model = "yours-" + id;
        _catalog = catalog;
        _limits = limits;
        Network = request.CreateNetwork();
        var first = (Dense)Network.Layers[0];
        Started = new TrainingStarted(id, Model, request.ToString(), request, first.Outputs, Network.ParameterCount, (60_000 + request.BatchSize - 1) / request.BatchSize);
        _weights = Weights(first, 0);
    }

    /// <summary>The job's id.</summary>
    public string Id { get; }

    /// <summary>The trained network's model name.</summary>
    public string Model { get; }

    /// <summary>What is trained.</summary>
    public TrainingRequest Request { get; }

    /// <summary>The network being trained (only the training thread touches it until training ends).</summary>
    public Network Network { get; }

    /// <summary>The job as <c>POST /api/train</c> answers it.</summary>
    public TrainingStarted Started { get; }

    /// <summary>Completes at the next change of the progress, the weights or the result.</summary>
    public Task Changed
    {
        get
        {
            lock (_lock)
            {
                return _changed.Task;
            }
        }
    }

    /// <summary>The saved network once training has ended (not failed), else <see langword="null"/>.</summary>
    public byte[]? ModelFile
    {
        get
        {
            lock (_lock)
            {
                return _model;
            }
        }
    }

    /// <summary>Marks the job's stream as opened; <see langword="false"/> if one already was (a job has one page).</summary>
    public bool Attach() => Interlocked.Exchange(ref _attached, 1) == 0;

    /// <summary>Whether a stream was opened.</summary>
    public bool Attached => Volatile.Read(ref _attached) == 1;

    /// <summary>Stops training at the next minibatch; the network as it is then is evaluated and kept (Stop button, time limit).</summary>
    /// <param name="reason">Why, for the result.</param>
    public void Stop(string reason)
    {
        lock (_lock)
        {
            _stopReason ??= reason;
        }

        _cancel.Cancel();
    }

    /// <summary>Ends the job for good (its page went away): training is cancelled, the network forgotten.</summary>
    public void End()
    {
        lock (_lock)
        {
            _ended = true;
            _model = null;
            _catalog.Remove(Model);
        }

        _cancel.Cancel();
    }

    /// <summary>What changed since <paramref name="cursor"/>: new cost points and epochs, the progress, newer weights, the result.</summary>
    /// <param name="cursor">Where the reader stands; updated.</param>
    public (TrainingProgress? Progress, FirstLayerWeights? Weights, IReadOnlyList<EpochResult> Epochs, TrainingResult? Result) Read(ref TrainingCursor cursor)
    {
        lock (_lock)
        {
            TrainingProgress? progress = _progress is { } p && (!ReferenceEquals(p, cursor.Progress) || _costs.Count > cursor.Costs)
                ? p with { Costs = _costs[cursor.Costs..] }
                : null;
            FirstLayerWeights? weights = !ReferenceEquals(_weights, cursor.Weights) ? _weights : null;
            EpochResult[] epochs = [.. _epochs.Skip(cursor.Epochs)];
            TrainingResult? result = cursor.Done ? null : _result;
            cursor = new TrainingCursor(_costs.Count, _epochs.Count, _progress, _weights, cursor.Done || _result is not null);
            return (progress, weights, epochs, result);
        }
    }

    /// <summary>The job's state for <c>GET /api/train/{id}</c>.</summary>
    public TrainingStatus Status()
    {
        lock (_lock)
        {
            return new TrainingStatus(Id, _result?.State ?? "training", Model, [.. _epochs], _result);
        }
    }

    /// <summary>Trains, evaluates and publishes; on the job's own thread. Never throws: a failure becomes the result.</summary>
    /// <param name="mnist">The data, shared by every job.</param>
    public void Run(MnistData mnist)
    {
        _cancel.CancelAfter(_limits.MaxDuration);
        long start = Stopwatch.GetTimestamp();
        var watch = new TrainingWatch(this, start, _limits.UpdateInterval);
        Trainer trainer = Request.CreateTrainer(Network);
        string state = "finished";
        string? reason = null;
        try
        {
            trainer.Fit(mnist.Training, Request.CreateOptions(mnist.Test, watch), cancellationToken: _cancel.Token);
        }
        catch (OperationCanceledException) when (_cancel.IsCancellationRequested)
        {
            state = "stopped";
            lock (_lock)
            {
                reason = _stopReason ?? $"the time limit of {_limits.MaxDuration.TotalMinutes:0.#} minutes";
            }
        }
        catch (Exception e)
        {
            // Divergence (ArithmeticException) and anything else: the page shows the library's message.
            Finish(new TrainingResult("failed", e.Message, null, null, null, null, null, null, Stopwatch.GetElapsedTime(start).TotalSeconds), null);
            return;
        }

        lock (_lock)
        {
            if (_ended)
            {
                return;
            }
        }

        try
        {
            Evaluation test = Network.Evaluate(mnist.Test, trainer.Cost);
            var model = new MemoryStream();
            Network.Save(model);
            MisreadDigit[] misread = [.. test.Misclassified.Take(MisreadShown).Select(i => new MisreadDigit(i, mnist.Test.Label(i), test.Predictions[i], Pixels(mnist.Test.Inputs.Sample(i))))];
            int[,] counts = test.ConfusionMatrix.ToArray();
            int[][] confusion = [.. Enumerable.Range(0, Mnist.ClassCount).Select(r => Enumerable.Range(0, Mnist.ClassCount).Select(c => counts[r, c]).ToArray())];
            Publish(Weights((Dense)Network.Layers[0], _epochs.Count));
            Finish(new TrainingResult(state, reason, Model, test.Accuracy, test.Correct, test.Count, confusion, misread, Stopwatch.GetElapsedTime(start).TotalSeconds), model.ToArray());
        }
        catch (Exception e)
        {
            // An exception must not escape the job's thread: it would end the whole server.
            Finish(new TrainingResult("failed", e.Message, null, null, null, null, null, null, Stopwatch.GetElapsedTime(start).TotalSeconds), null);
        }
    }

    /// <summary>Adds a cost point (training thread).</summary>
    internal void Add(CostPoint point)
    {
        lock (_lock)
        {
            _costs.Add(point);
        }
    }

    /// <summary>Adds an epoch's test result (training thread).</summary>
    internal void Add(EpochResult epoch)
    {
        lock (_lock)
        {
            _epochs.Add(epoch);
        }

        Signal();
    }

    /// <summary>Replaces the progress (training thread).</summary>
    internal void Publish(TrainingProgress progress)
    {
        lock (_lock)
        {
            _progress = progress;
        }

        Signal();
    }

    /// <summary>Replaces the weights (training thread).</summary>
    internal void Publish(FirstLayerWeights weights)
    {
        lock (_lock)
        {
            _weights = weights;
        }

        Signal();
    }

    /// <summary>The first layer's weights, one signed byte each, scaled per neuron.</summary>
    internal static FirstLayerWeights Weights(Dense first, double epochs)
    {
        ReadOnlySpan<float> w = first.Weights.Value.Span;
        int inputs = first.Inputs;
        float[] scales = new float[first.Outputs];
        byte[] bytes = new byte[w.Length];
        for (int i = 0; i < first.Outputs; i++)
        {
            ReadOnlySpan<float> row = w.Slice(i * inputs, inputs);
            float scale = 0;
            foreach (float value in row)
            {
                scale = MathF.Max(scale, MathF.Abs(value));
            }

            scales[i] = scale;
            float toByte = scale > 0 ? 127 / scale : 0;
            for (int j = 0; j < inputs; j++)
            {
                bytes[(i * inputs) + j] = (byte)(sbyte)MathF.Round(row[j] * toByte);
            }
        }

        return new FirstLayerWeights(first.Outputs, inputs, epochs, scales, Convert.ToBase64String(bytes));
    }

    private static string Pixels(ReadOnlySpan<float> image)
    {
        byte[] bytes = new byte[image.Length];
        for (int i = 0; i < image.Length; i++)
        {
            bytes[i] = (byte)MathF.Round(image[i] * 255);
        }

        return Convert.ToBase64String(bytes);
    }

    private void Finish(TrainingResult result, byte[]? model)
    {
        lock (_lock)
        {
            if (_ended)
            {
                return;
            }

            _result = result;
            _model = model;
            if (model is not null)
            {
                _catalog.Add(Model, $"your network: {Request} ({result.Accuracy * 100:F2}% on the MNIST test set)", model);
            }
        }

        Signal();
    }

    private void Signal()
    {
        TaskCompletionSource changed;
        lock (_lock)
        {
            changed = _changed;
            _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        changed.TrySetResult();
    }
}
