using System.Globalization;
using System.Text;

namespace ScratchNet;

/// <summary>
/// How often each true class was predicted as each class: row = the true class, column = the predicted
/// one, so the diagonal holds the samples classified right. Precision and recall of every class follow
/// from it: precision(c) = M[c, c] / Σᵣ M[r, c] (of the samples called c, the share that are c) and
/// recall(c) = M[c, c] / Σₖ M[c, k] (of the samples that are c, the share called c).
/// </summary>
public sealed class ConfusionMatrix
{
    private readonly int[] _counts;

    /// <summary>An empty matrix for <paramref name="classCount"/> classes.</summary>
    /// <param name="classCount">The number of classes, at least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException">The class count is below 1.</exception>
    public ConfusionMatrix(int classCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(classCount, 1);
        ClassCount = classCount;
        _counts = new int[classCount * classCount];
    }

    /// <summary>The number of classes: the matrix is <see cref="ClassCount"/> × <see cref="ClassCount"/>.</summary>
    public int ClassCount { get; }

    /// <summary>The number of samples counted.</summary>
    public int Total { get; private set; }

    /// <summary>The number of samples on the diagonal: true class = predicted class.</summary>
    public int Correct { get; private set; }

    /// <summary>How many samples of true class <paramref name="actual"/> were predicted as <paramref name="predicted"/>.</summary>
    /// <param name="actual">The true class (the row).</param>
    /// <param name="predicted">The predicted class (the column).</param>
    public int this[int actual, int predicted]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)actual, (uint)ClassCount, nameof(actual));
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)predicted, (uint)ClassCount, nameof(predicted));
            return _counts[(actual * ClassCount) + predicted];
        }
    }

    /// <summary>Counts pairs of true and predicted classes.</summary>
    /// <param name="actual">The true class of each sample.</param>
    /// <param name="predicted">The predicted class of each sample, as many as <paramref name="actual"/>.</param>
    /// <param name="classCount">The number of classes.</param>
    /// <exception cref="ArgumentException">The lengths differ or a class is out of range.</exception>
    public static ConfusionMatrix FromLabels(ReadOnlySpan<int> actual, ReadOnlySpan<int> predicted, int classCount)
    {
        if (actual.Length != predicted.Length)
        {
            throw new ArgumentException($"There are {actual.Length} true classes but {predicted.Length} predictions.", nameof(predicted));
        }

        var matrix = new ConfusionMatrix(classCount);
        for (int n = 0; n < actual.Length; n++)
        {
            if ((uint)actual[n] >= (uint)classCount || (uint)predicted[n] >= (uint)classCount)
            {
                throw new ArgumentException($"Sample {n} has true class {actual[n]} and prediction {predicted[n]}; classes run from 0 to {classCount - 1}.", nameof(actual));
            }

            matrix.Add(actual[n], predicted[n]);
        }

        return matrix;
    }

    /// <summary>The samples whose true class is <paramref name="actual"/> (the row's sum).</summary>
    /// <param name="actual">The class.</param>
    public int ActualCount(int actual)
    {
        int sum = 0;
        for (int k = 0; k < ClassCount; k++)
        {
            sum += this[actual, k];
        }

        return sum;
    }

    /// <summary>The samples predicted as <paramref name="predicted"/> (the column's sum).</summary>
    /// <param name="predicted">The class.</param>
    public int PredictedCount(int predicted)
    {
        int sum = 0;
        for (int r = 0; r < ClassCount; r++)
        {
            sum += this[r, predicted];
        }

        return sum;
    }

    /// <summary>Of the samples predicted as class <paramref name="c"/>, the share that are: M[c, c] / Σᵣ M[r, c]; 0 when none was.</summary>
    /// <param name="c">The class.</param>
    public double Precision(int c)
    {
        int predicted = PredictedCount(c);
        return predicted == 0 ? 0 : (double)this[c, c] / predicted;
    }

    /// <summary>Of the samples of class <paramref name="c"/>, the share predicted as c: M[c, c] / Σₖ M[c, k]; 0 when there is none.</summary>
    /// <param name="c">The class.</param>
    public double Recall(int c)
    {
        int actual = ActualCount(c);
        return actual == 0 ? 0 : (double)this[c, c] / actual;
    }

    /// <summary>A copy of the counts as a two-dimensional array, [true class, predicted class].</summary>
    public int[,] ToArray()
    {
        var array = new int[ClassCount, ClassCount];
        for (int r = 0; r < ClassCount; r++)
        {
            for (int k = 0; k < ClassCount; k++)
            {
                array[r, k] = _counts[(r * ClassCount) + k];
            }
        }

        return array;
    }

    /// <summary>The matrix as a text table, true classes down, predicted across, with each class's recall at the end of its row and precision under its column.</summary>
    public override string ToString()
    {
        int width = Math.Max(7, Total.ToString("N0", CultureInfo.InvariantCulture).Length + 1);
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{"true\\pred",-10}");
        for (int k = 0; k < ClassCount; k++)
        {
            text.Append(k.ToString(CultureInfo.InvariantCulture).PadLeft(width));
        }

        text.AppendLine("   recall");
        for (int r = 0; r < ClassCount; r++)
        {
            text.Append(CultureInfo.InvariantCulture, $"{r,-10}");
            for (int k = 0; k < ClassCount; k++)
            {
                text.Append(this[r, k].ToString("N0", CultureInfo.InvariantCulture).PadLeft(width));
            }

            text.AppendLine(CultureInfo.InvariantCulture, $"  {Recall(r) * 100,6:F2}%");
        }

        text.Append(CultureInfo.InvariantCulture, $"{"precision",-10}");
        for (int k = 0; k < ClassCount; k++)
        {
            text.Append(string.Create(CultureInfo.InvariantCulture, $"{Precision(k) * 100:F1}%").PadLeft(width));
        }

        return text.ToString();
    }

    /// <summary>Counts one sample.</summary>
    internal void Add(int actual, int predicted)
    {
        _counts[(actual * ClassCount) + predicted]++;
        Total++;
        if (actual == predicted)
        {
            Correct++;
        }
    }
}
