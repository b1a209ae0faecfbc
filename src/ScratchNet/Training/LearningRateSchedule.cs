namespace ScratchNet;

/// <summary>The learning rate η for each epoch. The trainer asks once at the start of every epoch.</summary>
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

    /// <summary>Throws unless <paramref name="value"/> is a positive finite learning rate.</summary>
    private protected static float Positive(float value, string name) =>
        value > 0f && float.IsFinite(value) ? value : throw new ArgumentOutOfRangeException(name, value, "A learning rate must be a positive finite number.");

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
