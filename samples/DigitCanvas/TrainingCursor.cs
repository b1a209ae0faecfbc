namespace DigitCanvas;

/// <summary>How far a reader of <see cref="TrainingJob.Read"/> has got: counts of the lists read, the last progress and weights sent, and whether the result was.</summary>
/// <param name="Costs">Cost points read.</param>
/// <param name="Epochs">Epoch results read.</param>
/// <param name="Progress">The last progress read.</param>
/// <param name="Weights">The last weights read.</param>
/// <param name="Done">Whether the result was read.</param>
public readonly record struct TrainingCursor(int Costs, int Epochs, TrainingProgress? Progress, FirstLayerWeights? Weights, bool Done);
