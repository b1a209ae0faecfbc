namespace ScratchNet;

/// <summary>
/// RMSProp (Hinton, 2012): divides each weight's step by a running root-mean-square of its recent
/// gradients, so every weight moves at about the same speed whatever the scale of its gradient.
/// <code>
/// g = ∂C/∂w
/// s ← ρ·s + (1 − ρ)·g²          (s starts at 0)
/// w ← w − η·g / (√s + ε)
/// </code>
/// The running mean s is kept per <see cref="Parameter"/> and created at its first step; later steps
/// allocate nothing.
/// </summary>
public sealed class RmsProp : Optimizer
{
    private readonly Dictionary<Parameter, float[]> _meanSquare = new(ReferenceEqualityComparer.Instance);

    /// <summary>Creates RMSProp.</summary>
    /// <param name="learningRate">η, a positive finite number; 0.001 by default.</param>
    /// <param name="rho">ρ, the decay of the running mean of g², from 0 to below 1; 0.9 by default.</param>
    /// <param name="epsilon">ε, a positive number that keeps the division finite; 10⁻⁸ by default.</param>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
    public RmsProp(float learningRate = 0.001f, float rho = 0.9f, float epsilon = 1e-8f)
        : base(learningRate)
    {
        Rho = rho >= 0f && rho < 1f ? rho : throw new ArgumentOutOfRangeException(nameof(rho), rho, "ρ must be at least 0 and below 1.");
        Epsilon = epsilon > 0f && float.IsFinite(epsilon) ? epsilon : throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "ε must be a positive finite number.");
    }

    /// <summary>ρ, the decay of the running mean of g².</summary>
    public float Rho { get; }

    /// <summary>ε, added to √s.</summary>
    public float Epsilon { get; }

    /// <inheritdoc />
    public override void Step(IReadOnlyList<Parameter> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        float eta = LearningRate;
        float rho = Rho;
        float epsilon = Epsilon;
        for (int p = 0; p < parameters.Count; p++)
        {
            Parameter parameter = parameters[p];
            Span<float> w = parameter.Value.Span;
            ReadOnlySpan<float> gradient = parameter.Gradient.Span;
            Span<float> s = OptimizerState.Get(_meanSquare, parameter);
            for (int i = 0; i < w.Length; i++)
            {
                float g = gradient[i];
                s[i] = (rho * s[i]) + ((1f - rho) * g * g);
                w[i] -= eta * g / (MathF.Sqrt(s[i]) + epsilon);
            }
        }
    }

    /// <summary>Writes each parameter's running mean square s.</summary>
    internal override void SaveState(IReadOnlyList<Parameter> parameters, BinaryWriter writer) =>
        SaveBuffers(parameters, writer, p => _meanSquare.GetValueOrDefault(p));

    /// <summary>Restores each parameter's running mean square s.</summary>
    internal override void LoadState(IReadOnlyList<Parameter> parameters, Serialization.ByteReader reader) =>
        LoadBuffers(parameters, reader, "mean square", (p, s) => _meanSquare[p] = s);

    /// <inheritdoc />
    public override string ToString() => $"RMSProp(η = {LearningRate}, ρ = {Rho}, ε = {Epsilon})";
}
