using System.Buffers.Binary;
using System.IO.Compression;

namespace ScratchNet.Tests.Data;

/// <summary>Builds small IDX files byte by byte, so that each test states exactly what its file holds.</summary>
internal static class IdxBytes
{
    /// <summary>The header (0x0000, type code, rank, big-endian dimensions) followed by <paramref name="data"/>.</summary>
    public static byte[] Build(int[] dimensions, ReadOnlySpan<byte> data, byte typeCode = IdxFile.UnsignedByteType)
    {
        byte[] bytes = new byte[4 + (4 * dimensions.Length) + data.Length];
        bytes[2] = typeCode;
        bytes[3] = (byte)dimensions.Length;
        for (int d = 0; d < dimensions.Length; d++)
        {
            BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 + (4 * d)), dimensions[d]);
        }

        data.CopyTo(bytes.AsSpan(4 + (4 * dimensions.Length)));
        return bytes;
    }

    /// <summary>An IDX file of unsigned bytes whose data is 0, 1, 2, … (wrapping at 256).</summary>
    public static byte[] Counting(params int[] dimensions)
    {
        byte[] data = new byte[dimensions.Aggregate(1, (a, b) => a * b)];
        for (int i = 0; i < data.Length; i++)
        {
            data[i] = (byte)i;
        }

        return Build(dimensions, data);
    }

    /// <summary>An images file of <paramref name="count"/> 28×28 images; image n has pixel i = (n + i) mod 256.</summary>
    public static byte[] Images(int count)
    {
        byte[] data = new byte[count * Mnist.PixelCount];
        for (int n = 0; n < count; n++)
        {
            for (int i = 0; i < Mnist.PixelCount; i++)
            {
                data[(n * Mnist.PixelCount) + i] = (byte)(n + i);
            }
        }

        return Build([count, Mnist.ImageSide, Mnist.ImageSide], data);
    }

    /// <summary>A labels file holding <paramref name="labels"/>.</summary>
    public static byte[] Labels(params byte[] labels) => Build([labels.Length], labels);

    public static byte[] Gzip(byte[] contents)
    {
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest))
        {
            gzip.Write(contents);
        }

        return compressed.ToArray();
    }

    /// <summary>
    /// A gzip member written by hand with stored (uncompressed) deflate blocks: the contents in one
    /// non-final block, <paramref name="emptyBlocks"/> empty non-final blocks, an empty final block, then
    /// the trailer. Every byte of the contents sits at a known place in the file.
    /// </summary>
    public static byte[] StoredGzip(byte[] contents, int emptyBlocks = 0)
    {
        if (contents.Length > ushort.MaxValue)
        {
            throw new ArgumentException("One stored block holds at most 65535 bytes.", nameof(contents));
        }

        var bytes = new List<byte> { 0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 0xFF };
        AddStoredBlock(bytes, contents, final: false);
        for (int i = 0; i < emptyBlocks; i++)
        {
            AddStoredBlock(bytes, [], final: false);
        }

        AddStoredBlock(bytes, [], final: true);
        Span<byte> trailer = stackalloc byte[8];
        BinaryPrimitives.WriteUInt32LittleEndian(trailer, ScratchNet.Serialization.Crc32.Compute(contents));
        BinaryPrimitives.WriteUInt32LittleEndian(trailer[4..], (uint)contents.Length);
        bytes.AddRange(trailer);
        return [.. bytes];
    }

    private static void AddStoredBlock(List<byte> bytes, byte[] data, bool final)
    {
        // BFINAL, BTYPE 00, padding to the byte boundary; then LEN and its one's complement NLEN.
        bytes.Add(final ? (byte)1 : (byte)0);
        bytes.AddRange([(byte)data.Length, (byte)(data.Length >> 8), (byte)~data.Length, (byte)(~data.Length >> 8)]);
        bytes.AddRange(data);
    }

    /// <summary>Writes <paramref name="contents"/> to <paramref name="path"/>, gzip-compressed if asked, and returns the path.</summary>
    public static string Write(string path, byte[] contents, bool gzip = false)
    {
        File.WriteAllBytes(path, gzip ? Gzip(contents) : contents);
        return path;
    }
}
