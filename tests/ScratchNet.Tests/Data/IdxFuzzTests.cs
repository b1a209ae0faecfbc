using System.Buffers.Binary;
using System.IO.Compression;
using Xunit.Abstractions;

namespace ScratchNet.Tests.Data;

/// <summary>
/// Seeded mutations of small valid IDX files, raw and gzip: every one must load or be refused with an
/// <see cref="InvalidDataException"/> (never another exception), and none may allocate more than
/// <see cref="AllowedAllocation"/>.
/// </summary>
public sealed class IdxFuzzTests(ITestOutputHelper output) : IDisposable
{
    private const int Seed = 20_260_312;

    /// <summary>The first buffer for gzip data may be 64 KiB; the rest is exceptions, messages, a 4 KiB file buffer, the inflater's 8 KiB.</summary>
    private const long AllocationConstant = 128 * 1024;

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>
    /// The promise <see cref="IdxFile.Read"/> keeps: 8 × the file's size (a raw file's data is at most its
    /// size; gzip data starts in a buffer of at most 8 × the file's size), plus 4 × what the gzip file
    /// actually decompresses to (the buffer at most doubles, and only once it is full), plus a constant.
    /// </summary>
    private static long AllowedAllocation(byte[] file) => (8L * file.Length) + (4 * DecompressedLength(file)) + AllocationConstant;

    [Fact]
    public void Read_MutatedFiles_LoadOrThrowInvalidDataWithinTheAllocationBound()
    {
        var random = new Random(Seed);
        var seeds = Seeds();
        var cases = new List<(string Kind, byte[] File)>();
        foreach ((string name, byte[] contents) in seeds)
        {
            foreach ((string packing, byte[] file) in Packings(contents))
            {
                cases.AddRange(Mutations(random, file, packing == "raw" ? contents : null).Select(m => ($"{m.Kind} ({packing})", m.File)));
            }

            // Header edge values reach through gzip too: the contents are mutated, then compressed.
            foreach ((string kind, byte[] mutated) in HeaderEdges(contents))
            {
                cases.Add(($"{kind} (gzip)", IdxBytes.Gzip(mutated)));
                cases.Add(($"{kind} (stored gzip)", IdxBytes.StoredGzip(mutated)));
            }
        }

        string path = _temp.File("case.idx");
        var counts = new SortedDictionary<string, (int Loaded, int Refused)>(StringComparer.Ordinal);
        var failures = new List<string>();
        long largest = 0, largestFileLength = 0;
        double worstShare = 0;
        foreach ((string kind, byte[] file) in cases)
        {
            File.WriteAllBytes(path, file);
            long before = GC.GetAllocatedBytesForCurrentThread();
            bool loaded = false;
            try
            {
                IdxFile idx = IdxFile.Read(path);
                loaded = idx.Data.Length == idx.Dimensions.Aggregate(1L, (a, b) => a * b);
                if (!loaded)
                {
                    failures.Add($"{kind}: loaded {idx.Data.Length} bytes for dimensions [{string.Join(", ", idx.Dimensions)}]");
                }
            }
            catch (InvalidDataException)
            {
            }
            catch (Exception e)
            {
                failures.Add($"{kind}, {file.Length} bytes {Convert.ToHexString(file.AsSpan(0, Math.Min(24, file.Length)))}…: {e.GetType().Name}: {e.Message}");
            }

            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            long allowed = AllowedAllocation(file);
            if (allocated > allowed)
            {
                failures.Add($"{kind}, {file.Length} bytes: allocated {allocated} bytes, more than the {allowed} allowed");
            }

            if (allocated > largest)
            {
                largest = allocated;
                largestFileLength = file.Length;
            }

            worstShare = Math.Max(worstShare, (double)allocated / allowed);
            (int l, int r) = counts.GetValueOrDefault(kind);
            counts[kind] = loaded ? (l + 1, r) : (l, r + 1);
        }

        output.WriteLine($"{cases.Count} cases from {seeds.Count} seeds (seed {Seed}); loaded / refused per mutation kind:");
        foreach ((string kind, (int l, int r)) in counts)
        {
            output.WriteLine($"  {kind,-40} {l,5} / {r,5}");
        }

        output.WriteLine($"Loaded {counts.Values.Sum(c => c.Loaded)}, refused {counts.Values.Sum(c => c.Refused)}.");
        output.WriteLine($"Largest allocation: {largest} bytes (a {largestFileLength}-byte file); at most {worstShare:P1} of the allowed 8 × file + 4 × decompressed + {AllocationConstant} bytes.");

        Assert.True(failures.Count == 0, $"{failures.Count} failures:\n" + string.Join("\n", failures.Take(20)));
        Assert.InRange(cases.Count, 3000, 10_000);
        Assert.True(counts.Values.Sum(c => c.Loaded) > 0, "no mutation loaded");
        Assert.True(counts.Values.Sum(c => c.Refused) > cases.Count / 2, "too few mutations were refused for the test to mean much");
    }

    /// <summary>Small valid IDX contents: crafted, and the start of the real MNIST files re-packed as small files.</summary>
    private static List<(string Name, byte[] Contents)> Seeds()
    {
        var seeds = new List<(string, byte[])>
        {
            ("counting [3, 5]", IdxBytes.Counting(3, 5)),
            ("counting [2, 2, 2, 2]", IdxBytes.Counting(2, 2, 2, 2)),
            ("images [2]", IdxBytes.Images(2)),
            ("labels [7]", IdxBytes.Labels(5, 0, 4, 1, 9, 2, 1)),
            ("empty [0, 28, 28]", IdxBytes.Counting(0, 28, 28)),
        };

        string[] files = Mnist.TryLocate(MnistLocator.DataDirectory)
            ?? throw new InvalidOperationException($"The MNIST files are not in {MnistLocator.DataDirectory}.");
        byte[] pixels = Start(files[0], 16 + (3 * Mnist.PixelCount))[16..];
        byte[] labels = Start(files[1], 8 + 20)[8..];
        seeds.Add(("MNIST images [3, 28, 28]", IdxBytes.Build([3, Mnist.ImageSide, Mnist.ImageSide], pixels)));
        seeds.Add(("MNIST labels [20]", IdxBytes.Build([20], labels)));
        return seeds;
    }

    /// <summary>The first <paramref name="count"/> bytes of a file's contents.</summary>
    private static byte[] Start(string path, int count)
    {
        using Stream file = File.OpenRead(path);
        bool gzip = file.ReadByte() == 0x1F;
        file.Position = 0;
        using Stream contents = gzip ? new GZipStream(file, CompressionMode.Decompress) : file;
        byte[] start = new byte[count];
        contents.ReadExactly(start);
        return start;
    }

    private static IEnumerable<(string Packing, byte[] File)> Packings(byte[] contents)
    {
        yield return ("raw", contents);
        yield return ("gzip", IdxBytes.Gzip(contents));
        yield return ("stored gzip", IdxBytes.StoredGzip(contents));
    }

    private static IEnumerable<(string Kind, byte[] File)> Mutations(Random random, byte[] file, byte[]? raw)
    {
        for (int i = 0; i < 40; i++)
        {
            byte[] changed = (byte[])file.Clone();
            int changes = 1 + random.Next(3);
            for (int c = 0; c < changes; c++)
            {
                changed[random.Next(changed.Length)] = (byte)random.Next(256);
            }

            yield return ("random bytes", changed);
        }

        for (int i = 0; i < 30; i++)
        {
            byte[] flipped = (byte[])file.Clone();
            flipped[random.Next(flipped.Length)] ^= (byte)(1 << random.Next(8));
            yield return ("bit flip", flipped);
        }

        // Every cut in the first 40 bytes (magic, type, rank, dimensions; gzip header and first block),
        // the last 16 (data end; gzip trailer), and 20 anywhere.
        var cuts = new SortedSet<int>(Enumerable.Range(0, Math.Min(40, file.Length)));
        cuts.UnionWith(Enumerable.Range(Math.Max(0, file.Length - 16), Math.Min(16, file.Length)));
        for (int i = 0; i < 20; i++)
        {
            cuts.Add(random.Next(file.Length));
        }

        foreach (int cut in cuts)
        {
            yield return ("truncation", file[..cut]);
        }

        foreach (byte[] tail in new[]
        {
            new byte[] { 0 },
            [0x1F],
            [0x1F, 0x8B],
            new byte[8],
            file[^Math.Min(8, file.Length)..],
            RandomBytes(random, 1 + random.Next(16)),
            RandomBytes(random, 100),
            file,
        })
        {
            yield return ("appended bytes", [.. file, .. tail]);
        }

        if (raw is not null)
        {
            foreach ((string kind, byte[] mutated) in HeaderEdges(raw))
            {
                yield return (kind, mutated);
            }
        }
        else
        {
            foreach ((string kind, byte[] mutated) in GzipEdges(file))
            {
                yield return (kind, mutated);
            }
        }
    }

    /// <summary>Edge values in each IDX header field: type code, rank, and each dimension.</summary>
    private static IEnumerable<(string Kind, byte[] Contents)> HeaderEdges(byte[] contents)
    {
        int rank = contents[3];
        long dataLength = contents.Length - 4 - (4 * rank);
        foreach (byte type in new byte[] { 0x00, 0x07, 0x09, 0x0D, 0xFF })
        {
            byte[] m = (byte[])contents.Clone();
            m[2] = type;
            yield return ("type code edge", m);
        }

        foreach (int newRank in new[] { 0, 1, 2, rank - 1, rank + 1, 127, 255 }.Where(r => r >= 0 && r != rank))
        {
            byte[] m = (byte[])contents.Clone();
            m[3] = (byte)newRank;
            yield return ("rank edge", m);
        }

        int[] edges =
        [
            0, 1, -1, 2, 255, 256, 65_535, 65_536, int.MaxValue, int.MinValue, int.MaxValue - 1, 1_000_000_000,
            Array.MaxLength, Array.MaxLength + 1, (int)dataLength - 1, (int)dataLength, (int)dataLength + 1,
        ];
        for (int d = 0; d < rank; d++)
        {
            foreach (int value in edges)
            {
                byte[] m = (byte[])contents.Clone();
                BinaryPrimitives.WriteInt32BigEndian(m.AsSpan(4 + (4 * d)), value);
                yield return ("dimension edge", m);
            }
        }
    }

    /// <summary>Edge values in the gzip header and trailer fields.</summary>
    private static IEnumerable<(string Kind, byte[] File)> GzipEdges(byte[] gzip)
    {
        foreach (byte method in new byte[] { 0, 7, 9, 0xFF })
        {
            byte[] m = (byte[])gzip.Clone();
            m[2] = method;
            yield return ("gzip header edge", m);
        }

        foreach (byte flags in new byte[] { 0x01, 0x02, 0x04, 0x08, 0x10, 0x20, 0x80, 0x1E, 0xFF })
        {
            byte[] m = (byte[])gzip.Clone();
            m[3] = flags;
            yield return ("gzip header edge", m);
        }

        uint size = BinaryPrimitives.ReadUInt32LittleEndian(gzip.AsSpan(gzip.Length - 4));
        foreach (uint isize in new[] { 0u, 1u, size - 1, size + 1, 0x7FFF_FFFFu, 0xFFFF_FFFFu })
        {
            byte[] m = (byte[])gzip.Clone();
            BinaryPrimitives.WriteUInt32LittleEndian(m.AsSpan(m.Length - 4), isize);
            yield return ("gzip trailer edge", m);
        }

        foreach (uint crc in new[] { 0u, 0xFFFF_FFFFu })
        {
            byte[] m = (byte[])gzip.Clone();
            BinaryPrimitives.WriteUInt32LittleEndian(m.AsSpan(m.Length - 8), crc);
            yield return ("gzip trailer edge", m);
        }
    }

    private static byte[] RandomBytes(Random random, int count)
    {
        byte[] bytes = new byte[count];
        random.NextBytes(bytes);
        return bytes;
    }

    /// <summary>
    /// How many bytes a gzip file decompresses to as <see cref="GZipStream"/> reads it (every member, up to
    /// the first error), capped at 64 MiB; 0 for a file that is not gzip. An upper bound on what
    /// <see cref="IdxFile.Read"/> decompresses, which stops at the first member.
    /// </summary>
    private static long DecompressedLength(byte[] file)
    {
        if (file.Length < 2 || file[0] != 0x1F || file[1] != 0x8B)
        {
            return 0;
        }

        long total = 0;
        byte[] buffer = new byte[1 << 16];
        try
        {
            using var gzip = new GZipStream(new MemoryStream(file), CompressionMode.Decompress);
            int read;
            while ((read = gzip.Read(buffer)) > 0 && total < (64 << 20))
            {
                total += read;
            }
        }
        catch (InvalidDataException)
        {
        }

        return total;
    }
}
