namespace ScratchNet;

/// <summary>
/// The learning rate η for each epoch: the one way to change η during <see cref="Trainer.Fit"/>
/// (<see cref="TrainingOptions.LearningRateSchedule"/>). The trainer asks once at the start of every epoch.
/// </summary>
public abstract class LearningRateSchedule
{
    /// <summary>η for <paramref name="epoch"/>, counting from 1, of <paramref name="epochs"/> in all.</summary>
    /// <param name="epoch">The epoch about to start, from 1.</param>
    /// <param name="epochs">The number of epochs planned.</param>
    public abstract float LearningRate(int epoch, int epochs);

    /// <summary>The same η every epoch.</summary>
    /// <param name="learningRate">η.</param>
    public static LearningRateSchedule Constant(float learningRate) => new ConstantSchedule(learningRate);

    /// <summary>
    /// Linear decay: ηₑ = η₀ + (η₁ − η₀)·(e − 1)/(E − 1), from <paramref name="initial"/> in the first
    /// epoch down to <paramref name="final"/> in the last.
    /// </summary>
    /// <param name="initial">η₀, the rate in epoch 1.</param>
    /// <param name="final">η₁, the rate in the last epoch.</param>
    public static LearningRateSchedule Linear(float initial, float final) => new LinearSchedule(initial, final);

    /// <summary>Step decay: ηₑ = η₀·γ^⌊(e − 1)/s⌋, multiplying by <paramref name="factor"/> every <paramref name="every"/> epochs.</summary>
    /// <param name="initial">η₀.</param>
    /// <param name="factor">γ, between 0 and 1.</param>
    /// <param name="every">s, epochs between two steps.</param>
    public static LearningRateSchedule Step(float initial, float factor, int every) => new StepSchedule(initial, factor, every);

    /// <summary>
    /// Cosine annealing: ηₑ = η₁ + (η₀ − η₁)·(1 + cos(π·(e − 1)/(E − 1)))/2, from <paramref name="initial"/>
    /// in the first epoch down to <paramref name="final"/> in the last along half a cosine: slow at both
    /// ends, fastest in the middle. A single-epoch run uses <paramref name="initial"/>.
    /// </summary>
    /// <param name="initial">η₀, the rate in epoch 1.</param>
    /// <param name="final">η₁, the rate in the last epoch.</param>
    public static LearningRateSchedule Cosine(float initial, float final) => new CosineSchedule(initial, final);

    /// <summary>
    /// A linear warm-up followed by cosine annealing. For the first W = <paramref name="warmupEpochs"/>
    /// epochs ηₑ = η̂·e/W, rising to the peak η̂ in epoch W; after that
    /// ηₑ = η₁ + (η̂ − η₁)·(1 + cos(π·(e − W)/(E − W)))/2, down to <paramref name="final"/> in the last
    /// epoch E. The warm-up keeps adaptive optimizers such as <see cref="Adam"/> from taking large steps
    /// while their running means are still poor. A run of at most W epochs is all warm-up.
    /// </summary>
    /// <param name="peak">η̂, the rate at the end of the warm-up.</param>
    /// <param name="warmupEpochs">W, at least 1.</param>
    /// <param name="final">η₁, the rate in the last epoch.</param>
    public static LearningRateSchedule WarmupCosine(float peak, int warmupEpochs, float final) => new WarmupCosineSchedule(peak, warmupEpochs, final);

    /// <summary>
    /// Any schedule as a function of the epoch (from 1) and the number of epochs, e.g.
    /// <c>LearningRateSchedule.Custom((epoch, epochs) => 0.8f * MathF.Pow(0.5f, epoch - 1))</c>. Each value it
    /// returns must be a positive finite number.
    /// </summary>
    /// <param name="learningRate">η for (epoch, epochs).</param>
    public static LearningRateSchedule Custom(Func<int, int, float> learningRate)
    {
        ArgumentNullException.ThrowIfNull(learningRate);
        return new CustomSchedule(learningRate);
    }

    /// <summary>η₁ + (η₀ − η₁)·(1 + cos(π·t))/2 for t from 0 (η₀) to 1 (η₁), in double.</summary>
    private protected static float CosineBetween(float initial, float final, double t) =>
        (float)(final + ((initial - (double)final) * (1.0 + Math.Cos(Math.PI * t)) / 2.0));

    /// <summary>Throws unless <paramref name="value"/> is a positive finite learning rate.</summary>
    private protected static float Positive(float value, string name) =>
        value > 0f && float.IsFinite(value) ? value : throw new ArgumentOutOfRangeException(name, value, "A learning rate must be a positive finite number.");

    private sealed class CustomSchedule(Func<int, int, float> learningRate) : LearningRateSchedule
    {
        public override float LearningRate(int epoch, int epochs)
        {
            float eta = learningRate(epoch, epochs);
            return eta > 0f && float.IsFinite(eta)
                ? eta
                : throw new InvalidOperationException($"The learning-rate schedule gave η = {eta} for epoch {epoch}; it must be a positive finite number.");
        }

        public override string ToString() => "custom η";
    }

    private sealed class ConstantSchedule(float learningRate) : LearningRateSchedule
    {
        private readonly float _eta = Positive(learningRate, nameof(learningRate));

        public override float LearningRate(int epoch, int epochs) => _eta;

        public override string ToString() => $"constant η = {_eta}";
    }

    private sealed class LinearSchedule(float initial, float final) : LearningRateSchedule
    {
        private readonly float _initial = Positive(initial, nameof(initial));
        private readonly float _final = Positive(final, nameof(final));

        public override float LearningRate(int epoch, int epochs) =>
            epochs <= 1 ? _initial : _initial + ((_final - _initial) * (epoch - 1) / (epochs - 1));

        public override string ToString() => $"linear η = {_initial} → {_final}";
    }

    private sealed class CosineSchedule(float initial, float final) : LearningRateSchedule
    {
        private readonly float _initial = Positive(initial, nameof(initial));
        private readonly float _final = Positive(final, nameof(final));

        public override float LearningRate(int epoch, int epochs) =>
            epochs <= 1 ? _initial : CosineBetween(_initial, _final, (epoch - 1) / (double)(epochs - 1));

        public override string ToString() => $"cosine η = {_initial} → {_final}";
    }

    private sealed class WarmupCosineSchedule : LearningRateSchedule
    {
        private readonly float _peak;
        private readonly int _warmup;
        private readonly float _final;

        public WarmupCosineSchedule(float peak, int warmupEpochs, float final)
        {
            _peak = Positive(peak, nameof(peak));
            _warmup = warmupEpochs >= 1 ? warmupEpochs : throw new ArgumentOutOfRangeException(nameof(warmupEpochs), warmupEpochs, "The warm-up lasts at least one epoch.");
            _final = Positive(final, nameof(final));
        }

        public override float LearningRate(int epoch, int epochs) =>
            epoch <= _warmup || epochs <= _warmup
                ? (float)((double)_peak * Math.Min(epoch, _warmup) / _warmup)
                : CosineBetween(_peak, _final, (epoch - _warmup) / (double)(epochs - _warmup));

        public override string ToString() => $"η warms up to {_peak} over {_warmup} epochs, then cosine → {_final}";
    }

    private sealed class StepSchedule : LearningRateSchedule
    {
        private readonly float _initial;
        private readonly float _factor;
        private readonly int _every;

        public StepSchedule(float initial, float factor, int every)
        {
            _initial = Positive(initial, nameof(initial));
            _factor = factor > 0f && factor <= 1f ? factor : throw new ArgumentOutOfRangeException(nameof(factor), factor, "The factor must be in (0, 1].");
            _every = every >= 1 ? every : throw new ArgumentOutOfRangeException(nameof(every), every, "Step at least every epoch.");
        }

        public override float LearningRate(int epoch, int epochs) => _initial * MathF.Pow(_factor, (epoch - 1) / _every);

        public override string ToString() => $"η = {_initial} × {_factor} every {_every} epochs";
    }
}
