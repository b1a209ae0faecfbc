namespace ScratchNet.Tests.Data;

public sealed class ImageAugmentationTests
{
    [Fact]
    public void Without_distortion_the_images_come_back_unchanged()
    {
        Tensor batch = TestNetworks.Random(1, 0, 1, 3, 784);
        float[] before = batch.Span.ToArray();

        new ImageAugmentation(28, 28, maxShift: 0, maxRotationDegrees: 0, maxScale: 0).Apply(batch, new Random(1));

        Assert.Equal(before, batch.Span.ToArray());
    }

    [Fact]
    public void A_shift_of_one_pixel_moves_every_pixel_one_column_right()
    {
        var augmentation = new ImageAugmentation(3, 4);
        float[] source = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
        float[] target = new float[12];

        augmentation.Transform(source, target, channels: 1, angle: 0, scale: 1, shiftX: 1, shiftY: 0);

        Assert.Equal([0, 1, 2, 3, 0, 5, 6, 7, 0, 9, 10, 11], target);
    }

    [Fact]
    public void A_quarter_turn_rotates_the_image_about_its_centre()
    {
        var augmentation = new ImageAugmentation(3, 3);
        float[] source = [1, 2, 3, 4, 5, 6, 7, 8, 9];
        float[] target = new float[9];

        augmentation.Transform(source, target, channels: 1, angle: Math.PI / 2, scale: 1, shiftX: 0, shiftY: 0);

        // With y pointing down, a positive angle turns the picture clockwise on screen.
        Assert.Equal([7, 4, 1, 8, 5, 2, 9, 6, 3], target.Select(v => MathF.Round(v, 4)));
    }

    [Fact]
    public void The_same_seed_gives_the_same_distortions_and_the_ink_stays_about_the_same()
    {
        Dataset digits = MnistLocator.Data.Test.Slice(0, 20);
        Tensor first = digits.Inputs.Clone(), second = digits.Inputs.Clone();
        var augmentation = new ImageAugmentation(28, 28);

        augmentation.Apply(first, new Random(5));
        augmentation.Apply(second, new Random(5));

        Assert.Equal(first.Span.ToArray(), second.Span.ToArray());
        Assert.NotEqual(digits.Inputs.Span.ToArray(), first.Span.ToArray());
        for (int n = 0; n < 20; n++)
        {
            double ink = digits.Inputs.Sample(n).ToArray().Sum(), moved = first.Sample(n).ToArray().Sum();
            Assert.InRange(moved / ink, 0.7, 1.3);
        }
    }

    [Fact]
    public void Samples_that_are_not_whole_images_are_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => new ImageAugmentation(28, 28).Apply(new Tensor(2, 100), new Random(1)));

        Assert.StartsWith("Samples of 100 values are not 28×28 images.", error.Message);
    }

    [Fact]
    public void Augmentation_uses_its_own_random_stream_so_the_shuffle_does_not_change()
    {
        Dataset training = MnistLocator.Data.Training.Slice(0, 300);
        var options = new TrainingOptions { Epochs = 1, BatchSize = 300, Seed = 3 };
        Tensor? seenPlain = null, seenAugmented = null;

        RunOnce(options, batch => seenPlain = batch.Clone());
        RunOnce(options with { Augmentation = new RecordingAugmentation(b => seenAugmented = b.Clone()) }, _ => { });

        Assert.Equal(seenPlain!.Span.ToArray(), seenAugmented!.Span.ToArray());

        void RunOnce(TrainingOptions o, Action<Tensor> see)
        {
            var network = new Network(new Recorder(see), new Dense(784, 10), new Sigmoid());
            new Trainer(network, new QuadraticCost(), new Sgd(0.1f)).Fit(training, o);
        }
    }

    /// <summary>Records the batch it is given and leaves it as it is.</summary>
    private sealed class RecordingAugmentation(Action<Tensor> see) : Augmentation
    {
        public override void Apply(Tensor batch, Random random) => see(batch);
    }

    /// <summary>A pass-through layer that shows each training batch to the test.</summary>
    private sealed class Recorder(Action<Tensor> see) : Layer
    {
        public override int[]? InputShape => [784];

        public override int[] OutputShape(ReadOnlySpan<int> inputShape) => inputShape.ToArray();

        protected override Tensor ForwardCore(Tensor input, bool training)
        {
            if (training)
            {
                see(input);
            }

            return input;
        }

        protected override Tensor BackwardCore(Tensor outputGradient) => outputGradient;
    }
}
