using System.Buffers.Binary;
using ScratchNet.Serialization;

namespace ScratchNet.Tests.Serialization;

/// <summary>Model files as bytes, for tests that damage or craft them.</summary>
internal static class ModelBytes
{
    /// <summary>The file <see cref="Network.Save(Stream)"/> writes.</summary>
    public static byte[] Of(Network network)
    {
        using var stream = new MemoryStream();
        network.Save(stream);
        return stream.ToArray();
    }

    /// <summary>
    /// Rewrites a format-3 file's body length and CRC-32 for its current bytes, as a crafted file would
    /// have them: the reader's other checks must then catch what was changed.
    /// </summary>
    public static byte[] Reseal(byte[] file)
    {
        byte[] copy = (byte[])file.Clone();
        BinaryPrimitives.WriteInt64LittleEndian(copy.AsSpan(8), copy.Length - ModelFormat.HeaderBytes - ModelFormat.ChecksumBytes);
        BinaryPrimitives.WriteUInt32LittleEndian(copy.AsSpan(copy.Length - 4), Crc32.Compute(copy.AsSpan(0, copy.Length - 4)));
        return copy;
    }

    /// <summary>The offset of the first occurrence of <paramref name="needle"/>.</summary>
    public static int IndexOf(byte[] haystack, ReadOnlySpan<byte> needle)
    {
        int at = haystack.AsSpan().IndexOf(needle);
        Assert.True(at >= 0, "the bytes are not in the file");
        return at;
    }

    /// <summary>Loads from bytes, as <see cref="Network.Load(Stream)"/> does.</summary>
    public static Network Load(byte[] file) => Network.Load(new MemoryStream(file));
}
