// ScratchNet's timings for benchmarks/peers/run-all.sh: the same workloads as the peer scripts, each
// repeated and reported as the median, one "RESULT <workload> <seconds>" line each (the format the
// peer scripts print too). The seed's epochs run on MNIST's training digits (the products skip blank pixels, so
// the values matter); the rest on random 8-bit pixels of MNIST's shape, whose cost does not depend on the values.
// Usage: dotnet run -c Release --project benchmarks/ScratchNet.PeerTimings -- [--repeats N] [--convnet-batches N] [--quick] [--seed-only]
//        dotnet run -c Release --project benchmarks/ScratchNet.PeerTimings -- --machine   (the FMA peak on 1 thread and on all cores, 512-bit and 256-bit vectors, 6 runs each; then what sharing a buffer between two cores costs)
using System.Diagnostics;
using System.Globalization;
using ScratchNet;
using ScratchNet.Benchmarks;

int repeats = 5, convNetBatches = 200;
bool seedOnly = false;
for (int i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--repeats" when i + 1 < args.Length:
            repeats = int.Parse(args[++i], CultureInfo.InvariantCulture);
            break;
        case "--convnet-batches" when i + 1 < args.Length:
            convNetBatches = int.Parse(args[++i], CultureInfo.InvariantCulture);
            break;
        case "--seed-only":
            seedOnly = true;
            break;
        case "--quick":
            (repeats, convNetBatches) = (1, 10);
            break;
        case "--machine":
            for (int run = 1; run <= 6; run++)
            {
                int cores = Environment.ProcessorCount;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"MACHINE run {run}: FMA peak {FmaPeak.Measure(1, wide: true):F1} GFLOP/s on 1 thread and {FmaPeak.Measure(cores, wide: true):F1} on {cores} threads together with 512-bit vectors; {FmaPeak.Measure(1):F1} and {FmaPeak.Measure(cores):F1} with 256-bit ones"));
            }

            // Sharing a buffer between the cores (CoreToCore.cs): what decides whether a small product is worth splitting.
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"MACHINE cross-core: a flag's round trip {CoreToCore.RoundTrip():F2} µs"));
            foreach (int kilobytes in (int[])[50, 313])
            {
                var (otherReads, sameReads, rewriteShared, rewriteOwn) = CoreToCore.Buffer(kilobytes << 10);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"MACHINE cross-core, {kilobytes} KB just written by one core: the other core reads it in {otherReads:F1} µs (the same core {sameReads:F1}); written again after the other core read it: {rewriteShared:F1} µs (lines no other core holds: {rewriteOwn:F1})"));
            }

            return 0;
        default:
            Console.Error.WriteLine($"error: unknown argument {args[i]}");
            Console.Error.WriteLine("usage: ScratchNet.PeerTimings [--repeats N] [--convnet-batches N] [--quick] [--seed-only] | --machine");
            return 2;
    }
}

Console.WriteLine($"ScratchNet {typeof(Network).Assembly.GetName().Version}, .NET {Environment.Version}, {Environment.ProcessorCount} cores, median of {repeats} runs");
Dataset training = Workloads.RandomMnist(Workloads.TrainingSamples);
Dataset? digits = Workloads.MnistTraining();
Console.WriteLine(digits is null
    ? "INFO MNIST not found (set SCRATCHNET_MNIST): the seed's epochs run on random pixels, which skip no zero blocks"
    : "INFO the seed's epochs run on MNIST's 60,000 training digits");

// The seed network: whole shuffled epochs of 60,000 samples, as samples/SeedNetwork trains (without its validation pass).
foreach (int batchSize in (int[])[10, 100])
{
    Trainer seed = Workloads.SeedTrainer(Workloads.SeedNetwork());
    var options = new TrainingOptions { Epochs = 1, BatchSize = batchSize, Seed = 1 };
    // Three epochs first: .NET recompiles the hot loops with what it measured while they ran (tiered compilation)
    // during the first few epochs of a process, which take 370, 68 and 52 ms at batch 10 against ≈ 49 ms from
    // then on; a training run of 30 to 60 epochs spends nearly all of them in that steady state, the one reported.
    Report($"seed-epoch-b{batchSize}", Median(repeats, () => seed.Fit(digits ?? training, options), warmUps: 3));
}

if (seedOnly)
{
    return 0;
}

// The ConvNet: convNetBatches minibatches of 64, extrapolated to the 938 of an epoch.
{
    const int batchSize = 64;
    Trainer convNet = Workloads.ConvNetTrainer(Workloads.ConvNet());
    Dataset part = training.Slice(0, convNetBatches * batchSize);
    var options = new TrainingOptions { Epochs = 1, BatchSize = batchSize, Seed = 1 };
    convNet.Fit(training.Slice(0, 4 * batchSize), options); // warm up: buffers, JIT
    double perEpoch = (double)Workloads.TrainingSamples / part.Count;
    Report("convnet-epoch-b64", Median(repeats, () => convNet.Fit(part, options)) * perEpoch);
}

// Inference: the 10,000-image test set through the seed network in one batch, then single digits.
{
    Tensor testSet = training.Slice(0, Workloads.TestSamples).Inputs;
    Network seed = Workloads.SeedNetwork();
    Report("seed-testset", Median(Math.Max(repeats, 5), Repeat(20, () => seed.Forward(testSet))) / 20);

    float[] digit = testSet.Sample(0).ToArray();
    float[] output = new float[10];
    Network seedOne = Workloads.SeedNetwork();
    Report("seed-digit", Median(Math.Max(repeats, 5), Repeat(20_000, () => seedOne.Predict(digit, output))) / 20_000);
    Network convNetOne = Workloads.ConvNet();
    Report("convnet-digit", Median(Math.Max(repeats, 5), Repeat(500, () => convNetOne.Predict(digit, output))) / 500);
    Network best = Pretrained.MnistBest();   // the plain ConvNet with blocks 2 and 3 doubled: ScratchNet's row only
    Report("best-digit", Median(Math.Max(repeats, 5), Repeat(500, () => best.Predict(digit, output))) / 500);
}

return 0;

// Runs the work once to warm up, then `count` more times, and returns the median time in seconds.
static double Median(int count, Action work, int warmUps = 1)
{
    for (int i = 0; i < warmUps; i++)
    {
        work();
    }

    double[] seconds = new double[count];
    for (int i = 0; i < count; i++)
    {
        long start = Stopwatch.GetTimestamp();
        work();
        seconds[i] = Stopwatch.GetElapsedTime(start).TotalSeconds;
    }

    Array.Sort(seconds);
    return count % 2 == 1 ? seconds[count / 2] : (seconds[(count / 2) - 1] + seconds[count / 2]) / 2;
}

static Action Repeat(int times, Action work) => () =>
{
    for (int i = 0; i < times; i++)
    {
        work();
    }
};

static void Report(string workload, double seconds) =>
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"RESULT {workload} {seconds:G6}"));
