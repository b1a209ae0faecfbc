namespace ScratchNet.Samples;

/// <summary>
/// What a sample trains on and reports on after each epoch: with <c>--validation N</c>, the first 60,000 − N training
/// digits and the last N (the test set is then read only at the end), or with <c>--validation-seed S</c> as well, N
/// digits drawn at random by <see cref="Dataset.Split"/> with seed S and the rest; without it, all 60,000 and the test set.
/// </summary>
/// <param name="Training">The digits to train on.</param>
/// <param name="Report">The digits each epoch is evaluated on.</param>
/// <param name="ReportName"><c>validation</c> or <c>test</c>, for the printed lines and the pictures.</param>
internal sealed record ValidationSplit(Dataset Training, Dataset Report, string ReportName)
{
    /// <summary>The split for <c>--validation <paramref name="validation"/></c> (0: none), the last digits or, with <paramref name="drawSeed"/>, digits drawn at random.</summary>
    public static ValidationSplit Of(MnistData mnist, int validation, int? drawSeed = null)
    {
        SampleRun.Require(validation < mnist.Training.Count ? null : $"--validation {validation} would hold out all {mnist.Training.Count} training digits.");
        if (validation == 0)
        {
            return new(mnist.Training, mnist.Test, "test");
        }

        if (drawSeed is { } seed)
        {
            (Dataset training, Dataset drawn) = mnist.Training.Split((double)validation / mnist.Training.Count, seed);
            return new(training, drawn, "validation");
        }

        int kept = mnist.Training.Count - validation;
        return new(mnist.Training.Slice(0, kept), mnist.Training.Slice(kept, validation), "validation");
    }
}
