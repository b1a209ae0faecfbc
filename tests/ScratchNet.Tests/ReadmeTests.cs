using System.Text.RegularExpressions;

namespace ScratchNet.Tests;

/// <summary>
/// Every C# block of README.md appears, word for word, in this file, and runs here: a README that
/// names a member that does not exist fails the build.
/// </summary>
[Collection(nameof(ReadmeTests))]
[CollectionDefinition(nameof(ReadmeTests), DisableParallelization = true)]
public sealed partial class ReadmeTests
{
    [Theory]
    [InlineData("README.md")]
    [InlineData("docs/api-guide.md")]
    public void Every_csharp_block_of_the_readme_and_the_api_guide_is_in_this_file(string document)
    {
        string readme = File.ReadAllText(Path.Combine(MnistLocator.RepositoryRoot!, document));
        string source = Normalize(File.ReadAllText(Path.Combine(MnistLocator.RepositoryRoot!, "tests", "ScratchNet.Tests", "ReadmeTests.cs")));

        string[] blocks = CSharpBlock().Matches(readme).Select(m => m.Groups[1].Value).ToArray();

        Assert.NotEmpty(blocks);
        Assert.All(blocks, block => Assert.True(source.Contains(Normalize(block), StringComparison.Ordinal), $"README block not found in ReadmeTests.cs:\n{block}"));
    }

    [Fact]
    public void The_quick_start_trains_the_seed_network_to_96_29_percent_and_the_pretrained_one_reads_a_7()
    {
        // The README's paths are relative to the repository; run them in a scratch folder whose data/mnist is the real one.
        string folder = Directory.CreateTempSubdirectory("scratchnet-readme-").FullName;
        string previous = Environment.CurrentDirectory;
        Directory.CreateDirectory(Path.Combine(folder, "data"));
        Directory.CreateSymbolicLink(Path.Combine(folder, "data", "mnist"), MnistLocator.DataDirectory);
        Environment.CurrentDirectory = folder;
        try
        {
            // --- README: Quick start ---
            MnistData mnist = Mnist.Load("data/mnist");

            var network = new Network(
                new Dense(784, 16), new Sigmoid(),
                new Dense(16, 16), new Sigmoid(),
                new Dense(16, 10), new Sigmoid());
            network.Initialize(seed: 1);

            var trainer = new Trainer(network, new QuadraticCost(), new Sgd(learningRate: 2f, weightDecay: 5e-5f));
            trainer.Fit(mnist.Training, new TrainingOptions
            {
                Epochs = 60,
                BatchSize = 10,
                Seed = 1,
                LearningRateSchedule = LearningRateSchedule.Cosine(2f, 0.01f),
                Validation = mnist.Test,
            }, new Progress<EpochReport>(report => Console.WriteLine(report)));

            Console.WriteLine(network.Evaluate(mnist.Test));   // accuracy 96.29% (9629/10000)
            network.Save("seed.scnn");

            // --- README: the pre-trained network ---
            Network seed = Pretrained.MnistSeed();
            float[] pixels = mnist.Test.Inputs.Sample(0).ToArray();   // 784 values in [0, 1], 0 = background
            int digit = seed.Classify(pixels);                         // 7
            float[] activations = seed.Predict(pixels);                // the ten output neurons

            Assert.Equal(0.9629, network.Evaluate(mnist.Test).Accuracy, 4);
            Assert.Equal(TestNetworks.WeightBits(network), TestNetworks.WeightBits(Network.Load("seed.scnn")));
            Assert.Equal(7, digit);
            Assert.Equal(7, Dataset.ArgMax(activations));
        }
        finally
        {
            Environment.CurrentDirectory = previous;
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Watching_training_stops_early_keeps_the_best_model_on_disk_and_evaluates_it()
    {
        string folder = Directory.CreateTempSubdirectory("scratchnet-readme-").FullName;
        string previous = Environment.CurrentDirectory;
        Environment.CurrentDirectory = folder;
        try
        {
            MnistData mnist = MnistLocator.Data;

            // --- README: Watching training ---
            var network = new Network(new Dense(784, 16), new Sigmoid(), new Dense(16, 16), new Sigmoid(), new Dense(16, 10), new Sigmoid());
            Console.WriteLine(network.Summary());                      // layers, output shapes, 12,560 + 272 + 170 = 13,002 parameters
            var trainer = new Trainer(network, new QuadraticCost(), new Sgd(learningRate: 1.5f));
            TrainingHistory history = trainer.Fit(mnist.Training.Slice(0, 5000), new TrainingOptions
            {
                Epochs = 30, ValidationSplit = 0.1,                    // 10% held out, chosen with TrainingOptions.Seed
                Callbacks = [new EarlyStopping(patience: 3), new ModelCheckpoint("best.scnn")],
            }, new Progress<EpochReport>(Console.WriteLine));
            Evaluation test = network.Evaluate(mnist.Test);            // the best epoch's weights, put back by EarlyStopping

            // --- README: what Evaluate returns, and a callback of your own ---
            Console.WriteLine(test.ConfusionMatrix);                   // rows = true digit, columns = predicted, recall and precision
            double recallOf9 = test.Recall(9), precisionOf9 = test.Precision(9);
            int firstWrong = test.Misclassified[0];                    // an index into mnist.Test; test.Predictions[firstWrong] is what the network said
            var stopAt97 = new LambdaCallback(onEpochEnd: (report, run) =>
            {
                if (report.Validation!.Accuracy >= 0.97) run.Stop("97% reached");
            });

            Assert.Contains("13,002", network.Summary());
            Assert.All(history, r => Assert.Equal(500, r.Validation!.Count));
            Assert.InRange(history.Count, 4, 30);
            Assert.Equal(history.StoppedEarly, history.Count < 30);
            // Both callbacks watch the validation cost, so the file holds the weights EarlyStopping put back.
            Assert.Equal(TestNetworks.WeightBits(network), TestNetworks.WeightBits(Network.Load("best.scnn")));
            Assert.True(test.Accuracy >= 0.88, test.ToString());
            Assert.Equal(test.ConfusionMatrix.Recall(9), recallOf9);
            Assert.Equal(test.ConfusionMatrix.Precision(9), precisionOf9);
            Assert.NotEqual(mnist.Test.Label(firstWrong), test.Predictions[firstWrong]);
            Assert.Equal(10_000 - test.Correct, test.Misclassified.Count);

            TrainingHistory stopped = new Trainer(TestNetworks.Seed(seed: 1), new QuadraticCost(), new Sgd(1.5f))
                .Fit(mnist.Training.Slice(0, 1000), new TrainingOptions { Epochs = 5, Validation = mnist.Training.Slice(0, 1000), Callbacks = [stopAt97] });
            Assert.Equal(5, stopped.Count); // 1,000 digits do not reach 97% in 5 epochs
        }
        finally
        {
            Environment.CurrentDirectory = previous;
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void The_draw_a_digit_example_reads_a_7_pasted_into_a_large_canvas_and_nothing_on_a_blank_one()
    {
        // A canvas as a drawing app gives it: the first MNIST test image (a 7) enlarged 4 times, off-centre.
        const int width = 400, height = 300;
        ReadOnlySpan<float> image = MnistLocator.Data.Test.Inputs.Sample(0);
        byte[] canvas = new byte[width * height];
        for (int y = 0; y < 112; y++)
        {
            for (int x = 0; x < 112; x++)
            {
                canvas[((150 + y) * width) + 250 + x] = (byte)MathF.Round(image[((y / 4) * 28) + (x / 4)] * 255);
            }
        }

        Network seed = Pretrained.MnistSeed();

        // --- README: Draw a digit ---
        float[]? inputs = DigitImage.FromCanvas(canvas, width, height);   // null when nothing is drawn
        int drawn = inputs is null ? -1 : seed.Classify(inputs);           // the digit

        Assert.Equal(7, drawn);
        Assert.Null(DigitImage.FromCanvas(new byte[width * height], width, height));
    }

    [Fact]
    public void The_custom_layer_example_passes_the_gradient_checker()
    {
        // --- README: Checking gradients ---
        var network = new Network(new Dense(4, 3), new Scale(3), new Sigmoid());
        network.Initialize(seed: 1);
        var inputs = new Tensor([0.1f, 0.9f, -0.4f, 0.3f, 0.7f, -0.2f, 0.5f, 0.8f], 2, 4);   // 2 samples, 4 features
        var targets = new Tensor([1f, 0f, 0f, 0f, 1f, 0f], 2, 3);

        GradientCheckReport report = GradientChecker.Check(network, new QuadraticCost(), inputs, targets);
        Console.WriteLine(report);          // the table below
        Console.WriteLine(report.Passed);   // True

        // A big layer: check 50 entries per tensor, chosen by the seed.
        var sampled = GradientChecker.Check(network, new QuadraticCost(), inputs, targets, new GradientCheckOptions { SampleSize = 50, Seed = 1 });

        Assert.True(report.Passed, report.ToString());
        Assert.True(sampled.Passed, sampled.ToString());
        Assert.Equal(["layer 0 Dense(4→3) W", "layer 0 Dense(4→3) b", "layer 1 Scale γ", "input x"], report.Tensors.Select(t => t.Location));
        Assert.Equal(report.ToString(), sampled.ToString());   // 50 per tensor is every entry of this small network
        Assert.True(report.LargestRelativeError < 1e-3, report.ToString());
    }

    [Fact]
    public void The_api_guide_resume_example_continues_bit_for_bit()
    {
        string folder = Directory.CreateTempSubdirectory("scratchnet-resume-guide-").FullName;
        string previous = Environment.CurrentDirectory;
        Environment.CurrentDirectory = folder;
        try
        {
            var random = new Random(3);
            Dataset training = Dataset.FromLabels(TestNetworks.Random(3, 0, 1, 64, 784), Enumerable.Range(0, 64).Select(_ => random.Next(10)).ToArray(), 10);
            Network Fresh()
            {
                var network = new Network(new Dense(784, 10));
                network.Initialize(2);
                return network;
            }

            var straight = new Trainer(Fresh(), new SoftmaxCrossEntropyCost(), new Adam(0.002f));
            straight.Fit(training, new TrainingOptions { Epochs = 20 });
            var interrupted = new Trainer(Fresh(), new SoftmaxCrossEntropyCost(), new Adam(0.002f));
            var stopAfterTwo = new LambdaCallback(onEpochEnd: (r, run) =>
            {
                if (r.Epoch == 2)
                {
                    run.Stop("the process was killed");
                }
            });

            // --- API guide: Resuming training ---
            // Write one after every epoch (or call trainer.SaveCheckpoint(path) yourself):
            var options = new TrainingOptions { Epochs = 20, Callbacks = [new ModelCheckpoint("run.scnn", saveBestOnly: false, resumable: true)] };
            interrupted.Fit(training, options with { Callbacks = [.. options.Callbacks, stopAfterTwo] });

            // Later, in a new process:
            TrainingCheckpoint checkpoint = TrainingCheckpoint.Load("run.scnn");
            var trainer = new Trainer(checkpoint.Network, new SoftmaxCrossEntropyCost(), new Adam(0.002f));
            trainer.Fit(training, options with { ResumeFrom = checkpoint });   // epochs checkpoint.Epoch + 1 … 20

            Assert.Equal(2, checkpoint.Epoch);
            Assert.Equal(TestNetworks.WeightBits(straight.Network), TestNetworks.WeightBits(trainer.Network));
        }
        finally
        {
            Environment.CurrentDirectory = previous;
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void The_custom_layer_saves_and_loads_once_registered()
    {
        var network = new Network(new Dense(4, 3), new Scale(3), new Sigmoid());
        network.Initialize(seed: 1);

        // --- README: Checking gradients, saving the custom layer ---
        LayerTypes.Register("Scale", settings => new Scale((int)settings[0]));   // once, before saving or loading
        network.Save("scale.scnn");
        Network again = Network.Load("scale.scnn");

        File.Delete("scale.scnn");
        Assert.Equal(network.Predict([0.1f, 0.9f, -0.4f, 0.3f]), again.Predict([0.1f, 0.9f, -0.4f, 0.3f]));
        Assert.Equal(((Scale)network.Layers[1]).Gamma.Value.Span.ToArray(), ((Scale)again.Layers[1]).Gamma.Value.Span.ToArray());
    }

    // --- README: Checking gradients, the custom layer ---
    /// <summary>A learnable scale per feature: aᵢ = γᵢ·zᵢ, so ∂C/∂γᵢ = Σₙ δᵢ·zᵢ and ∂C/∂zᵢ = δᵢ·γᵢ.</summary>
    public sealed class Scale(int features) : Layer
    {
        public Parameter Gamma { get; } = new("γ", new Tensor(features), new Tensor(features));

        public override IReadOnlyList<Parameter> Parameters => [Gamma];

        public override IReadOnlyList<double> Configuration => [features];   // saved with the model

        public override int[] OutputShape(ReadOnlySpan<int> inputShape) => [features];

        public override void Initialize(Random random)
        {
            for (int i = 0; i < features; i++)
            {
                Gamma.Value[i] = 0.5f + random.NextSingle();   // γ in [0.5, 1.5)
            }
        }

        protected override Tensor ForwardCore(Tensor input, bool training)
        {
            Tensor a = OutputBuffer(input.BatchSize);                        // reused from call to call
            for (int e = 0; e < input.Length; e++)
            {
                a[e] = Gamma.Value[e % features] * input[e];                  // aᵢ = γᵢ·zᵢ
            }

            return a;
        }

        protected override Tensor BackwardCore(Tensor outputGradient)
        {
            Tensor dz = InputGradientBuffer();
            Gamma.Gradient.Clear();                                          // overwrite, then sum over the batch
            for (int e = 0; e < outputGradient.Length; e++)
            {
                Gamma.Gradient[e % features] += outputGradient[e] * LastInput[e]; // ∂C/∂γᵢ = Σₙ δᵢ·zᵢ
                dz[e] = outputGradient[e] * Gamma.Value[e % features];           // ∂C/∂zᵢ = δᵢ·γᵢ
            }

            return dz;
        }
    }

    [Fact]
    public void The_onnx_examples_export_the_best_network_and_import_it_with_the_same_outputs()
    {
        string folder = Directory.CreateTempSubdirectory("scratchnet-readme-").FullName;
        string previous = Environment.CurrentDirectory;
        Environment.CurrentDirectory = folder;
        try
        {
            float[] digit = MnistLocator.Data.Test.Inputs.Sample(0).ToArray();

            // --- README: ONNX ---
            Network best = Pretrained.MnistBest();
            Onnx.Export(best, "mnist-best.onnx");                 // input [N, 28, 28, 1], as Predict takes it; 10 logits out
            Network imported = Onnx.Import("mnist-best.onnx");    // an ordinary Network: Predict, Evaluate, Fit, Save

            Network network = TestNetworks.Seed(seed: 2);

            // --- API guide: ONNX ---
            Onnx.Export(network, "model.onnx", new OnnxExportOptions { AppendSoftmax = true });   // probabilities out
            Network restored = Onnx.Import("model.onnx");                                        // built-in layers again

            Assert.Equal(best.Predict(digit), imported.Predict(digit));
            Assert.Equal([.. network.Layers.Select(l => l.Name), "Softmax"], restored.Layers.Select(l => l.Name));
            Assert.Equal(1f, restored.Predict(digit).Sum(), 5);
        }
        finally
        {
            Environment.CurrentDirectory = previous;
            Directory.Delete(folder, recursive: true);
        }
    }

    private static string Normalize(string code) => Regex.Replace(code, @"\s+", " ").Trim();

    [GeneratedRegex(@"```csharp\r?\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex CSharpBlock();
}
