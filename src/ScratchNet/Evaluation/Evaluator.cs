namespace ScratchNet;

/// <summary>
/// How <see cref="Network.Evaluate"/> measures a classifier: the dataset in order, one batch at a time
/// through the network, each sample's class (the index of its largest output; for one output, 1 from ½)
/// against its target's, into a confusion matrix, and the mean cost if one is given.
/// </summary>
internal static class Evaluator
{
    /// <summary>The evaluation; the caller holds the network's inference lock and has checked the arguments.</summary>
    public static Evaluation Evaluate(Network network, Dataset data, Cost? cost, int batchSize, CancellationToken cancellationToken)
    {
        int outputs = network.OutputShape.Aggregate(1, (a, b) => a * b);
        var batches = new MinibatchSource(data, batchSize);
        var matrix = new ConfusionMatrix(outputs == 1 ? 2 : outputs);
        int[] predictions = new int[data.Count];
        var misclassified = new List<int>();
        double costSum = 0;
        for (int start = 0; start < data.Count; start += batchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            (Tensor x, Tensor y) = batches.Range(start);
            Tensor a = network.Forward(x);
            for (int n = 0; n < a.BatchSize; n++)
            {
                int predicted = MinibatchSource.ClassOf(a.Sample(n));
                int actual = MinibatchSource.ClassOf(y.Sample(n));
                predictions[start + n] = predicted;
                matrix.Add(actual, predicted);
                if (predicted != actual)
                {
                    misclassified.Add(start + n);
                }
            }

            if (cost is not null)
            {
                costSum += cost.Loss(a, y) * x.BatchSize;
            }
        }

        return new Evaluation(matrix, cost is null ? null : costSum / data.Count, predictions, misclassified);
    }
}
