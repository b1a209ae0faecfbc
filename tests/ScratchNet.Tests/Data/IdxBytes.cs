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

    /// <summary>Writes <paramref name="contents"/> to <paramref name="path"/>, gzip-compressed if asked, and returns the path.</summary>
    public static string Write(string path, byte[] contents, bool gzip = false)
    {
        File.WriteAllBytes(path, gzip ? Gzip(contents) : contents);
        return path;
    }
}
