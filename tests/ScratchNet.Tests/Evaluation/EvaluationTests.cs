namespace ScratchNet.Tests;

public sealed class EvaluationTests
{
    private static readonly int[] Actual = [0, 0, 1, 1, 1, 2, 2, 2, 2];
    private static readonly int[] Predicted = [0, 1, 1, 1, 0, 2, 2, 0, 2];

    [Fact]
    public void The_confusion_matrix_of_a_known_prediction_set_is_exact()
    {
        ConfusionMatrix matrix = ConfusionMatrix.FromLabels(Actual, Predicted, 3);

        Assert.Equal(new[,] { { 1, 1, 0 }, { 1, 2, 0 }, { 1, 0, 3 } }, matrix.ToArray());
        Assert.Equal((9, 6), (matrix.Total, matrix.Correct));
        Assert.Equal([1.0 / 3, 2.0 / 3, 1.0], Enumerable.Range(0, 3).Select(matrix.Precision));
        Assert.Equal([1.0 / 2, 2.0 / 3, 3.0 / 4], Enumerable.Range(0, 3).Select(matrix.Recall));
        Assert.Equal(
            """
            true\pred       0      1      2   recall
            0               1      1      0   50.00%
            1               1      2      0   66.67%
            2               1      0      3   75.00%
            precision   33.3%  66.7% 100.0%
            """.ReplaceLineEndings(),
            matrix.ToString());
    }

    [Fact]
    public void A_class_never_predicted_has_precision_zero_and_one_never_present_has_recall_zero()
    {
        ConfusionMatrix matrix = ConfusionMatrix.FromLabels([0, 0, 1], [0, 0, 0], 3);

        Assert.Equal((0.0, 0.0), (matrix.Precision(1), matrix.Recall(1)));
        Assert.Equal((0.0, 0.0), (matrix.Precision(2), matrix.Recall(2)));
        Assert.Equal((2.0 / 3, 1.0), (matrix.Precision(0), matrix.Recall(0)));
    }

    [Fact]
    public void Evaluate_returns_the_confusion_matrix_the_predictions_the_misclassified_samples_and_the_mean_cost()
    {
        // A network that passes its input through, so the inputs are the outputs: row n predicts Predicted[n].
        var network = new Network([3], new Identity());
        var outputs = new Tensor(Actual.Length, 3);
        for (int n = 0; n < Actual.Length; n++)
        {
            outputs[(n * 3) + Predicted[n]] = 0.5f;
        }

        Dataset data = Dataset.FromLabels(outputs, Actual, 3);

        Evaluation result = network.Evaluate(data, new QuadraticCost(), batchSize: 4);

        Assert.Equal(new[,] { { 1, 1, 0 }, { 1, 2, 0 }, { 1, 0, 3 } }, result.ConfusionMatrix.ToArray());
        Assert.Equal(Predicted, result.Predictions);
        Assert.Equal([1, 4, 7], result.Misclassified);
        Assert.Equal((9, 6), (result.Count, result.Correct));
        Assert.Equal(2.0 / 3, result.Accuracy);
        Assert.Equal(0.75, result.Recall(2));
        Assert.Equal(1.0 / 3, result.Precision(0));
        // Right: (0.5 − 1)² = 0.25; wrong: 0.5² + (0 − 1)² = 1.25. (6·0.25 + 3·1.25)/9 = 5.25/9.
        Assert.Equal(5.25 / 9, result.MeanCost!.Value, 12);
        Assert.Equal("accuracy 66.67% (6/9), cost 0.5833", result.ToString());
    }

    [Fact]
    public void A_single_output_network_is_evaluated_as_two_classes_split_at_one_half()
    {
        var network = new Network([1], new Identity());
        var data = new Dataset(new Tensor([0.2f, 0.7f, 0.6f, 0.1f], 4, 1), new Tensor([0f, 1f, 0f, 1f], 4, 1));

        Evaluation result = network.Evaluate(data);

        Assert.Equal(new[,] { { 1, 1 }, { 1, 1 } }, result.ConfusionMatrix.ToArray());
        Assert.Equal([2, 3], result.Misclassified);
        Assert.Null(result.MeanCost);
    }
}
