using ScratchNet.Kernels;

namespace ScratchNet;

/// <summary>
/// Keeps an exponential moving average of the network's weights during training, and at the end gives the
/// network the averaged weights. The average of the last few thousand steps usually generalises a little
/// better than the last step's weights, which still carry that step's noise.
/// <code>
/// var average = new ExponentialMovingAverage(decay: 0.999);
/// trainer.Fit(data, new TrainingOptions { Epochs = 30, Validation = validation, Callbacks = [average] });
/// // network now holds the averaged weights; average.Validations[e] is epoch e + 1's validation of them
/// </code>
/// </summary>
/// <remarks>
/// After every minibatch each averaged value w̄ moves toward the weight w that the optimizer just wrote:
/// <c>w̄ ← β·w̄ + (1 − β)·w</c>, with β = <see cref="Decay"/>, starting from the weights at the start of
/// training. A value then weighs the last ≈ 1 / (1 − β) steps (1,000 for β = 0.999). Layer state that is not
/// learned by gradients (<see cref="BatchNorm"/>'s running mean and variance) is averaged the same way, so the
/// statistics match the averaged weights. The update runs in place on buffers made at the start of training:
/// a step allocates nothing. The average is not part of a resumable checkpoint; a resumed run starts a new
/// average from the weights it resumes with.
/// </remarks>
public sealed class ExponentialMovingAverage : TrainingCallback
{
    private readonly List<Evaluation> _validations = [];
    private Tensor[] _live = [];
    private float[][] _average = [];
    private float[][] _swap = [];
    private Network? _network;

    /// <summary>Creates the callback.</summary>
    /// <param name="decay">β, how much of the average each step keeps: above 0 and below 1; 0.999 weighs about the last 1,000 steps.</param>
    /// <param name="applyAtEnd">
    /// <see langword="true"/> (the default) to give the network the averaged weights when training ends
    /// (<see cref="TrainingCallback.OnTrainEnd"/>; not after a cancelled or failed run); <see langword="false"/> to leave
    /// the last step's weights and call <see cref="Apply"/> yourself.
    /// </param>
    public ExponentialMovingAverage(double decay = 0.999, bool applyAtEnd = true)
    {
        if (!(decay > 0 && decay < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(decay), decay, "The decay β of a moving average must be above 0 and below 1 (such as 0.999).");
        }

        Decay = decay;
        ApplyAtEnd = applyAtEnd;
    }

    /// <summary>β: the share of the average that each step keeps.</summary>
    public double Decay { get; }

    /// <summary>Whether the network gets the averaged weights when training ends.</summary>
    public bool ApplyAtEnd { get; }

    /// <summary>
    /// The validation set's evaluation of the averaged weights after each epoch of the last run (empty without a
    /// validation set); <see cref="EpochReport.Validation"/> evaluates the last step's weights.
    /// </summary>
    public IReadOnlyList<Evaluation> Validations => _validations;

    /// <inheritdoc />
    public override void OnTrainBegin(TrainingContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        _network = context.Network;
        _live = [.. _network.Parameters.Select(p => p.Value), .. _network.Layers.SelectMany(l => l.State).Select(s => s.Value)];
        _average = [.. _live.Select(t => t.Span.ToArray())];
        _swap = [.. _live.Select(t => new float[t.Length])];
        _validations.Clear();
    }

    /// <inheritdoc />
    public override void OnBatchEnd(BatchProgress progress, TrainingContext context)
    {
        // w̄ ← β·w̄ + (1 − β)·w
        float keep = (float)Decay, take = (float)(1 - Decay);
        for (int i = 0; i < _live.Length; i++)
        {
            VectorMath.ScaleAxpy(keep, take, _live[i].Span, _average[i]);
        }
    }

    /// <inheritdoc />
    public override void OnEpochEnd(EpochReport report, TrainingContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Validation is { } validation)
        {
            // Evaluate the averaged weights in place of the live ones, then put the live ones back.
            Exchange();
            try
            {
                _validations.Add(context.Network.Evaluate(validation, context.Trainer.Cost));
            }
            finally
            {
                Exchange();
            }
        }
    }

    /// <inheritdoc />
    public override void OnTrainEnd(TrainingContext context)
    {
        if (ApplyAtEnd)
        {
            Apply();
        }
    }

    /// <summary>Copies the averaged weights (and averaged layer state) into the network that was trained.</summary>
    /// <exception cref="InvalidOperationException">No training has started with this callback yet.</exception>
    public void Apply()
    {
        if (_network is null)
        {
            throw new InvalidOperationException("There is no average yet: pass this callback to Trainer.Fit in TrainingOptions.Callbacks first.");
        }

        for (int i = 0; i < _live.Length; i++)
        {
            _average[i].CopyTo(_live[i].Span);
        }
    }

    /// <summary>Swaps the live values and the averages, through the spare buffers.</summary>
    private void Exchange()
    {
        for (int i = 0; i < _live.Length; i++)
        {
            Span<float> live = _live[i].Span;
            live.CopyTo(_swap[i]);
            _average[i].CopyTo(live);
            (_average[i], _swap[i]) = (_swap[i], _average[i]);
        }
    }
}
