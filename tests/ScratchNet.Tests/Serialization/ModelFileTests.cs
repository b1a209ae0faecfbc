namespace ScratchNet.Tests.Serialization;

public sealed class ModelFileTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("scratchnet-model-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Save_then_load_gives_a_bit_identical_network()
    {
        Network network = TestNetworks.Seed(Initializer.StandardNormal, seed: 11);
        string path = Path.Combine(_folder, "seed.scnn");

        network.Save(path);
        Network loaded = Network.Load(path);

        Assert.Equal(network.Layers.Select(l => l.Name), loaded.Layers.Select(l => l.Name));
        Assert.Equal(TestNetworks.WeightBits(network), TestNetworks.WeightBits(loaded));
        Tensor x = TestNetworks.Random(11, 0, 1, 5, 784);
        Assert.Equal(network.Predict(x).Span.ToArray(), loaded.Predict(x).Span.ToArray());
    }

    [Fact]
    public void Save_is_atomic_and_leaves_no_temporary_file()
    {
        string path = Path.Combine(_folder, "model.scnn");
        TestNetworks.Seed(seed: 1).Save(path);
        TestNetworks.Seed(seed: 2).Save(path);

        Assert.Equal(["model.scnn"], Directory.GetFiles(_folder).Select(Path.GetFileName));
        Assert.Equal(TestNetworks.WeightBits(TestNetworks.Seed(seed: 2)), TestNetworks.WeightBits(Network.Load(path)));
    }

    [Fact]
    public void A_network_that_cannot_be_saved_leaves_the_previous_file_intact()
    {
        string path = Path.Combine(_folder, "model.scnn");
        TestNetworks.Seed(seed: 1).Save(path);
        byte[] before = File.ReadAllBytes(path);
        var custom = new Network(new Dense(784, 10), new Doubler());

        var error = Assert.Throws<NotSupportedException>(() => custom.Save(path));

        Assert.Contains("Doubler layer cannot be saved", error.Message);
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Single(Directory.GetFiles(_folder));
    }

    [Fact]
    public void Every_truncation_of_a_model_file_is_reported_with_the_file_and_the_offset()
    {
        string path = Path.Combine(_folder, "seed.scnn");
        TestNetworks.Seed().Save(path);
        byte[] bytes = File.ReadAllBytes(path);
        string cut = Path.Combine(_folder, "cut.scnn");

        foreach (int length in new[] { 0, 3, 6, 30, 100, bytes.Length / 2, bytes.Length - 1 })
        {
            File.WriteAllBytes(cut, bytes[..length]);
            var error = Assert.Throws<InvalidDataException>(() => Network.Load(cut));
            Assert.StartsWith($"Cannot load the model from {cut}: the file is truncated: ", error.Message);
            Assert.Contains("(at byte offset ", error.Message);
        }
    }

    [Fact]
    public void A_file_of_another_format_is_rejected_by_its_magic_number()
    {
        string path = Path.Combine(_folder, "not-a-model.scnn");
        File.WriteAllBytes(path, [0x1F, 0x8B, 8, 0, 1, 2, 3, 4]);

        var error = Assert.Throws<InvalidDataException>(() => Network.Load(path));

        Assert.Equal($"Cannot load the model from {path}: it is not a ScratchNet model: it starts with 0x1F8B0800, not \"SCNN\" (0x53434E4E) (at byte offset 0).", error.Message);
    }

    [Fact]
    public void A_newer_format_version_asks_for_an_update()
    {
        string path = Path.Combine(_folder, "future.scnn");
        TestNetworks.Seed().Save(path);
        byte[] bytes = File.ReadAllBytes(path);
        bytes[4] = 3;
        File.WriteAllBytes(path, bytes);

        var error = Assert.Throws<InvalidDataException>(() => Network.Load(path));

        Assert.Equal($"Cannot load the model from {path}: it is format version 3, newer than this library reads (2); update ScratchNet (at byte offset 4).", error.Message);
    }

    [Fact]
    public void A_missing_end_marker_is_reported()
    {
        string path = Path.Combine(_folder, "tail.scnn");
        TestNetworks.Seed().Save(path);
        byte[] bytes = File.ReadAllBytes(path);
        bytes[^1] = (byte)'X';
        File.WriteAllBytes(path, bytes);

        var error = Assert.Throws<InvalidDataException>(() => Network.Load(path));

        Assert.Equal($"Cannot load the model from {path}: the end marker \"END.\" is missing (at byte offset {bytes.Length - 4}).", error.Message);
    }

    [Fact]
    public void The_version_1_fixture_still_loads()
    {
        // A file written by format version 1 and kept in the repository: later versions must read it.
        string fixture = Path.Combine(AppContext.BaseDirectory, "Fixtures", "dense-sigmoid-v1.scnn");

        Network network = Network.Load(fixture);

        Assert.Equal(["Dense(3→2)", "Sigmoid"], network.Layers.Select(l => l.Name));
        Assert.Equal([1, 2, 3, 4, 5, 6, 0.5f, -0.5f], network.Parameters.SelectMany(p => p.Value.Span.ToArray()));
    }

    [Fact]
    public void A_convolutional_network_with_batch_norm_round_trips_bit_for_bit_with_its_running_statistics()
    {
        var network = new Network(
            [6, 6, 2],
            new Conv2D(2, 3, 3, stride: 1, padding: 1), new BatchNorm(3), new Sigmoid(), new MaxPool2D(2),
            new Dropout(0.25f), new Flatten(), new Dense(27, 4), new Sigmoid());
        network.Initialize(5);
        var trainer = new Trainer(network, new QuadraticCost(), new Sgd(0.5f));
        trainer.TrainBatch(TestNetworks.Random(1, 0, 1, 8, 72), TestNetworks.OneHot(1, 8, 4)); // moves the running statistics
        string path = Path.Combine(_folder, "conv.scnn");

        network.Save(path);
        Network loaded = Network.Load(path);

        Assert.Equal(network.Layers.Select(l => l.Name), loaded.Layers.Select(l => l.Name));
        Assert.Equal(TestNetworks.WeightBits(network), TestNetworks.WeightBits(loaded));
        var norm = (BatchNorm)loaded.Layers[1];
        Assert.Equal(((BatchNorm)network.Layers[1]).RunningMean.Span.ToArray(), norm.RunningMean.Span.ToArray());
        Assert.Equal(((BatchNorm)network.Layers[1]).RunningVariance.Span.ToArray(), norm.RunningVariance.Span.ToArray());
        Assert.NotEqual(0f, norm.RunningMean[0]);
        Tensor x = TestNetworks.Random(2, 0, 1, 3, 72);
        Assert.Equal(network.Predict(x).Span.ToArray(), loaded.Predict(x).Span.ToArray());
    }

    /// <summary>A custom layer the model format does not know.</summary>
    private sealed class Doubler : ElementwiseActivation
    {
        protected override void Activate(ReadOnlySpan<float> z, Span<float> a)
        {
            for (int i = 0; i < z.Length; i++)
            {
                a[i] = 2 * z[i];
            }
        }

        protected override void Backpropagate(ReadOnlySpan<float> z, ReadOnlySpan<float> a, ReadOnlySpan<float> outputGradient, Span<float> inputGradient)
        {
            for (int i = 0; i < z.Length; i++)
            {
                inputGradient[i] = 2 * outputGradient[i];
            }
        }
    }
}
