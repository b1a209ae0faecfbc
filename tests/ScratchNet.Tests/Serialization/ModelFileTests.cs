using ScratchNet.Serialization;

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
    public void A_network_with_an_unregistered_layer_is_refused_before_anything_is_written()
    {
        string path = Path.Combine(_folder, "model.scnn");
        TestNetworks.Seed(seed: 1).Save(path);
        byte[] before = File.ReadAllBytes(path);
        var custom = new Network(new Dense(784, 10), new Unregistered());

        var error = Assert.Throws<NotSupportedException>(() => custom.Save(path));

        Assert.Equal(
            "Layer 1 (Unregistered) cannot be saved: its type ScratchNet.Tests.Serialization.ModelFileTests+Unregistered is not registered. " +
            "Register it once before saving or loading, e.g. LayerTypes.Register(\"Unregistered\", settings => new Unregistered(…)), " +
            "and override Configuration if its constructor takes settings.",
            error.Message);
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal(["model.scnn"], Directory.GetFiles(_folder).Select(Path.GetFileName));
    }

    [Fact]
    public void Every_truncation_of_a_model_file_is_reported_with_the_file_and_the_offset()
    {
        byte[] bytes = ModelBytes.Of(TestNetworks.Seed());
        string cut = Path.Combine(_folder, "cut.scnn");

        foreach (int length in new[] { 0, 3, 6, 15, 16, 30, 100, bytes.Length / 2, bytes.Length - 4, bytes.Length - 1 })
        {
            File.WriteAllBytes(cut, bytes[..length]);
            var error = Assert.Throws<InvalidDataException>(() => Network.Load(cut));
            Assert.StartsWith($"Cannot load the model from {cut}: the file is truncated: ", error.Message);
            Assert.Contains("(at byte offset ", error.Message);
        }
    }

    [Fact]
    public void A_file_cut_after_its_header_says_what_the_header_declared()
    {
        byte[] bytes = ModelBytes.Of(TestNetworks.Seed());

        var error = Assert.Throws<InvalidDataException>(() => ModelBytes.Load(bytes[..100]));

        Assert.Equal($"Cannot load the model from stream: the file is truncated: the header declares a body of {bytes.Length - 20} bytes, so the file should have {bytes.Length} bytes, but it has 100 (at byte offset 8).", error.Message);
    }

    [Fact]
    public void A_newer_format_version_asks_for_an_update()
    {
        string path = Path.Combine(_folder, "future.scnn");
        byte[] bytes = ModelBytes.Of(TestNetworks.Seed());
        bytes[4] = 4;
        File.WriteAllBytes(path, bytes);

        var error = Assert.Throws<InvalidDataException>(() => Network.Load(path));

        Assert.Equal($"Cannot load the model from {path}: it is format version 4, newer than this library reads (3); update ScratchNet (at byte offset 4).", error.Message);
    }

    [Fact]
    public void A_changed_byte_anywhere_is_caught_by_the_checksum()
    {
        byte[] bytes = ModelBytes.Of(TestNetworks.Seed());
        int weight = bytes.Length / 2;   // inside layer 0's W: still a finite weight after the change
        bytes[weight] ^= 0x01;

        var error = Assert.Throws<InvalidDataException>(() => ModelBytes.Load(bytes));

        Assert.Matches(@"^Cannot load the model from stream: the file is damaged: its CRC-32 is 0x[0-9A-F]{8}, but its contents give 0x[0-9A-F]{8} \(at byte offset " + (bytes.Length - 4) + @"\)\.$", error.Message);
    }

    [Fact]
    public void A_missing_end_marker_is_reported()
    {
        byte[] bytes = ModelBytes.Of(TestNetworks.Seed());
        bytes[^5] = (byte)'X';

        var error = Assert.Throws<InvalidDataException>(() => ModelBytes.Load(ModelBytes.Reseal(bytes)));

        Assert.Equal($"Cannot load the model from stream: the end marker \"END.\" is missing (at byte offset {bytes.Length - 8}).", error.Message);
    }

    [Fact]
    public void Bytes_after_the_model_are_refused()
    {
        byte[] bytes = [.. ModelBytes.Of(TestNetworks.Seed()), 0, 0, 0];

        var error = Assert.Throws<InvalidDataException>(() => ModelBytes.Load(bytes));

        Assert.Equal($"Cannot load the model from stream: 3 bytes follow the model: the header declares a body of {bytes.Length - 23} bytes, so the file should have {bytes.Length - 3} bytes, but it has {bytes.Length} (at byte offset 8).", error.Message);
    }

    [Fact]
    public void Bytes_after_the_end_marker_of_a_version_2_file_are_refused()
    {
        byte[] bytes = [.. File.ReadAllBytes(Fixture("every-layer-v2.scnn")), 1, 2];

        var error = Assert.Throws<InvalidDataException>(() => ModelBytes.Load(bytes));

        Assert.Equal($"Cannot load the model from stream: 2 bytes follow the end marker; a model file ends there (at byte offset {bytes.Length - 2}).", error.Message);
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    [InlineData(float.NegativeInfinity)]
    [InlineData(3.4e38f)]
    [InlineData(-2e12f)]
    public void A_weight_that_is_not_finite_or_absurdly_large_is_refused_with_the_layer_the_field_and_the_offset(float value)
    {
        var network = new Network(new Dense(3, 2), new Sigmoid());
        byte[] bytes = ModelBytes.Of(network);
        int w = ModelBytes.IndexOf(bytes, BitConverter.GetBytes(network.Layers[0].Parameters[0].Value[4]));
        BitConverter.GetBytes(value).CopyTo(bytes, w);

        var error = Assert.Throws<InvalidDataException>(() => ModelBytes.Load(ModelBytes.Reseal(bytes)));

        Assert.Equal($"Cannot load the model from stream: value 4 of W of layer 0 (Dense(3→2)) is {value}; it must be a finite number from -1E+12 to 1E+12 (at byte offset {w}).", error.Message);
    }

    [Fact]
    public void A_negative_running_variance_is_refused()
    {
        var network = new Network([4], new BatchNorm(4));
        ((BatchNorm)network.Layers[0]).RunningVariance[2] = 0.75f;
        byte[] bytes = ModelBytes.Of(network);
        int at = ModelBytes.IndexOf(bytes, BitConverter.GetBytes(0.75f));
        BitConverter.GetBytes(-0.75f).CopyTo(bytes, at);

        var error = Assert.Throws<InvalidDataException>(() => ModelBytes.Load(ModelBytes.Reseal(bytes)));

        Assert.Equal($"Cannot load the model from stream: value 2 of running variance of layer 0 (BatchNorm(4)) is -0.75; it must be a number from 0 to 1E+12 (at byte offset {at}).", error.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public void An_input_shape_with_a_size_below_1_is_refused(int size)
    {
        byte[] bytes = ModelBytes.Of(new Network(new Dense(3, 2)));
        BitConverter.GetBytes(size).CopyTo(bytes, ModelFormat.HeaderBytes + 4);   // after the rank

        var error = Assert.Throws<InvalidDataException>(() => ModelBytes.Load(ModelBytes.Reseal(bytes)));

        Assert.Equal($"Cannot load the model from stream: the input shape [{size}] has a size below 1 (at byte offset {ModelFormat.HeaderBytes}).", error.Message);
    }

    [Fact]
    public void Settings_that_disagree_with_the_weights_in_the_file_are_refused_before_the_layer_allocates()
    {
        // One changed Dense size would have the layer allocate 4 × 10⁹ floats; the file holds 12,560.
        byte[] bytes = ModelBytes.Of(TestNetworks.Seed());
        int at = ModelBytes.IndexOf(bytes, "Dense"u8) + "Dense".Length + 4;
        BitConverter.GetBytes(250_000_000.0).CopyTo(bytes, at);
        long before = GC.GetAllocatedBytesForCurrentThread();

        var error = Assert.Throws<InvalidDataException>(() => ModelBytes.Load(ModelBytes.Reseal(bytes)));

        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 4 * bytes.Length, "the load allocated more than 4 times the file's size");
        Assert.Equal($"Cannot load the model from stream: layer 0 (Dense) with settings [250000000, 16] holds 4000000016 values, but the file gives it 12560 (at byte offset {at - 4}).", error.Message);
    }

    [Fact]
    public void A_built_in_layer_given_too_few_settings_is_refused_before_its_value_count_reads_past_them()
    {
        // Found by ModelFuzzTests: the value count read setting 1 of a Dense given one setting and threw ArgumentOutOfRangeException.
        byte[] bytes = ModelBytes.Of(new Network(new Dense(3, 2)));
        int count = ModelBytes.IndexOf(bytes, "Dense"u8) + "Dense".Length;   // the settings count, then 3.0 and 2.0
        BitConverter.GetBytes(1).CopyTo(bytes, count);
        byte[] crafted = [.. bytes[..(count + 12)], .. bytes[(count + 20)..]];   // keeps 3.0, drops 2.0

        var error = Assert.Throws<InvalidDataException>(() => ModelBytes.Load(ModelBytes.Reseal(crafted)));

        Assert.Equal($"Cannot load the model from stream: layer 0 (Dense) does not accept the settings [3]: it takes 2 settings, not 1 (at byte offset {count}).", error.Message);
    }

    [Fact]
    public void A_tiny_file_declaring_huge_tensors_allocates_little()
    {
        // The 57-byte file of the report: a version-2 header that declares a 16,384 × 16,384 weight matrix.
        var bytes = new List<byte>();
        void Int(int v) => bytes.AddRange(BitConverter.GetBytes(v));
        bytes.AddRange("SCNN"u8.ToArray());
        Int(2);
        Int(1); Int(16_384);               // input shape [16384]
        Int(1);                            // one layer
        Int(5); bytes.AddRange("Dense"u8.ToArray());
        Int(2); Int(16_384); Int(16_384);  // Dense(16384 → 16384)
        Int(2);                            // two parameters
        Int(2); Int(16_384); Int(16_384);  // W's shape, then nothing
        long before = GC.GetAllocatedBytesForCurrentThread();

        var error = Assert.Throws<InvalidDataException>(() => ModelBytes.Load([.. bytes]));

        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1 << 20);
        Assert.Equal($"Cannot load the model from stream: the file is truncated: the values of parameter 0 of layer 0 (Dense), shape [16384, 16384], need 1073741824 bytes but only 0 remain (at byte offset {bytes.Count}).", error.Message);
    }

    [Fact]
    public void A_directory_is_an_io_error_that_names_it()
    {
        var error = Assert.Throws<IOException>(() => Network.Load(_folder));

        Assert.Equal($"Cannot load the model from {_folder}: it is a directory, not a file.", error.Message);
    }

    [Fact]
    public void A_missing_file_or_folder_is_an_io_error_that_names_it()
    {
        string missing = Path.Combine(_folder, "missing.scnn");
        string noFolder = Path.Combine(_folder, "no-such-folder", "model.scnn");

        var file = Assert.Throws<FileNotFoundException>(() => Network.Load(missing));
        var folder = Assert.Throws<DirectoryNotFoundException>(() => Network.Load(noFolder));

        Assert.Equal($"Cannot load the model from {missing}: the file does not exist.", file.Message);
        Assert.Equal($"Cannot load the model from {noFolder}: its folder does not exist.", folder.Message);
    }

    [Fact]
    public void A_proc_file_is_read_as_what_it_holds_and_refused_as_content()
    {
        // /proc files report a length of 0: the reader must read them to the end, not trust the length.
        var error = Assert.Throws<InvalidDataException>(() => Network.Load("/proc/self/status"));

        Assert.StartsWith("Cannot load the model from /proc/self/status: it is not a ScratchNet model: it starts with 0x4E616D65", error.Message);
    }

    [Fact]
    public void A_save_into_a_missing_folder_names_the_path_the_user_gave()
    {
        string path = Path.Combine(_folder, "no-such-folder", "model.scnn");

        var error = Assert.Throws<DirectoryNotFoundException>(() => TestNetworks.Seed().Save(path));

        Assert.Equal($"Cannot save to {path}: its folder does not exist.", error.Message);
    }

    [Fact]
    public void A_save_removes_the_temporary_files_that_killed_saves_left_behind()
    {
        string path = Path.Combine(_folder, "model.scnn");
        string leftover = path + ".0badf00d.tmp";
        File.WriteAllBytes(leftover, new byte[1000]);   // what a save killed half-way leaves
        string unrelated = Path.Combine(_folder, "model.scnn.notes.tmp");
        File.WriteAllText(unrelated, "not ours");

        TestNetworks.Seed().Save(path);

        Assert.Equal(["model.scnn", "model.scnn.notes.tmp"], Directory.GetFiles(_folder).Select(Path.GetFileName).Order());
    }

    [Fact]
    public void A_save_leaves_alone_the_temporary_file_of_a_save_in_progress()
    {
        string path = Path.Combine(_folder, "model.scnn");
        string inProgress = path + ".12345678.tmp";
        using (var writing = new FileStream(inProgress, FileMode.CreateNew, FileAccess.Write, FileShare.None))
        {
            TestNetworks.Seed().Save(path);

            Assert.True(File.Exists(inProgress));
        }

        TestNetworks.Seed().Save(path);
        Assert.False(File.Exists(inProgress));
    }

    [Fact]
    public void A_failing_clean_up_never_hides_the_error_that_stopped_the_save()
    {
        string path = Path.Combine(_folder, "model.scnn");
        byte[] contents = new byte[10_000];

        var error = Assert.Throws<IOException>(() => AtomicFile.Write(path, stream => stream.Write(contents), stream =>
        {
            // Make the temporary file impossible to delete: a non-empty directory takes its name.
            string temp = ((FileStream)stream).Name;
            File.Delete(temp);
            Directory.CreateDirectory(Path.Combine(temp, "blocker"));
            return new FailingStream(stream, failAfterBytes: 4096);
        }));

        Assert.Equal($"Cannot save to {path}: The disk went away after 4096 bytes (simulated).", error.Message);
        Assert.False(File.Exists(path));
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

    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", name);

    /// <summary>A custom layer nobody registers.</summary>
    private sealed class Unregistered : ElementwiseActivation
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
