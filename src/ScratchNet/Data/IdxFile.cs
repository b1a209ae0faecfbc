using System.Buffers.Binary;
using System.Collections.ObjectModel;
using System.IO.Compression;

namespace ScratchNet;

/// <summary>
/// An IDX file, the format MNIST is distributed in: one multidimensional array of unsigned bytes.
/// <code>
/// 0x00 0x00      two zero bytes
/// type code      1 byte: 0x08 = unsigned byte (the only type MNIST uses, and the only one read here)
/// rank           1 byte: the number of dimensions
/// dimensions     int32 big-endian × rank, outermost first
/// data           the values, row-major (the last dimension varies fastest)
/// </code>
/// The file may be gzip-compressed, as MNIST is downloaded; <see cref="Read"/> recognises gzip by its
/// first two bytes (0x1F 0x8B), whatever the file is called.
/// </summary>
public sealed class IdxFile
{
    /// <summary>The type code of unsigned bytes, the one element type this reader supports.</summary>
    public const byte UnsignedByteType = 0x08;

    private const int MagicLength = 4;

    private readonly byte[] _data;

    private IdxFile(int[] dimensions, byte[] data)
    {
        Dimensions = new ReadOnlyCollection<int>(dimensions);
        _data = data;
    }

    /// <summary>The size of each dimension, outermost first: <c>[60000, 28, 28]</c> for the MNIST training images.</summary>
    public IReadOnlyList<int> Dimensions { get; }

    /// <summary>The values, row-major: as many bytes as the product of <see cref="Dimensions"/>.</summary>
    public ReadOnlyMemory<byte> Data => _data;

    /// <summary>Reads an IDX file of unsigned bytes, raw or gzip-compressed.</summary>
    /// <param name="path">The file.</param>
    /// <remarks>
    /// Nothing the file declares is trusted before it is checked, so a damaged or hostile file is refused
    /// without first allocating what it claims to hold:
    /// <list type="bullet">
    /// <item>A raw file's declared data length must equal what the file holds after the header; this is
    /// checked before the data array is allocated.</item>
    /// <item>A gzip file may not declare more than its compressed data can expand to (deflate expands at
    /// most 1032:1), and the data array grows as decompressed bytes arrive: it starts at no more than eight
    /// times the file's size (or 64 KiB) and at most doubles each time it fills, so it never exceeds twice
    /// what the file actually decompressed to.</item>
    /// <item>A gzip file must be a single member (RFC 1952) whose 8-byte trailer is the end of the file:
    /// the trailer's CRC-32 and length are compared with the decompressed data, and a missing trailer,
    /// bytes after the member or a second member are refused.</item>
    /// </list>
    /// </remarks>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">
    /// The file is not an IDX file of unsigned bytes: a wrong magic number, an unsupported type code, a
    /// truncated header or data, bytes after the data, dimensions larger than the file can hold, or a
    /// damaged gzip file (header, deflate data, CRC-32 or length, missing trailer, bytes after the member).
    /// The message names the file and the problem, with the byte counts expected and found.
    /// </exception>
    public static IdxFile Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using Stream contents = OpenContents(path);
        var reader = new ContentReader(contents, path);

        Span<byte> magic = stackalloc byte[MagicLength];
        reader.Header(magic, MagicLength);
        if (magic[0] != 0 || magic[1] != 0)
        {
            throw reader.Error(
                $"it starts with 0x{Convert.ToHexString(magic)}, but an IDX file starts with 0x0000 " +
                $"(two zero bytes), then a type code and a dimension count (0x{UnsignedByteType:X2}nn for unsigned bytes)");
        }

        if (magic[2] != UnsignedByteType)
        {
            throw reader.Error(
                $"its type code is 0x{magic[2]:X2} ({TypeName(magic[2])}), but only 0x{UnsignedByteType:X2} ({TypeName(UnsignedByteType)}) is supported");
        }

        int rank = magic[3];
        if (rank == 0)
        {
            throw reader.Error("it declares 0 dimensions; an IDX array needs at least one");
        }

        Span<byte> sizes = stackalloc byte[4 * rank];
        reader.Header(sizes, MagicLength + sizes.Length);
        int[] dimensions = new int[rank];
        long length = 1;
        for (int d = 0; d < rank; d++)
        {
            dimensions[d] = BinaryPrimitives.ReadInt32BigEndian(sizes[(4 * d)..]);
            if (dimensions[d] < 0)
            {
                throw reader.Error($"dimension {d} has the negative size {dimensions[d]}");
            }

            // Stop multiplying once past the limit so that the product cannot overflow a long.
            length = Math.Min(length * dimensions[d], (long)Array.MaxLength + 1);
        }

        if (length > Array.MaxLength)
        {
            throw reader.Error($"its dimensions {Tensor.FormatShape(dimensions)} hold more values than an array can ({Array.MaxLength})");
        }

        byte[] data = reader.Data(dimensions, (int)length, MagicLength + sizes.Length);
        return new IdxFile(dimensions, data);
    }

    /// <summary>
    /// Opens a file for reading its contents: the file itself, or a checked decompressing stream if it
    /// starts with the gzip magic bytes. Names are not trusted: downloads get renamed, and browsers unpack
    /// <c>.gz</c> files while keeping the name.
    /// </summary>
    /// <remarks>
    /// A gzip file gives a <see cref="GzipMemberStream"/>, which throws <see cref="InvalidDataException"/>
    /// naming the file for any damage; a reader that reads to the end must then call
    /// <see cref="GzipMemberStream.EnsureComplete"/>, which refuses a file cut short.
    /// </remarks>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file starts with the gzip magic bytes, but its gzip header is damaged.</exception>
    internal static Stream OpenContents(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"The file \"{path}\" does not exist.", path);
        }

        // A small buffer: the large reads (the data, the deflate input) go straight to their destination.
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 4096, FileOptions.SequentialScan);
        try
        {
            Span<byte> start = stackalloc byte[2];
            int read = file.ReadAtLeast(start, start.Length, throwOnEndOfStream: false);
            file.Position = 0;
            bool gzip = read == 2 && start[0] == 0x1F && start[1] == 0x8B;
            return gzip ? GzipMemberStream.Open(file, path) : file;
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>The error for a gzip file that does not decompress to what it says it holds.</summary>
    /// <remarks>
    /// <see cref="DeflateStream"/>'s own message blames "an unsupported compression method" for any
    /// damage, so it is kept only as the inner exception.
    /// </remarks>
    internal static InvalidDataException CorruptGzip(string path, string problem, Exception? inner = null) =>
        new($"Cannot read \"{path}\": it starts with the gzip magic bytes 0x1F8B, but the gzip stream is corrupt: {problem}.", inner);

    private static string TypeName(byte code) => code switch
    {
        0x08 => "unsigned byte",
        0x09 => "signed byte",
        0x0B => "16-bit integer",
        0x0C => "32-bit integer",
        0x0D => "32-bit float",
        0x0E => "64-bit float",
        _ => "not an IDX type",
    };

    /// <summary>Reads the contents in large blocks and turns every shortfall into an error naming the file and the byte counts.</summary>
    private sealed class ContentReader(Stream stream, string path)
    {
        /// <summary>
        /// Deflate's largest expansion: a 258-byte match coded in 2 bits (1-bit length and distance codes)
        /// is 1032 bytes out per byte in, so a gzip file cannot hold more than this many times its deflate data.
        /// </summary>
        private const long DeflateMaximumExpansion = 1032;

        /// <summary>
        /// The first data buffer for gzip data is at most this many times the file's size. MNIST compresses
        /// 4.8:1, so its files are read into one buffer of the declared size, with no copy; a file declaring
        /// more grows its buffer only as decompressed bytes arrive.
        /// </summary>
        private const long GzipFirstBufferPerFileByte = 8;

        /// <summary>The first data buffer for gzip data may always be this large, so that small files do not grow it in tiny steps.</summary>
        private const int GzipFirstBufferMinimum = 64 * 1024;

        private const int ScratchLength = 4096;

        private readonly GzipMemberStream? _gzip = stream as GzipMemberStream;

        private string After => _gzip is null ? "" : " after decompression";

        public InvalidDataException Error(string problem) => new($"Cannot read the IDX file \"{path}\": {problem}.");

        /// <summary>Reads the next header bytes; <paramref name="headerLength"/> is the header's length up to their end.</summary>
        public void Header(Span<byte> buffer, int headerLength)
        {
            int read = Fill(buffer);
            if (read < buffer.Length)
            {
                int found = headerLength - buffer.Length + read;
                throw Error($"the header is truncated: expected {headerLength} bytes, found {found}{After}");
            }
        }

        /// <summary>Reads the <paramref name="length"/> data bytes that follow the <paramref name="headerLength"/>-byte header, and checks that nothing follows them.</summary>
        public byte[] Data(int[] dimensions, int length, int headerLength) =>
            _gzip is null ? RawData(dimensions, length) : GzipData(_gzip, dimensions, length, headerLength);

        /// <summary>The file's length says how much data there is before anything is allocated.</summary>
        private byte[] RawData(int[] dimensions, int length)
        {
            long present = stream.Length - stream.Position;
            if (present != length)
            {
                throw present < length
                    ? Truncated(dimensions, length, present)
                    : Error($"{present - length} bytes follow the data: dimensions {Tensor.FormatShape(dimensions)} need {length} bytes, found {present}");
            }

            byte[] data = GC.AllocateUninitializedArray<byte>(length);
            int read = Fill(data);
            if (read < length)
            {
                throw Truncated(dimensions, length, read); // the file shrank while being read
            }

            return data;
        }

        /// <summary>
        /// Only the compressed size is known in advance, so the buffer starts small enough for that to
        /// justify and doubles as the decompressed data fills it.
        /// </summary>
        private byte[] GzipData(GzipMemberStream gzip, int[] dimensions, int length, int headerLength)
        {
            long maximum = DeflateMaximumExpansion * gzip.DeflateLength;
            if (headerLength + (long)length > maximum)
            {
                throw Error(
                    $"its dimensions {Tensor.FormatShape(dimensions)} need {length} bytes after the {headerLength}-byte header, " +
                    $"but the {gzip.DeflateLength} bytes of deflate data in this {gzip.FileLength}-byte gzip file decompress to at most " +
                    $"{maximum} bytes (deflate expands at most {DeflateMaximumExpansion}:1)");
            }

            long first = Math.Max(GzipFirstBufferMinimum, GzipFirstBufferPerFileByte * gzip.FileLength);
            byte[] data = GC.AllocateUninitializedArray<byte>((int)Math.Min(length, first));
            int filled = Fill(data);
            Span<byte> scratch = stackalloc byte[ScratchLength];
            while (filled == data.Length && filled < length)
            {
                // Grow only once more bytes have actually arrived.
                int more = Fill(scratch[..Math.Min(scratch.Length, length - filled)]);
                if (more == 0)
                {
                    break;
                }

                byte[] grown = GC.AllocateUninitializedArray<byte>((int)Math.Min(length, 2L * data.Length + more));
                data.AsSpan(0, filled).CopyTo(grown);
                scratch[..more].CopyTo(grown.AsSpan(filled));
                data = grown;
                filled += more;
                filled += Fill(data.AsSpan(filled));
            }

            if (filled < length)
            {
                throw Truncated(dimensions, length, filled);
            }

            // Reading to the end is what checks the trailer's CRC-32 and length.
            long extra = 0;
            int count;
            while ((count = Fill(scratch)) > 0)
            {
                extra += count;
            }

            if (extra > 0)
            {
                throw Error($"{extra} bytes follow the data: dimensions {Tensor.FormatShape(dimensions)} need {length} bytes, found {length + extra}{After}");
            }

            gzip.EnsureComplete();
            return data;
        }

        private InvalidDataException Truncated(int[] dimensions, int length, long found) =>
            Error($"the data is truncated: dimensions {Tensor.FormatShape(dimensions)} need {length} bytes, found {found}{After}");

        private int Fill(Span<byte> buffer) => stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
    }
}
