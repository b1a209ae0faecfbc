using System.Globalization;

namespace ScratchNet;

/// <summary>What happened in one epoch of training; <see cref="Trainer.Fit"/> reports one per epoch.</summary>
/// <param name="Epoch">The epoch just finished, counting from 1.</param>
/// <param name="Epochs">The number of epochs planned.</param>
/// <param name="LearningRate">The learning rate η used in this epoch.</param>
/// <param name="TrainingCost">The mean cost over the epoch's minibatches, each measured before its update.</param>
/// <param name="TrainingAccuracy">The fraction of training samples classified right, measured the same way.</param>
/// <param name="Validation">The evaluation on the validation set after the epoch, or <see langword="null"/> without one.</param>
/// <param name="Elapsed">The time this epoch's training took (validation excluded).</param>
public sealed record EpochReport(
    int Epoch,
    int Epochs,
    float LearningRate,
    double TrainingCost,
    double TrainingAccuracy,
    Evaluation? Validation,
    TimeSpan Elapsed)
{
    /// <summary>One line such as <c>epoch  3/30  cost 0.1234  accuracy 93.10%  test 94.02%  0.061 s</c>.</summary>
    public override string ToString()
    {
        string validation = Validation is { } v
            ? string.Create(CultureInfo.InvariantCulture, $"  validation {v.Accuracy * 100:F2}% (cost {v.MeanCost ?? double.NaN:F4})")
            : string.Empty;
        return string.Create(CultureInfo.InvariantCulture, $"epoch {Epoch,3}/{Epochs}  η {LearningRate:G4}  cost {TrainingCost:F4}  train {TrainingAccuracy * 100:F2}%{validation}  {Elapsed.TotalSeconds:F3} s");
    }
}
