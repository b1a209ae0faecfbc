namespace ScratchNet.Tests.Training;

/// <summary>
/// Products large enough to be split over the cores (a convolution on 28×28 images) allocate nothing per
/// training step or per prediction, as the small ones do.
/// </summary>
public sealed class ParallelAllocationTests
{
    [Fact]
    public void A_convolutional_training_step_with_split_products_allocates_nothing()
    {
        // The second convolution is 16·28·28 rows × 72 × 32 = 28.9 M multiply-adds: split in training.
        Network network = ConvNetwork();
        var trainer = new Trainer(network, new SoftmaxCrossEntropyCost(), new Adam(1e-3f));
        Tensor inputs = TestNetworks.Random(1, 0, 1, 16, 28, 28, 1);
        Tensor targets = Dataset.FromLabels(new Tensor(16, 1), Enumerable.Range(0, 16).Select(i => i % 10).ToArray(), 10).Targets;
        trainer.TrainBatch(inputs, targets);
        trainer.TrainBatch(inputs, targets);
        long before = GC.GetAllocatedBytesForCurrentThread();

        for (int step = 0; step < 20; step++)
        {
            trainer.TrainBatch(inputs, targets);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Predicting_one_image_with_split_products_allocates_nothing()
    {
        // One image: the second convolution is 28·28 × 72 × 32 = 1.8 M multiply-adds, split in inference.
        Network network = ConvNetwork();
        float[] image = TestNetworks.Random(2, 0, 1, 784).Span.ToArray();
        float[] output = new float[10];
        network.Predict(image, output);
        long before = GC.GetAllocatedBytesForCurrentThread();

        for (int call = 0; call < 200; call++)
        {
            network.Predict(image, output);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    private static Network ConvNetwork()
    {
        var network = new Network(
            [28, 28, 1],
            new Conv2D(1, 8, 3, padding: 1), new Relu(),
            new Conv2D(8, 32, 3, padding: 1), new Relu(), new MaxPool2D(2),
            new Flatten(),
            new Dense(14 * 14 * 32, 10));
        network.Initialize(3);
        return network;
    }
}
