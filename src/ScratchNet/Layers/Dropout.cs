namespace ScratchNet;

/// <summary>
/// Inverted dropout: in training, each value is kept with probability 1 − r and scaled up so its
/// expected value does not change; at inference the layer passes values through untouched.
/// <code>
/// training:   m = 1/(1 − r) with probability 1 − r, else 0 (drawn afresh for every value and batch)
///             a = z ⊙ m          ∂C/∂z = ∂C/∂a ⊙ m
/// inference:  a = z
/// </code>
/// The masks come from a generator seeded when the network is initialized, so training stays
/// reproducible, and whose state can be saved, so it can resume.
/// </summary>
public sealed class Dropout : Layer
{
    private ResumableRandom _random = new(0);
    private float[] _mask = [];
    private bool _lastWasTraining;

    /// <summary>Creates a dropout layer.</summary>
    /// <param name="rate">r, the probability of dropping a value, in [0, 1).</param>
    /// <exception cref="ArgumentOutOfRangeException">The rate is outside [0, 1).</exception>
    public Dropout(float rate)
    {
        if (!(rate >= 0f && rate < 1f))
        {
            throw new ArgumentOutOfRangeException(nameof(rate), rate, "The dropout rate must be in [0, 1).");
        }

        Rate = rate;
    }

    /// <summary>r, the probability of dropping a value.</summary>
    public float Rate { get; }

    /// <summary><c>[rate]</c>.</summary>
    public override IReadOnlyList<double> Configuration => [Rate];

    /// <summary>The generator the masks are drawn from, which a resumable checkpoint saves and restores.</summary>
    internal override ResumableRandom? TrainingRandom
    {
        get => _random;
        set => _random = value ?? throw new ArgumentNullException(nameof(value));
    }

    /// <inheritdoc />
    public override string Name => FormattableString.Invariant($"Dropout({Rate})");

    /// <inheritdoc />
    public override int[] OutputShape(ReadOnlySpan<int> inputShape) => inputShape.ToArray();

    /// <inheritdoc />
    public override void Initialize(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        _random = new ResumableRandom(random.Next());
    }

    /// <inheritdoc />
    protected override Tensor ForwardCore(Tensor input, bool training)
    {
        _lastWasTraining = training;
        if (!training || Rate == 0f)
        {
            return input;
        }

        Tensor output = OutputBuffer(input.BatchSize);
        _mask = Reuse(_mask, input.Length);

        float keep = 1f / (1f - Rate);
        ReadOnlySpan<float> z = input.Span;
        Span<float> a = output.Span;
        for (int i = 0; i < z.Length; i++)
        {
            _mask[i] = _random.NextSingle() >= Rate ? keep : 0f;
            a[i] = z[i] * _mask[i];
        }

        return output;
    }

    /// <inheritdoc />
    protected override Tensor BackwardCore(Tensor outputGradient)
    {
        if (!_lastWasTraining || Rate == 0f)
        {
            return outputGradient;
        }

        Tensor inputGradient = InputGradientBuffer();
        ReadOnlySpan<float> da = outputGradient.Span;
        Span<float> dz = inputGradient.Span;
        for (int i = 0; i < da.Length; i++)
        {
            dz[i] = da[i] * _mask[i];
        }

        return inputGradient;
    }
}
