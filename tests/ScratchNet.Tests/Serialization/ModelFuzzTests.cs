using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using Xunit.Abstractions;

namespace ScratchNet.Tests.Serialization;

/// <summary>
/// A seeded mutation fuzzer over model files: a network with every layer type, a resumable checkpoint,
/// both shipped models and the version 1 and 2 fixtures. Each case changes bytes, cuts the file, writes
/// edge values into fields or appends bytes; for format 3 the changed file is also resealed (body length
/// and CRC-32 recomputed, as a crafted file would have them) so the checks behind the checksum are
/// reached too. Every case must load a network whose outputs are finite or throw
/// <see cref="InvalidDataException"/>, and no load may allocate more than 4 × the file's size + 1 MiB (the limit docs/model-format.md states).
/// </summary>
public sealed class ModelFuzzTests(ITestOutputHelper output)
{
    private static readonly int[] EdgeInts = [0, 1, -1, 2, 7, 8, 9, 64, 65, 255, 256, 257, 4096, 65_536, 1 << 24, 1 << 26, (1 << 26) + 1, 1 << 30, int.MaxValue, int.MinValue, -1000];

    private static readonly float[] EdgeFloats = [float.NaN, float.PositiveInfinity, float.NegativeInfinity, -1f, -0f, 0f, float.MaxValue, float.Epsilon, 1e30f, -1e-30f];

    [Fact]
    public void Every_mutated_model_file_loads_a_finite_network_or_is_refused_within_the_allocation_bound()
    {
        var table = new List<Row>();
        foreach ((string name, byte[] file, int cases, bool checkpoint) in Inputs())
        {
            var random = new Random(name.Length * 7919);
            bool version3 = BinaryPrimitives.ReadInt32LittleEndian(file.AsSpan(4)) == 3;
            foreach (string kind in Kinds(version3))
            {
                var row = new Row(name, kind, file.Length);
                for (int c = 0; c < cases; c++)
                {
                    (byte[] mutated, string what) = Mutate(file, kind, random);
                    Run(row, mutated, checkpoint, $"{name} {kind} case {c}: {what}");
                }

                table.Add(row);
                if (kind == "byte")
                {
                    Assert.True(!version3 || row.Loaded == 0, $"{name}: a single changed byte loaded despite the checksum");
                }
            }
        }

        var text = new StringBuilder("file                    kind             cases  loaded  refused  largest allocation\n");
        foreach (Row row in table)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"{row.File,-23} {row.Kind,-16} {row.Cases,5}  {row.Loaded,6}  {row.Refused,7}  {row.Largest,10:N0} B ({(double)row.Largest / row.FileBytes:F2} × file)");
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"total: {table.Sum(r => r.Cases)} cases, {table.Sum(r => r.Loaded)} loaded, {table.Sum(r => r.Refused)} refused");
        output.WriteLine(text.ToString());
        Assert.True(table.Sum(r => r.Cases) >= 7000);
        Assert.True(table.Where(r => r.Kind.EndsWith("+reseal", StringComparison.Ordinal)).Sum(r => r.Refused) > 0);
    }

    private static void Run(Row row, byte[] mutated, bool checkpoint, string description)
    {
        row.Cases++;
        long before = GC.GetAllocatedBytesForCurrentThread();
        Network network;
        try
        {
            network = checkpoint
                ? TrainingCheckpoint.Load(new MemoryStream(mutated, writable: false), "fuzz").Network
                : Network.Load(new MemoryStream(mutated, writable: false));
        }
        catch (InvalidDataException)
        {
            row.Refused++;
            return;
        }
        catch (Exception e)
        {
            Assert.Fail($"{description}: {e.GetType().Name}, not InvalidDataException: {e.Message}");
            return;
        }
        finally
        {
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            row.Largest = Math.Max(row.Largest, allocated);
            Assert.True(allocated <= (4L * mutated.Length) + (1 << 20), $"{description}: the load allocated {allocated:N0} bytes for a file of {mutated.Length:N0}");
        }

        row.Loaded++;
        int size = network.InputShape.Aggregate(1, (a, b) => a * b);
        float[] outputs = network.Predict(TestNetworks.Random(1, 0, 1, 1, size)).Span.ToArray();
        Assert.True(outputs.All(float.IsFinite), $"{description}: loaded, but gives non-finite outputs");
    }

    private static IEnumerable<string> Kinds(bool version3) =>
        version3
            ? ["byte", "byte+reseal", "bytes+reseal", "truncate", "truncate+reseal", "int+reseal", "float+reseal", "append"]
            : ["byte", "bytes", "truncate", "int", "float", "append"];

    private static (byte[] File, string What) Mutate(byte[] file, string kind, Random random)
    {
        byte[] bytes = (byte[])file.Clone();
        string what;
        switch (kind.Split('+')[0])
        {
            case "byte":
                {
                    int at = Offset(bytes, random);
                    byte value = (byte)random.Next(1, 256);
                    bytes[at] ^= value;
                    what = $"byte {at} ^= 0x{value:X2}";
                    break;
                }

            case "bytes":
                {
                    int count = random.Next(2, 9);
                    for (int i = 0; i < count; i++)
                    {
                        bytes[Offset(bytes, random)] = (byte)random.Next(256);
                    }

                    what = $"{count} random bytes";
                    break;
                }

            case "truncate":
                {
                    int length = random.Next(bytes.Length);
                    bytes = bytes[..length];
                    what = $"cut to {length} bytes";
                    break;
                }

            case "int":
                {
                    // Header and layer fields sit in the first few hundred bytes; any 4-byte position, aligned or not.
                    int at = random.Next(4, Math.Max(5, Math.Min(bytes.Length - 4, 600)));
                    int value = EdgeInts[random.Next(EdgeInts.Length)];
                    BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(at), value);
                    what = $"int32 {value} at {at}";
                    break;
                }

            case "float":
                {
                    int at = random.Next(4, bytes.Length - 4);
                    float value = EdgeFloats[random.Next(EdgeFloats.Length)];
                    if (random.Next(2) == 0)
                    {
                        at = Math.Max(4, at & ~3);
                    }

                    BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(at), value);
                    what = $"float32 {value} at {at}";
                    break;
                }

            default:
                {
                    byte[] extra = new byte[random.Next(1, 17)];
                    random.NextBytes(extra);
                    bytes = [.. bytes, .. extra];
                    what = $"{extra.Length} bytes appended";
                    break;
                }
        }

        if (kind.EndsWith("+reseal", StringComparison.Ordinal) && bytes.Length >= 20)
        {
            bytes = ModelBytes.Reseal(bytes);
        }

        return (bytes, what);
    }

    /// <summary>Mostly the first 600 bytes (the structure), sometimes anywhere (the weights).</summary>
    private static int Offset(byte[] bytes, Random random) =>
        random.Next(3) == 0 ? random.Next(bytes.Length) : random.Next(Math.Min(bytes.Length, 600));

    private static IEnumerable<(string Name, byte[] File, int Cases, bool Checkpoint)> Inputs()
    {
        yield return ("every-layer v3", ModelBytes.Of(EveryLayerNetwork.Create()), 400, false);
        yield return ("every-layer v2", File.ReadAllBytes(Fixture("every-layer-v2.scnn")), 250, false);
        yield return ("dense v1", File.ReadAllBytes(Fixture("dense-sigmoid-v1.scnn")), 100, false);
        yield return ("checkpoint v3", Checkpoint(), 150, true);
        yield return ("mnist-seed v3", ModelBytes.Of(Pretrained.MnistSeed()), 100, false);
        yield return ("mnist-seed v2", File.ReadAllBytes(Fixture("mnist-seed-v2.scnn")), 40, false);
        yield return ("mnist-best v3", ModelBytes.Of(Pretrained.MnistBest()), 10, false);
    }

    /// <summary>A resumable checkpoint of a small network with dropout, trained one epoch with Adam.</summary>
    private static byte[] Checkpoint()
    {
        var network = new Network(new Dense(20, 8), new ReLU(), new Dropout(0.2f), new Dense(8, 3));
        network.Initialize(1);
        var data = Dataset.FromLabels(TestNetworks.Random(2, 0, 1, 30, 20), Enumerable.Range(0, 30).Select(i => i % 3).ToArray(), 3);
        var trainer = new Trainer(network, new SoftmaxCrossEntropyCost(), new Adam(0.01f));
        trainer.Fit(data, new TrainingOptions { Epochs = 1, Seed = 2 });
        string path = Path.Combine(Path.GetTempPath(), $"fuzz-{Guid.NewGuid():N}.scnn");
        try
        {
            trainer.SaveCheckpoint(path);
            return File.ReadAllBytes(path);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", name);

    private sealed class Row(string file, string kind, int fileBytes)
    {
        public string File { get; } = file;

        public string Kind { get; } = kind;

        public int FileBytes { get; } = fileBytes;

        public int Cases { get; set; }

        public int Loaded { get; set; }

        public int Refused { get; set; }

        public long Largest { get; set; }
    }
}
