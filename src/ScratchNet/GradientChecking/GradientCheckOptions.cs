namespace ScratchNet;

/// <summary>How <see cref="GradientChecker.Check"/> perturbs values and judges the differences.</summary>
public sealed class GradientCheckOptions
{
    /// <summary>
    /// The largest relative error |a − n| / max(|a|, |n|, ε / Tolerance) that passes, where a is the
    /// analytic (backpropagated) derivative, n the numeric one and ε the float32 rounding error expected
    /// in n (see <see cref="GradientChecker"/>). Default 10⁻³, what float32 central differences can promise.
    /// </summary>
    public double Tolerance { get; init; } = 1e-3;

    /// <summary>
    /// The step h relative to the value θ being perturbed: h is the power of two nearest to
    /// Step · max(|θ|, 1), so that θ ± h and θ ± 2h are exact in float32. Default 2⁻⁶ ≈ 0.016.
    /// </summary>
    public double Step { get; init; } = 1.0 / 64;

    /// <summary>
    /// How many entries of each tensor to check, chosen at random (seeded by <see cref="Seed"/>);
    /// <see langword="null"/> (the default) checks every entry. Use it for large layers.
    /// </summary>
    public int? SampleSize { get; init; }

    /// <summary>The seed of the random choice of entries when <see cref="SampleSize"/> is set.</summary>
    public int Seed { get; init; }

    /// <summary>Whether to check ∂C/∂input too (default <see langword="true"/>).</summary>
    public bool CheckInputs { get; init; } = true;

    /// <summary>Throws a clear error for an option out of range.</summary>
    internal void Validate()
    {
        if (!(Tolerance > 0) || !double.IsFinite(Tolerance))
        {
            throw new ArgumentOutOfRangeException(nameof(Tolerance), Tolerance, "The tolerance must be a positive number.");
        }

        if (!(Step > 0 && Step < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(Step), Step, "The relative step must be between 0 and 1 (exclusive).");
        }

        if (SampleSize is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(SampleSize), SampleSize, "The sample size must be at least 1, or null to check every entry.");
        }

    }
}
