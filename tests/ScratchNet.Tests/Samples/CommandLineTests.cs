using ConvNet;
using ScratchNet.Samples;
using SeedNetwork;

namespace ScratchNet.Tests.Samples;

/// <summary>
/// The samples' command lines, path checks and exit codes (issue 13, "fail loudly, never silently"): every case
/// here is decided before any training, so none of these tests trains.
/// </summary>
public sealed class CommandLineTests : IDisposable
{
    private readonly string _folder = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), $"scratchnet-cli-{Guid.NewGuid():N}")).FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void A_missing_evaluate_file_is_named()
    {
        string missing = Path.Combine(_folder, "missing.scnn");

        Assert.Equal($"--evaluate: the file '{missing}' does not exist.", SeedOptions.Parse(["--evaluate", missing]).Validate());
        Assert.Equal($"--evaluate: the file '{missing}' does not exist.", ConvNetOptions.Parse(["--evaluate", missing]).Validate());
    }

    [Fact]
    public void A_folder_given_to_evaluate_is_refused()
    {
        Assert.Equal($"--evaluate: '{_folder}' is a folder, not a file.", SeedOptions.Parse(["--evaluate", _folder]).Validate());
    }

    [Fact]
    public void A_damaged_model_for_evaluate_is_one_error_line_and_the_usage_with_exit_code_2()
    {
        string damaged = Path.Combine(_folder, "damaged.scnn");
        File.WriteAllBytes(damaged, [0x4A, 0x55, 0x4E, 0x4B, 0x01, 0x02, 0x03]);   // "JUNK" and three bytes
        Assert.Null(SeedOptions.Parse(["--evaluate", damaged]).Validate());         // the file is there: loading it finds the damage

        (int exit, string output, string errors) = Run(["--evaluate", damaged], args =>
        {
            SeedOptions options = SeedOptions.Parse(args);
            SampleRun.Require(options.Validate());
            Network.Load(options.EvaluateFile!);
            return () => throw new InvalidOperationException("not reached");
        });

        Assert.Equal(SampleRun.BadCommandLine, exit);
        Assert.Equal(string.Empty, output);
        Assert.Equal(
            $"error: Cannot load the model from {damaged}: it is not a ScratchNet model: it starts with 0x4A554E4B, not \"SCNN\" (0x53434E4E) (at byte offset 0).\n{SeedOptions.Usage}\n",
            errors);
    }

    [Fact]
    public void A_damaged_checkpoint_for_resume_is_one_error_line()
    {
        string damaged = Path.Combine(_folder, "damaged.scnn");
        File.WriteAllBytes(damaged, [0x4A, 0x55, 0x4E, 0x4B, 0x01, 0x02, 0x03]);

        var e = Assert.Throws<InvalidDataException>(() => TrainingCheckpoint.Load(damaged));

        Assert.Equal($"Cannot load the model from {damaged}: it is not a ScratchNet model: it starts with 0x4A554E4B, not \"SCNN\" (0x53434E4E) (at byte offset 0).", e.Message);
    }

    [Fact]
    public void A_missing_resume_file_is_named()
    {
        string missing = Path.Combine(_folder, "run.scnn");

        Assert.Equal($"--resume: the file '{missing}' does not exist.", ConvNetOptions.Parse(["--resume", missing]).Validate());
    }

    [Fact]
    public void Save_into_a_missing_folder_is_refused_before_training()
    {
        string model = Path.Combine(_folder, "no-such-folder", "m.scnn");

        Assert.Equal(
            $"--save: cannot write '{model}': the folder '{Path.Combine(_folder, "no-such-folder")}' does not exist.",
            SeedOptions.Parse(["--save", model]).Validate());
        Assert.Equal(
            "--save: cannot write '/nonexistent/dir/m.scnn': the folder '/nonexistent/dir' does not exist.",
            ConvNetOptions.Parse(["--save", "/nonexistent/dir/m.scnn"]).Validate());
    }

    [Fact]
    public void Save_under_a_regular_file_is_refused()
    {
        string file = Path.Combine(_folder, "a-file");
        File.WriteAllText(file, "x");

        Assert.Equal($"--save: cannot write '{file}/m.scnn': '{file}' is a file, not a folder.", SeedOptions.Parse(["--save", Path.Combine(file, "m.scnn")]).Validate());
    }

    [Fact]
    public void Save_to_a_folder_is_refused()
    {
        Assert.Equal($"--save: '{_folder}' is a folder; give a file name.", SeedOptions.Parse(["--save", _folder]).Validate());
    }

    [Fact]
    public void Checkpoint_to_a_folder_is_refused()
    {
        Assert.Equal($"--checkpoint: '{_folder}' is a folder; give a file name.", ConvNetOptions.Parse(["--checkpoint", _folder]).Validate());
    }

    [Fact]
    public void Plots_under_a_regular_file_are_refused()
    {
        string file = Path.Combine(_folder, "somefile");
        File.WriteAllText(file, "x");
        string plots = Path.Combine(file, "plots");

        Assert.Equal($"--plots: cannot create the folder '{plots}': '{file}' is a file.", SeedOptions.Parse(["--plots", plots]).Validate());
        Assert.Equal($"--plots: cannot create the folder '{plots}': '{file}' is a file.", ConvNetOptions.Parse(["--plots", plots]).Validate());
    }

    [Fact]
    public void Plots_given_a_regular_file_are_refused()
    {
        string file = Path.Combine(_folder, "somefile");
        File.WriteAllText(file, "x");

        Assert.Equal($"--plots: '{file}' is a file, not a folder.", SeedOptions.Parse(["--plots", file]).Validate());
    }

    [Fact]
    public void Good_paths_pass_and_the_checks_leave_nothing_behind()
    {
        string plots = Path.Combine(_folder, "pictures", "run 1");
        string existing = Path.Combine(_folder, "old.scnn");
        File.WriteAllText(existing, "an older model");

        Assert.Null(SeedOptions.Parse(["--save", Path.Combine(_folder, "m.scnn"), "--plots", plots]).Validate());
        Assert.Null(ConvNetOptions.Parse(["--save", existing, "--checkpoint", Path.Combine(_folder, "run.scnn"), "--plots", _folder]).Validate());
        Assert.Null(ConvNetOptions.Parse(["--resume", existing, "--checkpoint", existing]).Validate());

        // No probe file left, no folder created ahead of training, and an existing file untouched.
        Assert.Equal([existing], Directory.GetFileSystemEntries(_folder));
        Assert.Equal("an older model", File.ReadAllText(existing));
    }

    [Fact]
    public void An_unknown_option_is_one_error_line_and_the_usage_with_exit_code_2()
    {
        Assert.Equal("unknown option '--bogus'.", Assert.Throws<ArgumentException>(() => ConvNetOptions.Parse(["--bogus"])).Message);

        (int exit, string output, string errors) = Run(["--epochs", "3", "--bogus", "1"], SeedPrepare);

        Assert.Equal(SampleRun.BadCommandLine, exit);
        Assert.Equal(string.Empty, output);
        Assert.Equal($"error: unknown option '--bogus'.\n{SeedOptions.Usage}\n", errors);
    }

    [Fact]
    public void A_path_problem_is_one_error_line_and_the_usage_with_exit_code_2()
    {
        (int exit, string output, string errors) = Run(["--save", "/nonexistent/dir/m.scnn"], SeedPrepare);

        Assert.Equal(SampleRun.BadCommandLine, exit);
        Assert.Equal(string.Empty, output);
        Assert.Equal($"error: --save: cannot write '/nonexistent/dir/m.scnn': the folder '/nonexistent/dir' does not exist.\n{SeedOptions.Usage}\n", errors);
    }

    [Fact]
    public void Evaluate_refuses_the_options_it_would_ignore()
    {
        Assert.Equal(
            "--save has no effect with --evaluate, which trains nothing; give one or the other.",
            Assert.Throws<ArgumentException>(() => SeedOptions.Parse(["--evaluate", "m.scnn", "--save", "n.scnn"])).Message);
        Assert.Equal(
            "--checkpoint has no effect with --evaluate, which trains nothing; give one or the other.",
            Assert.Throws<ArgumentException>(() => ConvNetOptions.Parse(["--checkpoint", "c.scnn", "--evaluate", "m.scnn"])).Message);
    }

    [Fact]
    public void Fast_is_a_switch_that_picks_the_time_to_accuracy_recipe_whose_numbers_options_still_change()
    {
        ConvNetOptions fast = ConvNetOptions.Parse(["--fast", "--seed", "2"]);
        Assert.True(fast.Fast);
        Assert.Equal((ConvNetOptions.FastEpochs, ConvNetOptions.FastBatchSize, ConvNetOptions.FastLearningRate, 2), (fast.Epochs, fast.BatchSize, fast.LearningRate, fast.Seed));
        Assert.Equal((3, 128, 8e-3f, 0, 0.0), (fast.Epochs, fast.BatchSize, fast.LearningRate, fast.Validation, fast.Average));

        ConvNetOptions changed = ConvNetOptions.Parse(["--epochs", "2", "--fast", "--batch-size", "64"]);
        Assert.Equal((true, 2, 64), (changed.Fast, changed.Epochs, changed.BatchSize));

        ConvNetOptions plain = ConvNetOptions.Parse([]);
        Assert.Equal((false, 30, 64, 2e-3f), (plain.Fast, plain.Epochs, plain.BatchSize, plain.LearningRate));
        Assert.Contains(" [--fast] ", ConvNetOptions.Usage, StringComparison.Ordinal);
        Assert.Equal(
            "--fast has no effect with --evaluate, which trains nothing; give one or the other.",
            Assert.Throws<ArgumentException>(() => ConvNetOptions.Parse(["--evaluate", "m.scnn", "--fast"])).Message);
    }

    [Fact]
    public void The_one_cycle_schedule_warms_up_from_a_tenth_of_the_peak_and_ends_at_a_hundredth()
    {
        var schedule = new OneCycleSchedule(peak: 0.01f, warmup: 0.25f);

        Assert.Equal(0.001f, schedule.LearningRate(0, 400), 6);
        Assert.Equal(0.0055f, schedule.LearningRate(50, 400), 6);    // halfway up the linear warm-up
        Assert.Equal(0.01f, schedule.LearningRate(100, 400), 6);     // the peak, at 25% of the steps
        Assert.Equal(0.0001f, schedule.LearningRate(399, 400), 6);   // the last step
        Assert.True(schedule.LearningRate(250, 400) < schedule.LearningRate(200, 400));
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    [InlineData("--epochs", "nonsense", "-h")]
    [InlineData("--bogus", "--help")]
    public void Help_prints_the_usage_and_every_option_and_exits_0(params string[] args)
    {
        (int exit, string output, string errors) = Run(args, SeedPrepare);

        Assert.Equal(SampleRun.Done, exit);
        Assert.Equal(SeedOptions.Help + "\n", output);
        Assert.Equal(string.Empty, errors);
    }

    [Fact]
    public void A_schedule_or_a_validation_split_that_cannot_be_used_is_refused_before_training()
    {
        Assert.Equal("--schedule takes cosine or linear, not 'step'.", Assert.Throws<ArgumentException>(() => SeedOptions.Parse(["--schedule", "step"])).Message);
        Assert.Equal("--validation takes a whole number of at least 0, not '-1'.", Assert.Throws<ArgumentException>(() => SeedOptions.Parse(["--validation", "-1"])).Message);
        Assert.Equal("--validation has no effect with --evaluate, which trains nothing; give one or the other.", Assert.Throws<ArgumentException>(() => SeedOptions.Parse(["--evaluate", "m.scnn", "--validation", "10"])).Message);
        SeedOptions defaults = SeedOptions.Parse([]);
        Assert.Equal((60, 2f, 0.01f, "cosine", 5e-5f, 0), (defaults.Epochs, defaults.LearningRate, defaults.FinalLearningRate, defaults.Schedule, defaults.WeightDecay, defaults.Validation));
    }

    [Fact]
    public void The_convnet_trains_on_every_digit_with_smoothed_labels_and_averages_its_weights_unless_told_otherwise()
    {
        ConvNetOptions defaults = ConvNetOptions.Parse([]);
        Assert.Equal((30, 0, 0.999, 0.1f, 0f), (defaults.Epochs, defaults.Validation, defaults.Average, defaults.LabelSmoothing, defaults.Elastic));
        Assert.Equal((0f, 0.0), (ConvNetOptions.Parse(["--fast"]).LabelSmoothing, ConvNetOptions.Parse(["--fast"]).Average));   // the time-to-accuracy recipe keeps plain targets
        Assert.Equal((5000, 0.0), (ConvNetOptions.Parse(["--validation", "5000", "--average", "0"]).Validation, ConvNetOptions.Parse(["--average", "0"]).Average));
        Assert.Equal("--average takes a decay from 0 (no average) to below 1, such as 0.999, not '1'.", Assert.Throws<ArgumentException>(() => ConvNetOptions.Parse(["--average", "1"])).Message);
        Assert.Equal("--average has no effect with --evaluate, which trains nothing; give one or the other.", Assert.Throws<ArgumentException>(() => ConvNetOptions.Parse(["--evaluate", "m.scnn", "--average", "0.9"])).Message);
    }

    [Fact]
    public void The_convnet_holds_out_digits_drawn_at_random_only_when_given_a_validation_seed_with_a_validation_count()
    {
        Assert.Equal((10000, (int?)2), (ConvNetOptions.Parse(["--validation", "10000", "--validation-seed", "2"]) is var o ? (o.Validation, o.ValidationSeed) : default));
        Assert.Null(ConvNetOptions.Parse(["--validation", "5000"]).ValidationSeed);
        Assert.Equal("--validation-seed draws the digits --validation holds out; give --validation N with it.", ConvNetOptions.Parse(["--validation-seed", "2"]).Validate());
        Assert.Equal("--validation-seed has no effect with --evaluate, which trains nothing; give one or the other.", Assert.Throws<ArgumentException>(() => ConvNetOptions.Parse(["--evaluate", "m.scnn", "--validation-seed", "2"])).Message);

        // Twenty digits whose first pixel is their index: which ones each split holds out can be read back.
        byte[] pixels = new byte[20 * 4];
        for (int n = 0; n < 20; n++)
        {
            pixels[n * 4] = (byte)n;
        }

        var digits = Dataset.FromPixels(pixels, [1, 2, 2], Enumerable.Range(0, 20).Select(n => n % 10).ToArray(), 10);
        var mnist = new MnistData(digits, digits.Slice(0, 1));
        int[] Firsts(Dataset set) => Enumerable.Range(0, set.Count).Select(n => (int)MathF.Round(set.Inputs.Sample(n)[0] * 255)).ToArray();   // pixels read as p / 255

        ValidationSplit last = ValidationSplit.Of(mnist, 5);
        Assert.Equal([15, 16, 17, 18, 19], Firsts(last.Report));
        Assert.Equal((15, "validation"), (last.Training.Count, last.ReportName));
        ValidationSplit drawn = ValidationSplit.Of(mnist, 5, drawSeed: 2);
        int[] heldOut = Firsts(drawn.Report);
        Assert.Equal((5, 15), (heldOut.Length, drawn.Training.Count));
        Assert.Equal(Enumerable.Range(0, 20), heldOut.Concat(Firsts(drawn.Training)).Order());   // every digit in exactly one part
        Assert.NotEqual([15, 16, 17, 18, 19], heldOut);
        Assert.Equal(heldOut, Firsts(ValidationSplit.Of(mnist, 5, drawSeed: 2).Report));            // the same seed, the same fold
        Assert.NotEqual(heldOut, Firsts(ValidationSplit.Of(mnist, 5, drawSeed: 3).Report));
    }

    [Fact]
    public void The_convnet_takes_label_smoothing_below_1_and_an_elastic_strength_of_0_or_more()
    {
        ConvNetOptions options = ConvNetOptions.Parse(["--label-smoothing", "0.1", "--elastic", "34"]);
        Assert.Equal((0.1f, 34f), (options.LabelSmoothing, options.Elastic));
        Assert.Equal("--label-smoothing takes an ε from 0 (none) to below 1, such as 0.1, not '1'.", Assert.Throws<ArgumentException>(() => ConvNetOptions.Parse(["--label-smoothing", "1"])).Message);
        Assert.Equal("--elastic has no effect with --evaluate, which trains nothing; give one or the other.", Assert.Throws<ArgumentException>(() => ConvNetOptions.Parse(["--evaluate", "m.scnn", "--elastic", "34"])).Message);
        Assert.Equal("--elastic takes a non-negative number, not '-1'.", Assert.Throws<ArgumentException>(() => ConvNetOptions.Parse(["--elastic", "-1"])).Message);
    }

    [Fact]
    public void The_convnet_doubles_blocks_2_and_3_unless_told_one_or_none()
    {
        Assert.Equal([2, 3], ConvNetOptions.Parse([]).DoubledBlocks);
        Assert.Equal([3], ConvNetOptions.Parse(["--double-block", "3"]).DoubledBlocks);
        Assert.Equal([2], ConvNetOptions.Parse(["--double-block", "2"]).DoubledBlocks);
        Assert.Equal([2, 3], ConvNetOptions.Parse(["--double-block", "2,3"]).DoubledBlocks);
        Assert.Equal([2, 3], ConvNetOptions.Parse(["--double-block", "3,2"]).DoubledBlocks);
        Assert.Empty(ConvNetOptions.Parse(["--double-block", "0"]).DoubledBlocks);
        Assert.Empty(ConvNetOptions.Parse(["--fast"]).DoubledBlocks);
        Assert.Equal("--double-block takes 2, 3 or 2,3 (the blocks to give a second convolution) or 0 (none), not '1'.", Assert.Throws<ArgumentException>(() => ConvNetOptions.Parse(["--double-block", "1"])).Message);
        Assert.Equal("--double-block takes 2, 3 or 2,3 (the blocks to give a second convolution) or 0 (none), not '2,2'.", Assert.Throws<ArgumentException>(() => ConvNetOptions.Parse(["--double-block", "2,2"])).Message);
        Assert.Equal("--double-block has no effect with --evaluate, which trains nothing; give one or the other.", Assert.Throws<ArgumentException>(() => ConvNetOptions.Parse(["--evaluate", "m.scnn", "--double-block", "3"])).Message);
    }

    [Fact]
    public void The_doubled_blocks_add_one_width_keeping_convolution_before_the_blocks_own()
    {
        // A doubled block adds conv + batch norm + ReLU; blocks 2 and 3 doubled is the shipped network, layer for layer.
        Network plain = ConvNetModel.Create(seed: 1);
        Assert.Equal(390_858, plain.ParameterCount);
        Network second = ConvNetModel.Create(seed: 1, doubledBlocks: 2);
        Network third = ConvNetModel.Create(seed: 1, doubledBlocks: 3);
        Network both = ConvNetModel.Create(seed: 1, doubledBlocks: [2, 3]);
        Assert.Equal(Pretrained.MnistBest().Summary(), both.Summary());
        Assert.Equal(427_914, third.ParameterCount);
        Assert.Equal(437_226, both.ParameterCount);
        Assert.Equal(390_858 + (9 * 32 * 32) + 32 + (2 * 32), second.ParameterCount);
        Assert.Equal(390_858 + (9 * 64 * 64) + 64 + (2 * 64), third.ParameterCount);
        Assert.Equal((32, 32), (((Conv2D)second.Layers[4]).InputChannels, ((Conv2D)second.Layers[4]).Filters));   // after block 1's pooling: 14×14
        Assert.Equal((64, 64), (((Conv2D)third.Layers[8]).InputChannels, ((Conv2D)third.Layers[8]).Filters));     // after block 2's pooling: 7×7
        Assert.IsType<MaxPool2D>(second.Layers[3]);
        Assert.IsType<MaxPool2D>(third.Layers[7]);
        Assert.Equal(plain.Layers.Count + 3, third.Layers.Count);
        Assert.Equal(390_858 + (9 * 32 * 32) + 32 + (2 * 32) + (9 * 64 * 64) + 64 + (2 * 64), both.ParameterCount);
        Assert.Equal((32, 32, 64, 64), (((Conv2D)both.Layers[4]).InputChannels, ((Conv2D)both.Layers[4]).Filters, ((Conv2D)both.Layers[11]).InputChannels, ((Conv2D)both.Layers[11]).Filters));
    }

    [Fact]
    public void The_help_has_one_line_per_option()
    {
        Assert.Equal(
            """
            usage: SeedNetwork [--data DIR] [--epochs N] [--batch-size B] [--learning-rate X] [--final-learning-rate X]
                               [--schedule S] [--weight-decay L] [--validation N] [--seed S] [--save FILE]
                               [--evaluate FILE] [--plots DIR] [--help]

            Trains the seed network (784-16-16-10 sigmoid, quadratic cost, plain SGD) on MNIST, or evaluates a saved model.

            options:
              --data DIR                the MNIST files (default: $SCRATCHNET_MNIST, else data/mnist here or above)
              --epochs N                epochs of training (60)
              --batch-size B            samples per minibatch (10)
              --learning-rate X         the first epoch's learning rate η (2)
              --final-learning-rate X   the last epoch's η (0.01)
              --schedule S              how η falls between them: cosine or linear (cosine)
              --weight-decay L          L2 weight decay λ (0.00005; 0 for none)
              --validation N            hold out the last N training digits and report on them, not on the test set (0: none)
              --seed S                  seed of the initial weights and the shuffling (1)
              --save FILE               save the trained model to FILE
              --evaluate FILE           evaluate the model in FILE on the test set instead of training
              --plots DIR               folder for the pictures (default: the folder of --save, else the current folder)
              -h, --help                print this help and exit

            Every path is checked before training starts. A mistake prints one line 'error: …' and the usage.
            exit codes: 0 done; 1 training ran but writing its results failed; 2 a bad option, path or input file (nothing trained)
            """,
            SeedOptions.Help);
        foreach (SampleOption option in ConvNetOptions.Options)
        {
            Assert.Contains($"\n  {option.Flag} {option.Value}".PadRight(29) + option.Description + "\n", ConvNetOptions.Help, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_save_that_fails_after_training_is_one_error_line_with_exit_code_1()
    {
        string folder = Path.Combine(_folder, "run");
        string model = Path.Combine(folder, "m.scnn");
        Directory.CreateDirectory(folder);
        Assert.Null(SeedOptions.Parse(["--save", model]).Validate());
        var network = new Network(new Dense(2, 1));
        network.Initialize(1);

        (int exit, string output, string errors) = Run(["--save", model], args =>
        {
            SeedOptions options = SeedOptions.Parse(args);
            SampleRun.Require(options.Validate());
            return () =>
            {
                Directory.Delete(folder);   // removed while training ran
                network.Save(options.SaveFile!);
                return SampleRun.Done;
            };
        });

        Assert.Equal(SampleRun.WritingFailed, exit);
        Assert.Equal(string.Empty, output);
        Assert.Equal($"error: Cannot save to {model}: its folder does not exist.\n", errors);
    }

    [Fact]
    public void Training_that_diverges_is_one_error_line_with_exit_code_1()
    {
        var data = Dataset.FromLabels(TestNetworks.Random(1, 0, 1, 200, 784), Enumerable.Range(0, 200).Select(i => i % 10).ToArray(), 10);

        (int exit, string output, string errors) = Run([], args => () =>
        {
            new Trainer(TestNetworks.Seed(seed: 1), new QuadraticCost(), new Sgd(1000f)).Fit(data, new TrainingOptions { Epochs = 2 });
            return SampleRun.Done;
        });

        Assert.Equal(SampleRun.WritingFailed, exit);
        Assert.Equal(string.Empty, output);
        Assert.StartsWith("error: Training diverged in epoch 1: every gradient has been exactly 0", errors);
        Assert.Single(errors.TrimEnd('\n').Split('\n'));
    }

    private static Func<int> SeedPrepare(string[] args)
    {
        SampleRun.Require(SeedOptions.Parse(args).Validate());
        return () => throw new InvalidOperationException("training is not part of these tests");
    }

    private static (int Exit, string Output, string Errors) Run(string[] args, Func<string[], Func<int>> prepare)
    {
        using var output = new StringWriter();
        using var errors = new StringWriter();
        int exit = SampleRun.Run(args, SeedOptions.Usage, SeedOptions.Help, prepare, output, errors);
        return (exit, output.ToString().ReplaceLineEndings("\n"), errors.ToString().ReplaceLineEndings("\n"));
    }
}
