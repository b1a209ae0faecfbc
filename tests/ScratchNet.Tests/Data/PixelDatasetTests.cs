namespace ScratchNet.Tests.Data;

/// <summary>
/// A dataset of 8-bit images keeps its bytes and hands out the exact floats b / 255: its inputs, its
/// minibatches, its slices and splits all agree with the same data built from floats.
/// </summary>
public sealed class PixelDatasetTests
{
    [Fact]
    public void Inputs_are_the_bytes_over_255_exactly()
    {
        Dataset pixels = PixelDataset(out byte[] bytes, samples: 3);

        Assert.Equal(bytes.Select(b => b / 255f), pixels.Inputs.Values.ToArray());
        Assert.Equal(784, pixels.InputSize);
        Assert.Equal(3, pixels.Count);
    }

    [Fact]
    public void The_bytes_are_copied_so_later_changes_do_not_reach_the_dataset()
    {
        byte[] bytes = [0, 255, 51, 102];
        Dataset data = Dataset.FromPixels(bytes, [2], [0, 1], 2);
        bytes[1] = 0;

        Assert.Equal([0f, 1f, 0.2f, 0.4f], data.Inputs.Values.ToArray());
    }

    [Fact]
    public void A_pixel_count_that_does_not_fit_the_samples_is_refused()
    {
        Tensor targets = new(3, 10);

        var error = Assert.Throws<ArgumentException>(() => Dataset.FromPixels(new byte[100], [28, 28], targets));

        Assert.StartsWith("3 samples of shape [28, 28] need 2352 pixels, but 100 were given.", error.Message);
    }

    [Fact]
    public void A_minibatch_gathered_from_bytes_equals_one_gathered_from_floats()
    {
        Dataset pixels = PixelDataset(out byte[] bytes, samples: 30);
        var floats = new Dataset(new Tensor(bytes.Select(b => b / 255f).ToArray(), 30, 784), pixels.Targets);
        int[] indices = [29, 3, 17, 0, 8, 8, 21];

        (Tensor fromBytes, Tensor targetsFromBytes) = new MinibatchSource(pixels, 7).Gather(indices);
        (Tensor fromFloats, Tensor targetsFromFloats) = new MinibatchSource(floats, 7).Gather(indices);
        (Tensor rangeFromBytes, _) = new MinibatchSource(pixels, 7).Range(21);

        Assert.Equal(fromFloats.Values.ToArray(), fromBytes.Values.ToArray());
        Assert.Equal(targetsFromFloats.Values.ToArray(), targetsFromBytes.Values.ToArray());
        Assert.Equal(floats.Inputs.Values.Slice(21 * 784, 7 * 784).ToArray(), rangeFromBytes.Values.ToArray());
    }

    [Fact]
    public void Slices_and_splits_of_a_pixel_dataset_stay_bytes_and_match_the_float_ones()
    {
        Dataset pixels = PixelDataset(out byte[] bytes, samples: 20);
        var floats = new Dataset(new Tensor(bytes.Select(b => b / 255f).ToArray(), 20, 784), pixels.Targets);

        (Dataset trainingP, Dataset validationP) = pixels.Split(0.25, seed: 3);
        (Dataset trainingF, Dataset validationF) = floats.Split(0.25, seed: 3);

        foreach ((Dataset p, Dataset f) in new[] { (pixels.Slice(4, 7), floats.Slice(4, 7)), (trainingP, trainingF), (validationP, validationF) })
        {
            Assert.NotNull(p.Pixels);
            Assert.Equal(f.Inputs.Values.ToArray(), p.Inputs.Values.ToArray());
            Assert.Equal(f.Targets.Values.ToArray(), p.Targets.Values.ToArray());
        }
    }

    [Fact]
    public void Training_from_bytes_gives_the_weights_of_training_from_the_same_floats()
    {
        Dataset pixels = PixelDataset(out byte[] bytes, samples: 50);
        var floats = new Dataset(new Tensor(bytes.Select(b => b / 255f).ToArray(), 50, 784), pixels.Targets);
        var fromBytes = new Trainer(TestNetworks.Seed(seed: 2), new QuadraticCost(), new Sgd(1f));
        var fromFloats = new Trainer(TestNetworks.Seed(seed: 2), new QuadraticCost(), new Sgd(1f));

        fromBytes.Fit(pixels, new TrainingOptions { Epochs = 2, Seed = 4 });
        fromFloats.Fit(floats, new TrainingOptions { Epochs = 2, Seed = 4 });

        Assert.Equal(TestNetworks.WeightBits(fromFloats.Network), TestNetworks.WeightBits(fromBytes.Network));
    }

    [Fact]
    public void The_MNIST_loader_keeps_the_file_bytes()
    {
        using var temp = new TempDirectory();
        string images = IdxBytes.Write(temp.File("images"), IdxBytes.Images(3));
        string labels = IdxBytes.Write(temp.File("labels"), IdxBytes.Labels(0, 9, 3));

        Dataset data = Mnist.LoadPair(images, labels);

        Assert.NotNull(data.Pixels);
        Assert.Equal(data.Pixels!.Select(b => b / 255f), data.Inputs.Values.ToArray());
    }

    private static Dataset PixelDataset(out byte[] bytes, int samples)
    {
        bytes = new byte[samples * 784];
        new Random(samples).NextBytes(bytes);
        return Dataset.FromPixels(bytes, [784], Enumerable.Range(0, samples).Select(i => i % 10).ToArray(), 10);
    }
}
