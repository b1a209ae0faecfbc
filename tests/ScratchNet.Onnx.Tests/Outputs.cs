namespace ScratchNet.OnnxTests;

/// <summary>Outputs of ScratchNet networks in batches, and how far two sets of outputs are apart.</summary>
internal static class Outputs
{
    /// <summary>The relative-or-absolute tolerance: |a − b| ≤ 1e-5 · max(1, |a|).</summary>
    public const double Tolerance = 1e-5;

    /// <summary>ScratchNet's outputs for every sample, in batches small enough for a convolution's patch rows.</summary>
    public static float[] Predict(Network network, Tensor inputs, int batchSize = 500)
    {
        float[] outputs = new float[inputs.BatchSize * network.OutputShape.Aggregate(1, (p, d) => p * d)];
        int outputSize = outputs.Length / inputs.BatchSize;
        for (int start = 0; start < inputs.BatchSize; start += batchSize)
        {
            int count = Math.Min(batchSize, inputs.BatchSize - start);
            var batch = new Tensor(inputs.Span.Slice(start * inputs.SampleSize, count * inputs.SampleSize), [count, .. network.InputShape]);
            network.Predict(batch).Span.CopyTo(outputs.AsSpan(start * outputSize));
        }

        return outputs;
    }

    /// <summary>The largest |a − b| / max(1, |a|) over every output: the absolute difference for outputs up to 1, the relative one above.</summary>
    public static double LargestDifference(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        double largest = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            largest = Math.Max(largest, Math.Abs(expected[i] - actual[i]) / Math.Max(1.0, Math.Abs(expected[i])));
        }

        return largest;
    }

    private static float Largest(ReadOnlySpan<float> row)
    {
        float max = row[0];
        foreach (float value in row)
        {
            max = Math.Max(max, value);
        }

        return max;
    }

    /// <summary>How many rows of <paramref name="outputs"/> have their largest value at the label of <paramref name="data"/>'s sample.</summary>
    public static int Correct(ReadOnlySpan<float> outputs, Dataset data)
    {
        int classes = outputs.Length / data.Count, correct = 0;
        for (int n = 0; n < data.Count; n++)
        {
            ReadOnlySpan<float> row = outputs.Slice(n * classes, classes);
            correct += row.IndexOf(Largest(row)) == data.Label(n) ? 1 : 0;
        }

        return correct;
    }
}
