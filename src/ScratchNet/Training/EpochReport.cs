using System.Globalization;

namespace ScratchNet;

/// <summary>What happened in one epoch of training; <see cref="Trainer.Fit"/> reports one per epoch.</summary>
public sealed class EpochReport
{
    internal EpochReport(int epoch, int epochs, float learningRate, double trainingCost, double trainingAccuracy, Evaluation? validation, TimeSpan elapsed)
    {
        Epoch = epoch;
        Epochs = epochs;
        LearningRate = learningRate;
        TrainingCost = trainingCost;
        TrainingAccuracy = trainingAccuracy;
        Validation = validation;
        Elapsed = elapsed;
    }

    /// <summary>The epoch just finished, counting from 1.</summary>
    public int Epoch { get; }

    /// <summary>The number of epochs planned.</summary>
    public int Epochs { get; }

    /// <summary>The learning rate η used in this epoch.</summary>
    public float LearningRate { get; }

    /// <summary>The mean cost over the epoch's minibatches, each measured before its update.</summary>
    public double TrainingCost { get; }

    /// <summary>The fraction of training samples classified right, measured the same way.</summary>
    public double TrainingAccuracy { get; }

    /// <summary>The evaluation on the validation set after the epoch, or <see langword="null"/> without one.</summary>
    public Evaluation? Validation { get; }

    /// <summary>The time this epoch's training took (validation excluded).</summary>
    public TimeSpan Elapsed { get; }

    /// <summary>One line such as <c>epoch  3/30  cost 0.1234  accuracy 93.10%  test 94.02%  0.061 s</c>.</summary>
    public override string ToString()
    {
        string validation = Validation is { } v
            ? string.Create(CultureInfo.InvariantCulture, $"  validation {v.Accuracy * 100:F2}% (cost {v.MeanCost ?? double.NaN:F4})")
            : string.Empty;
        return string.Create(CultureInfo.InvariantCulture, $"epoch {Epoch,3}/{Epochs}  η {LearningRate:G4}  cost {TrainingCost:F4}  train {TrainingAccuracy * 100:F2}%{validation}  {Elapsed.TotalSeconds:F3} s");
    }
}
