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
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">
    /// The file is not an IDX file of unsigned bytes: a wrong magic number, an unsupported type code, a
    /// truncated header or data, bytes after the data, or a corrupt gzip stream. The message names the
    /// file and the problem.
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

        byte[] sizes = new byte[4 * rank];
        reader.Header(sizes, MagicLength + sizes.Length);
        int[] dimensions = new int[rank];
        long length = 1;
        for (int d = 0; d < rank; d++)
        {
            dimensions[d] = BinaryPrimitives.ReadInt32BigEndian(sizes.AsSpan(4 * d));
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

        byte[] data = GC.AllocateUninitializedArray<byte>((int)length);
        reader.Data(data, dimensions);
        return new IdxFile(dimensions, data);
    }

    /// <summary>
    /// Opens a file for reading its contents: the file itself, or a decompressing stream if it starts
    /// with the gzip magic bytes. Names are not trusted: downloads get renamed, and browsers unpack
    /// <c>.gz</c> files while keeping the name.
    /// </summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    internal static Stream OpenContents(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"The file \"{path}\" does not exist.", path);
        }

        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16, FileOptions.SequentialScan);
        try
        {
            Span<byte> start = stackalloc byte[2];
            int read = file.ReadAtLeast(start, start.Length, throwOnEndOfStream: false);
            file.Position = 0;
            bool gzip = read == 2 && start[0] == 0x1F && start[1] == 0x8B;
            return gzip ? new GZipStream(file, CompressionMode.Decompress) : file;
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>The error for a gzip stream that does not decompress.</summary>
    /// <remarks>
    /// <see cref="GZipStream"/>'s own message blames "an unsupported compression method" for any damage,
    /// including a wrong CRC, so it is kept only as the inner exception.
    /// </remarks>
    internal static InvalidDataException CorruptGzip(string path, InvalidDataException inner) =>
        new($"Cannot read \"{path}\": it starts with the gzip magic bytes 0x1F8B, but the gzip stream is corrupt: its compressed data or its CRC-32 is damaged.", inner);

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
        private readonly string _after = stream is GZipStream ? " after decompression" : "";

        public InvalidDataException Error(string problem) => new($"Cannot read the IDX file \"{path}\": {problem}.");

        /// <summary>Reads the next header bytes; <paramref name="headerLength"/> is the header's length up to their end.</summary>
        public void Header(Span<byte> buffer, int headerLength)
        {
            int read = Fill(buffer);
            if (read < buffer.Length)
            {
                int found = headerLength - buffer.Length + read;
                throw Error($"the header is truncated: expected {headerLength} bytes, found {found}{_after}");
            }
        }

        public void Data(byte[] data, int[] dimensions)
        {
            int read = Fill(data);
            if (read < data.Length)
            {
                throw Error($"the data is truncated: dimensions {Tensor.FormatShape(dimensions)} need {data.Length} bytes, found {read}{_after}");
            }

            // Reading to the end also makes GZipStream check the gzip CRC, which catches corruption
            // that still decompresses.
            long extra = 0;
            byte[] rest = new byte[4096];
            int count;
            while ((count = Fill(rest)) > 0)
            {
                extra += count;
            }

            if (extra > 0)
            {
                throw Error($"{extra} bytes follow the data: dimensions {Tensor.FormatShape(dimensions)} need {data.Length} bytes, found {data.Length + extra}{_after}");
            }
        }

        private int Fill(Span<byte> buffer)
        {
            try
            {
                return stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
            }
            catch (InvalidDataException e) when (stream is GZipStream)
            {
                throw CorruptGzip(path, e);
            }
        }
    }
}
