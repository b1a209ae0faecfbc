using System.Buffers.Binary;
using System.Globalization;
using ScratchNet.Serialization;
using Xunit.Abstractions;

namespace ScratchNet.Tests.Serialization;

/// <summary>
/// A seeded mutation fuzzer for the model reader (docs/model-format.md, "What a reader checks"): model
/// files and a resumable checkpoint are damaged byte by byte, cut, given edge values in their fields and
/// extended, and every version-3 mutant is also resealed (body length and CRC-32 recomputed, as a crafted
/// file would be) so that the checks behind the checksum are reached. Every case must load a network
/// whose outputs are finite or throw <see cref="InvalidDataException"/>, within the allocation bound.
/// </summary>
public sealed class ModelFuzzTests(ITestOutputHelper output) : IDisposable
{
    /// <summary>What a load may allocate: this many times the file's size, plus <see cref="AllocationSlack"/>.</summary>
    private const long AllocationFactor = 4;

    private const long AllocationSlack = 1 << 20;

    private static readonly int[] EdgeInts =
    [
        0, 1, -1, 2, 255, 256, int.MaxValue, int.MinValue, 1 << 16, 1 << 24, 1 << 26, 1 << 28, 0x3FFFFFFF, 0x40000000,
        BitConverter.SingleToInt32Bits(float.NaN), BitConverter.SingleToInt32Bits(float.PositiveInfinity), BitConverter.SingleToInt32Bits(float.NegativeInfinity),
        BitConverter.SingleToInt32Bits(float.MaxValue), BitConverter.SingleToInt32Bits(-2e12f), BitConverter.SingleToInt32Bits(-1f),
    ];

    private static readonly long[] EdgeLongs = [0, 1, -1, int.MaxValue, (long)int.MaxValue + 1, long.MaxValue, long.MinValue, 1L << 40];

    private static readonly double[] EdgeDoubles =
    [
        0, -0.0, 1, -1, 0.5, double.NaN, double.PositiveInfinity, double.NegativeInfinity, double.MaxValue, double.Epsilon,
        int.MaxValue, (double)int.MaxValue + 1, int.MinValue, 1e15, 2.5,
    ];

    private readonly string _folder = Directory.CreateTempSubdirectory("scratchnet-fuzz-").FullName;

    /// <summary>Every case's allocation and file size, for the bound reported at the end.</summary>
    private readonly List<(long Allocated, int FileBytes)> _allocations = [];

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Every_damaged_or_crafted_file_loads_a_network_with_finite_outputs_or_is_refused_as_invalid_data()
    {
        var rows = new List<Row>();
        var failures = new List<string>();
        foreach (Input input in Inputs())
        {
            foreach ((string kind, bool sealedAgain, IEnumerable<Mutant> mutants) in Mutations(input))
            {
                var row = new Row(input.Name, kind, sealedAgain, input.Bytes.Length) { Version = Version(input.Bytes) };
                foreach (Mutant mutant in mutants)
                {
                    Run(input, row, mutant, failures);
                }

                rows.Add(row);
            }
        }

        Report(rows);

        Assert.True(failures.Count == 0, $"{failures.Count} cases failed:\n" + string.Join("\n", failures.Take(30)));
        Assert.InRange(rows.Sum(r => r.Cases), 3_000, 40_000);

        // Without a reseal, the checksum (or, in the header, the frame) refuses every changed byte of a version-3 file.
        Row[] singleBytes = [.. rows.Where(r => r.Kind == "1 byte" && !r.Resealed && r.Version == 3)];
        Assert.NotEmpty(singleBytes);
        Assert.All(singleBytes, r => Assert.Equal((r.Cases, 0), (r.Refused, r.Loaded)));

        // Resealed files reach the checks behind the checksum: some load, many are refused, none by the CRC.
        Row[] resealed = [.. rows.Where(r => r.Resealed)];
        Assert.True(resealed.Sum(r => r.Loaded) > 0, "no resealed mutant loaded");
        Assert.True(resealed.Sum(r => r.Refused) > resealed.Sum(r => r.Loaded), "fewer resealed mutants were refused than loaded");
        Assert.Equal(0, resealed.Sum(r => r.RefusedByChecksum));
    }

    /// <summary>Loads one mutant and checks what happened; the allocation is measured around the load alone.</summary>
    private void Run(Input input, Row row, Mutant mutant, List<string> failures)
    {
        string where = $"{input.Name}, {row.Kind}{(row.Resealed ? " + reseal" : "")}, {mutant.Description}";
        string path = Path.Combine(_folder, "case.scnn");
        if (input.IsCheckpoint)
        {
            File.WriteAllBytes(path, mutant.Bytes);
        }

        var stream = new MemoryStream(mutant.Bytes, writable: false);
        Network network;
        TrainingCheckpoint? checkpoint = null;
        long allocated;
        long before = GC.GetAllocatedBytesForCurrentThread();
        try
        {
            if (input.IsCheckpoint)
            {
                checkpoint = TrainingCheckpoint.Load(path);
                network = checkpoint.Network;
            }
            else
            {
                network = Network.Load(stream);
            }

            allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        }
        catch (InvalidDataException e)
        {
            allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            row.Refuse(e.Message.Contains("its CRC-32 is", StringComparison.Ordinal));
            CheckAllocation(row, mutant, allocated, where, failures);
            return;
        }
        catch (Exception e)
        {
            failures.Add($"{where}: {e.GetType().Name}: {e.Message}\n{e.StackTrace?.Split('\n').FirstOrDefault()?.Trim()}");
            row.Refuse(byChecksum: false);
            return;
        }

        row.Load();
        CheckAllocation(row, mutant, allocated, where, failures);
        try
        {
            float[] outputs = network.Predict(FixedInput(network)).Span.ToArray();
            int bad = Array.FindIndex(outputs, v => !float.IsFinite(v));
            if (bad >= 0)
            {
                failures.Add($"{where}: loaded, but output {bad} of {outputs.Length} is {outputs[bad]}");
            }

            // A resumed run reads the optimizer's part of the section too.
            checkpoint?.State.RestoreOptimizer(new Adam(0.01f), network.Parameters);
        }
        catch (InvalidDataException) when (checkpoint is not null)
        {
        }
        catch (ArgumentException e) when (checkpoint is not null && e.Message.Contains("optimizer; resume it with one", StringComparison.Ordinal))
        {
        }
        catch (Exception e)
        {
            failures.Add($"{where}: loaded, then {e.GetType().Name}: {e.Message}\n{e.StackTrace?.Split('\n').FirstOrDefault()?.Trim()}");
        }
    }

    private void CheckAllocation(Row row, Mutant mutant, long allocated, string where, List<string> failures)
    {
        row.Allocated(allocated, mutant.Bytes.Length);
        _allocations.Add((allocated, mutant.Bytes.Length));
        if (allocated > (AllocationFactor * mutant.Bytes.Length) + AllocationSlack)
        {
            failures.Add($"{where}: the load allocated {allocated} bytes for a file of {mutant.Bytes.Length}");
        }
    }

    /// <summary>One sample of the network's input shape, values in [0, 1), the same for every case.</summary>
    private static Tensor FixedInput(Network network) => TestNetworks.Random(17, 0, 1, [1, .. network.InputShape]);

    private IEnumerable<Input> Inputs()
    {
        yield return new Input("every layer v3", ModelBytes.Of(EveryLayerNetwork.Create()), IsCheckpoint: false, Budget.Small);
        yield return new Input("checkpoint v3", Checkpoint(), IsCheckpoint: true, Budget.Small);
        yield return new Input("every layer v2", File.ReadAllBytes(Fixture("every-layer-v2.scnn")), IsCheckpoint: false, Budget.Small);
        yield return new Input("dense v1", File.ReadAllBytes(Fixture("dense-sigmoid-v1.scnn")), IsCheckpoint: false, Budget.Small);
        byte[] seed = Shipped("mnist-seed.scnn");
        yield return new Input($"mnist-seed v{Version(seed)}", seed, IsCheckpoint: false, Budget.Medium);
        if (Version(seed) < ModelFormat.Version)
        {
            // Until the shipped files are re-saved, a trained network of real size is resealed through this copy.
            yield return new Input("mnist-seed re-saved v3", ModelBytes.Of(Network.Load(new MemoryStream(seed))), IsCheckpoint: false, Budget.Medium);
        }

        byte[] best = Shipped("mnist-best.scnn");
        yield return new Input($"mnist-best v{Version(best)}", best, IsCheckpoint: false, Budget.Large);
    }

    /// <summary>A resumable checkpoint of a small network with dropout and batch norm after one epoch of Adam.</summary>
    private byte[] Checkpoint()
    {
        var network = new Network([6], new Dense(6, 5), new BatchNorm(5), new Relu(), new Dropout(0.2f), new Dense(5, 3), new Softmax());
        network.Initialize(2);
        var random = new Random(4);
        Dataset data = Dataset.FromLabels(TestNetworks.Random(3, 0, 1, 20, 6), Enumerable.Range(0, 20).Select(_ => random.Next(3)).ToArray(), 3);
        var trainer = new Trainer(network, new QuadraticCost(), new Adam(0.01f));
        trainer.Fit(data, new TrainingOptions { Epochs = 1, BatchSize = 5, Seed = 1 });
        string path = Path.Combine(_folder, "checkpoint.scnn");
        trainer.SaveCheckpoint(path);
        return File.ReadAllBytes(path);
    }

    private static byte[] Shipped(string file)
    {
        using Stream stream = typeof(Pretrained).Assembly.GetManifestResourceStream("ScratchNet.Pretrained." + file)
            ?? throw new InvalidOperationException($"The shipped model {file} is not embedded.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", name);

    private static int Version(byte[] file) => BinaryPrimitives.ReadInt32LittleEndian(file.AsSpan(4));

    /// <summary>Every kind of mutation for one input; each kind once as damaged and, for version 3, once resealed.</summary>
    private static IEnumerable<(string Kind, bool Resealed, IEnumerable<Mutant> Mutants)> Mutations(Input input)
    {
        byte[] file = input.Bytes;
        Field[] fields = Fields(file);
        Budget budget = input.Budget;
        bool v3 = Version(file) >= 3;
        foreach (bool reseal in v3 ? new[] { false, true } : [false])
        {
            IEnumerable<Mutant> Sealed(IEnumerable<Mutant> mutants) => reseal ? mutants.Select(m => m with { Bytes = ModelBytes.Reseal(m.Bytes) }) : mutants;

            yield return ("1 byte", reseal, Sealed(SingleBytes(file, reseal ? budget.ResealedSingleBytes : budget.SingleBytes)));
            yield return ("2-16 bytes", reseal, Sealed(MultiBytes(file, budget.MultiBytes)));
            yield return ("truncation", reseal, Truncations(file, fields, budget.Truncations, reseal));
            yield return ("edge in a field", reseal, Sealed(FieldEdges(file, fields, budget.Fields, budget.FieldValues)));
            yield return ("edge int32 scan", reseal, Sealed(ScanEdges(file, budget.ScanBytes, budget.ScanValues)));
            yield return ("appended", reseal, Appended(file, budget.Appends, reseal));
        }
    }

    /// <summary>One byte changed to another value: at every offset if the budget allows, else at seeded random ones.</summary>
    private static IEnumerable<Mutant> SingleBytes(byte[] file, int cases)
    {
        bool everyOffset = cases >= file.Length;
        for (int c = 0; c < Math.Min(cases, file.Length); c++)
        {
            var random = new Random(c);
            int offset = everyOffset ? c : random.Next(file.Length);
            byte[] bytes = (byte[])file.Clone();
            bytes[offset] ^= (byte)random.Next(1, 256);
            yield return new Mutant($"seed {c}, offset {offset}, 0x{file[offset]:X2} → 0x{bytes[offset]:X2}", bytes);
        }
    }

    /// <summary>2 to 16 bytes changed, scattered or in one run.</summary>
    private static IEnumerable<Mutant> MultiBytes(byte[] file, int cases)
    {
        for (int c = 0; c < cases; c++)
        {
            var random = new Random(1_000 + c);
            int count = random.Next(2, 17);
            bool run = random.Next(2) == 0;
            int start = random.Next(file.Length);
            byte[] bytes = (byte[])file.Clone();
            for (int i = 0; i < count; i++)
            {
                int offset = run ? Math.Min(start + i, file.Length - 1) : random.Next(file.Length);
                bytes[offset] = (byte)random.Next(256);
            }

            yield return new Mutant($"seed {1_000 + c}, {count} bytes {(run ? $"from offset {start}" : $"scattered, first at {start}")}", bytes);
        }
    }

    /// <summary>
    /// The file cut at every field boundary and at seeded random lengths (at every length for a small file).
    /// Resealed, the body is cut and a new frame put around it, so that the reader meets the cut inside the body.
    /// </summary>
    private static IEnumerable<Mutant> Truncations(byte[] file, Field[] fields, int randomCases, bool reseal)
    {
        var lengths = new SortedSet<int>(fields.SelectMany(f => new[] { f.Offset, f.Offset + 1 }).Where(l => l < file.Length));
        var random = new Random(2_000);
        for (int c = 0; c < randomCases; c++)
        {
            lengths.Add(random.Next(file.Length));
        }

        foreach (int length in lengths)
        {
            if (!reseal)
            {
                yield return new Mutant($"seed 2000, length {length}", file[..length]);
            }
            else if (length >= ModelFormat.HeaderBytes)
            {
                yield return new Mutant($"seed 2000, body cut at offset {length}", ModelBytes.Reseal([.. file.AsSpan(0, length), 0, 0, 0, 0]));
            }
        }
    }

    /// <summary>Fields found by <see cref="Fields"/> (the first ones, then seeded others) given a seeded few edge values of their type; a tensor's first value gets NaN, ±∞, −1 or 0.</summary>
    private static IEnumerable<Mutant> FieldEdges(byte[] file, Field[] fields, int maxFields, int valuesPerField)
    {
        Field[] numbers = [.. fields.Where(f => f.Kind != FieldKind.Bytes)];
        var pick = new Random(5_000);
        foreach (Field field in numbers.Take(maxFields / 2).Concat(numbers.Skip(maxFields / 2).OrderBy(_ => pick.Next()).Take(maxFields - (maxFields / 2))))
        {
            var random = new Random(5_000 + field.Offset);
            IEnumerable<byte[]> values = field.Kind switch
            {
                FieldKind.Int32 => EdgeInts.Select(v => BitConverter.GetBytes(v)),
                FieldKind.Int64 => EdgeLongs.Select(v => BitConverter.GetBytes(v)),
                FieldKind.Float64 => EdgeDoubles.Select(v => BitConverter.GetBytes(v)),
                _ => new[] { float.NaN, float.PositiveInfinity, float.NegativeInfinity, -1f, 0f }.Select(v => BitConverter.GetBytes(v)),
            };
            foreach (byte[] value in values.OrderBy(_ => random.Next()).Take(valuesPerField))
            {
                byte[] bytes = (byte[])file.Clone();
                value.CopyTo(bytes, field.Offset);
                yield return new Mutant($"seed {5_000 + field.Offset}, {field.Name} at offset {field.Offset} = 0x{Convert.ToHexString(value)} (bytes in file order)", bytes);
            }
        }
    }

    /// <summary>Edge int32 values written at every offset of the first bytes, a seeded few of them at each.</summary>
    private static IEnumerable<Mutant> ScanEdges(byte[] file, int scanBytes, int valuesPerOffset)
    {
        for (int offset = 0; offset <= Math.Min(scanBytes, file.Length) - 4; offset++)
        {
            var random = new Random(3_000 + offset);
            foreach (int value in EdgeInts.OrderBy(_ => random.Next()).Take(valuesPerOffset))
            {
                byte[] bytes = (byte[])file.Clone();
                BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(offset), value);
                yield return new Mutant($"seed {3_000 + offset}, offset {offset} = {value}", bytes);
            }
        }
    }

    /// <summary>Bytes after the file (resealed: after the end marker, inside the frame): random ones, zeros, another end marker, a copy of the file.</summary>
    private static IEnumerable<Mutant> Appended(byte[] file, int cases, bool reseal)
    {
        var tails = new List<(string, byte[])> { ("\"END.\"", "END."u8.ToArray()), ("4 zeros", new byte[4]), ("the file again", file) };
        for (int c = 0; c < cases; c++)
        {
            var random = new Random(4_000 + c);
            byte[] tail = new byte[random.Next(1, 65)];
            random.NextBytes(tail);
            tails.Add(($"seed {4_000 + c}, {tail.Length} random bytes", tail));
        }

        foreach ((string what, byte[] tail) in tails)
        {
            yield return reseal
                ? new Mutant(what, ModelBytes.Reseal([.. file.AsSpan(0, file.Length - 4), .. tail, 0, 0, 0, 0]))
                : new Mutant(what, [.. file, .. tail]);
        }
    }

    /// <summary>
    /// The fields of an intact model file of any version, in order, found by walking its layout
    /// (docs/model-format.md); a checkpoint's training section adds its fixed fields.
    /// </summary>
    private static Field[] Fields(byte[] file)
    {
        var fields = new List<Field>();
        int at = 0;
        void Add(int size, FieldKind kind, string name)
        {
            fields.Add(new Field(at, size, kind, name));
            at += size;
        }

        int Int(string name)
        {
            int value = BinaryPrimitives.ReadInt32LittleEndian(file.AsSpan(at));
            Add(4, FieldKind.Int32, name);
            return value;
        }

        Add(4, FieldKind.Bytes, "magic");
        int version = Int("version");
        if (version >= 3)
        {
            Add(8, FieldKind.Int64, "body length");
        }

        int rank = Int("input rank");
        for (int d = 0; d < rank; d++)
        {
            Int($"input dimension {d}");
        }

        int layers = Int("layer count");
        for (int l = 0; l < layers; l++)
        {
            Add(Int($"layer {l} type length"), FieldKind.Bytes, $"layer {l} type");
            int settings = Int($"layer {l} settings count");
            for (int s = 0; s < settings; s++)
            {
                if (version >= 3)
                {
                    Add(8, FieldKind.Float64, $"layer {l} setting {s}");
                }
                else
                {
                    Int($"layer {l} setting {s}");
                }
            }

            foreach (string kind in version >= 2 ? new[] { "parameter", "state" } : ["parameter"])
            {
                int tensors = Int($"layer {l} {kind} count");
                for (int t = 0; t < tensors; t++)
                {
                    if (version >= 3)
                    {
                        Add(Int($"layer {l} {kind} {t} name length"), FieldKind.Bytes, $"layer {l} {kind} {t} name");
                    }

                    int values = 1;
                    int dimensions = Int($"layer {l} {kind} {t} rank");
                    for (int d = 0; d < dimensions; d++)
                    {
                        values *= Int($"layer {l} {kind} {t} dimension {d}");
                    }

                    Add(4, FieldKind.Float32, $"layer {l} {kind} {t} value 0");
                    Add(4 * (values - 1), FieldKind.Bytes, $"layer {l} {kind} {t} other values");
                }
            }
        }

        if (version >= 3)
        {
            int sections = Int("section count");
            for (int s = 0; s < sections; s++)
            {
                Add(Int($"section {s} name length"), FieldKind.Bytes, $"section {s} name");
                int length = Int($"section {s} length");
                int end = at + length;
                foreach (string name in new[] { "training version", "epochs done", "epochs planned", "batch size", "seed" })
                {
                    Int($"section {s} {name}");
                }

                Add(1, FieldKind.Bytes, $"section {s} shuffle flag");
                Int($"section {s} sample count");
                Add(end - at, FieldKind.Bytes, $"section {s} rest");
            }
        }

        Add(4, FieldKind.Bytes, "end marker");
        if (version >= 3)
        {
            Add(4, FieldKind.Bytes, "checksum");
        }

        Assert.Equal(file.Length, at);
        return [.. fields];
    }

    private void Report(List<Row> rows)
    {
        output.WriteLine($"| input | mutation | cases | loaded | refused | largest allocation | × file size |");
        output.WriteLine($"|---|---|---:|---:|---:|---:|---:|");
        foreach (Row r in rows)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {r.Input} ({r.FileBytes:N0} B) | {r.Kind}{(r.Resealed ? " + reseal" : "")} | {r.Cases:N0} | {r.Loaded:N0} | {r.Refused:N0} | {r.LargestAllocation:N0} | {r.LargestRatio:F2} |"));
        }

        Row[] resealed = [.. rows.Where(r => r.Resealed)];
        (long Allocated, int FileBytes) largest = _allocations.MaxBy(a => a.Allocated);

        // The proportional part from files of 32 KiB or more (below that, fixed costs such as the 64 KiB read buffer of an empty file dominate the ratio), the constant from every case.
        double factor = Math.Ceiling(10 * _allocations.Where(a => a.FileBytes >= 32 << 10).Max(a => a.Allocated / (double)a.FileBytes)) / 10;
        long constant = _allocations.Max(a => a.Allocated - (long)(factor * a.FileBytes));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{rows.Sum(r => r.Cases):N0} cases; resealed: {resealed.Sum(r => r.Cases):N0} cases, {resealed.Sum(r => r.Loaded):N0} loaded, {resealed.Sum(r => r.Refused):N0} refused."));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Largest allocation: {largest.Allocated:N0} bytes for a file of {largest.FileBytes:N0} ({largest.Allocated / (double)largest.FileBytes:F2} ×)."));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Every load allocated at most {factor:F1} × the file's size + {constant:N0} bytes (asserted: {AllocationFactor} × + {AllocationSlack:N0})."));
    }

    /// <summary>How many cases of each kind to make: small files get every offset, the 1.5 MB model a few dozen cases.</summary>
    private sealed record Budget(int SingleBytes, int ResealedSingleBytes, int MultiBytes, int Truncations, int Fields, int FieldValues, int ScanBytes, int ScanValues, int Appends)
    {
        /// <summary>A file of a few kilobytes: every byte changed once (without a reseal), every field given edge values.</summary>
        public static readonly Budget Small = new(SingleBytes: 4_000, ResealedSingleBytes: 400, MultiBytes: 150, Truncations: 40, Fields: 400, FieldValues: 4, ScanBytes: 256, ScanValues: 2, Appends: 8);

        public static readonly Budget Medium = new(SingleBytes: 100, ResealedSingleBytes: 100, MultiBytes: 40, Truncations: 20, Fields: 40, FieldValues: 3, ScanBytes: 96, ScanValues: 1, Appends: 3);

        public static readonly Budget Large = new(SingleBytes: 12, ResealedSingleBytes: 12, MultiBytes: 6, Truncations: 6, Fields: 12, FieldValues: 2, ScanBytes: 32, ScanValues: 1, Appends: 1);
    }

    private sealed record Input(string Name, byte[] Bytes, bool IsCheckpoint, Budget Budget);

    private sealed record Mutant(string Description, byte[] Bytes);

    private enum FieldKind
    {
        Int32,
        Int64,
        Float32,
        Float64,
        Bytes,
    }

    private sealed record Field(int Offset, int Size, FieldKind Kind, string Name);

    /// <summary>The tally of one input and mutation kind.</summary>
    private sealed class Row(string input, string kind, bool resealed, int fileBytes)
    {
        public string Input => input;

        public string Kind => kind;

        public bool Resealed => resealed;

        public int FileBytes => fileBytes;

        public int Version { get; init; }

        public int Cases => Loaded + Refused;

        public int Loaded { get; private set; }

        public int Refused { get; private set; }

        public int RefusedByChecksum { get; private set; }

        public long LargestAllocation { get; private set; }

        public double LargestRatio { get; private set; }

        public void Load() => Loaded++;

        public void Refuse(bool byChecksum)
        {
            Refused++;
            RefusedByChecksum += byChecksum ? 1 : 0;
        }

        public void Allocated(long bytes, int fileLength)
        {
            LargestAllocation = Math.Max(LargestAllocation, bytes);
            LargestRatio = Math.Max(LargestRatio, bytes / (double)Math.Max(1, fileLength));
        }
    }
}
