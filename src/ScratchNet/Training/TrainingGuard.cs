using System.Globalization;
using ScratchNet.Kernels;

namespace ScratchNet;

/// <summary>
/// What keeps a training run from ending "successfully" with broken weights: data checked for NaN and
/// ±∞ before the first step, every step's gradients checked before the optimizer applies them (so the
/// weights stay those of the last good step), and, unless turned off, a watch for divergence after
/// every epoch. Each problem is an <see cref="ArithmeticException"/> that says where and what to do.
/// </summary>
internal sealed class TrainingGuard(Trainer trainer, bool detectDivergence)
{
    /// <summary>How many minibatches' mean cost is the baseline that later epochs are compared with.</summary>
    public const int BaselineBatches = 16;

    /// <summary>An epoch whose mean cost exceeds the baseline this many times has diverged.</summary>
    public const double CostGrowthLimit = 100;

    /// <summary>The fewest steps in a row with every gradient exactly 0 that count as a network that stopped learning.</summary>
    public const int StillSteps = 10;

    /// <summary>A weight beyond ±this has diverged: trained networks stay below 10² (the shipped ones do).</summary>
    public const float WeightLimit = 1e6f;

    private double _baselineSum;
    private int _baselineCount;
    private int _stillSteps;

    /// <summary>Refuses a dataset with a NaN or an infinity, naming the sample; 8-bit pixel inputs (MNIST's) are finite by construction.</summary>
    public static void EnsureFinite(Dataset data, string name)
    {
        if (data.Pixels is null)
        {
            EnsureFinite(data.Inputs, name, "input");   // 8-bit pixels are b / 255: finite by construction
        }

        EnsureFinite(data.Targets, name, "target");
    }

    /// <summary>Remembers the costs of the first minibatches of the run, the baseline of the divergence watch.</summary>
    public void Observe(double loss)
    {
        if (_baselineCount < BaselineBatches)
        {
            _baselineSum += loss;
            _baselineCount++;
        }
    }

    /// <summary>
    /// Refuses a step whose gradients are not finite, before the optimizer applies it, and counts the
    /// steps in a row whose gradients are all exactly 0 (a network whose neurons saturated learns nothing more).
    /// </summary>
    public void EnsureFiniteGradients(int epoch, int batch, ReadOnlySpan<int> samples)
    {
        Network network = trainer.Network;
        bool still = true, checkedByKernel = false;
        for (int l = 0; l < network.Layers.Count; l++)
        {
            // A kernel's check is trusted for the built-in layers that run it (sealed, and nothing of theirs writes
            // the weight gradient after the kernel); a layer of one's own that wraps one is read as before.
            bool checksItsKernels = network.Layers[l] is Dense or Conv2D;
            IReadOnlyList<Parameter> parameters = network.Layers[l].Parameters;
            for (int p = 0; p < parameters.Count; p++)   // indexed: a step allocates nothing
            {
                Parameter parameter = parameters[p];
                if (checksItsKernels && parameter.GradientCheckedFinite)
                {
                    checkedByKernel = true; // finite, checked as the backward pass wrote it: not read again here
                    continue;
                }

                int at = VectorMath.IndexOfNonFinite(parameter.Gradient.Span, out bool zero);
                still &= zero;
                if (at >= 0)
                {
                    throw new ArithmeticException(
                        $"The gradient became {parameter.Gradient.Span[at]} in epoch {epoch}, batch {batch} (training samples {Describe(samples)}), " +
                        $"at value {at} of ∂C/∂{parameter.Name} of layer {l} ({network.Layers[l].Name}), with η = {trainer.Optimizer.LearningRate}. " +
                        "The step was not applied: the weights are those of the step before. Lower the learning rate.");
                }
            }
        }

        if (checkedByKernel)
        {
            // Whether those gradients are all 0 matters only when every other one is (a stalled network): read them then.
            still = ZeroAndUnflag(network, still) && still;
        }

        _stillSteps = still ? _stillSteps + 1 : 0;
    }

    /// <summary>Clears every <see cref="Parameter.GradientCheckedFinite"/> flag and, when <paramref name="read"/>, returns whether all those gradients are ±0.</summary>
    private static bool ZeroAndUnflag(Network network, bool read)
    {
        bool zero = true;
        for (int l = 0; l < network.Layers.Count; l++)
        {
            IReadOnlyList<Parameter> parameters = network.Layers[l].Parameters;
            for (int p = 0; p < parameters.Count; p++)
            {
                Parameter parameter = parameters[p];
                if (parameter.GradientCheckedFinite)
                {
                    parameter.GradientCheckedFinite = false;
                    if (read && zero)
                    {
                        VectorMath.IndexOfNonFinite(parameter.Gradient.Span, out bool allZero);
                        zero = allZero;
                    }
                }
            }
        }

        return zero;
    }

    /// <summary>
    /// After an epoch of <paramref name="steps"/> steps: refuses a cost that has grown far above the
    /// baseline, a weight that has exploded, or a network that stopped learning with a cost above 0
    /// (every gradient exactly 0 for the last half of the epoch's steps, at least 10: saturated neurons).
    /// </summary>
    public void EnsureNotDiverged(int epoch, double meanCost, int steps)
    {
        if (!detectDivergence)
        {
            return;
        }

        if (meanCost > 0 && _stillSteps >= Math.Max(StillSteps, steps / 2))
        {
            throw Diverged(epoch, $"every gradient has been exactly 0 for the last {_stillSteps} of {steps} steps while the mean cost is {Number(meanCost)}: the neurons saturated (σ'(z) = 0) and learn nothing more");
        }

        double baseline = _baselineCount > 0 ? _baselineSum / _baselineCount : 0;
        if (baseline > 0 && meanCost > CostGrowthLimit * baseline)
        {
            throw Diverged(epoch, $"the mean cost {Number(meanCost)} is more than {CostGrowthLimit} times the {Number(baseline)} of the first {_baselineCount} minibatches");
        }

        Network network = trainer.Network;
        for (int l = 0; l < network.Layers.Count; l++)
        {
            foreach (Parameter parameter in network.Layers[l].Parameters)
            {
                int at = parameter.Value.Span.IndexOfAnyExceptInRange(-WeightLimit, WeightLimit);
                if (at >= 0)
                {
                    throw Diverged(epoch, $"value {at} of {parameter.Name} of layer {l} ({network.Layers[l].Name}) is {Number(parameter.Value.Span[at])}, beyond ±{Number(WeightLimit)}");
                }
            }
        }
    }

    private ArithmeticException Diverged(int epoch, string what) =>
        new($"Training diverged in epoch {epoch}: {what} (η = {trainer.Optimizer.LearningRate}). " +
            "Lower the learning rate, or set TrainingOptions.DetectDivergence = false to train on regardless.");

    private static void EnsureFinite(Tensor tensor, string name, string kind)
    {
        int at = VectorMath.IndexOfNonFinite(tensor.Span);
        if (at >= 0)
        {
            int sample = at / Math.Max(1, tensor.SampleSize);
            throw new ArgumentException(
                $"The {name} set's {kind} {sample} holds {tensor.Span[at]} (value {at - (sample * tensor.SampleSize)} of the sample). " +
                "Every input and target must be a finite number: clean the data before training.");
        }
    }

    /// <summary>The first ten sample indices of a minibatch, and how many more.</summary>
    public static string Describe(ReadOnlySpan<int> samples) =>
        samples.Length <= 10
            ? string.Join(", ", samples.ToArray())
            : string.Join(", ", samples[..10].ToArray()) + $" and {samples.Length - 10} more";

    private static string Number(double value) => value.ToString("G4", CultureInfo.InvariantCulture);
}
