using System.Buffers.Binary;
using System.Text;

namespace ScratchNet.Serialization;

/// <summary>
/// Reads little-endian fields from a file held in memory. Every field is checked against the bytes
/// that remain before anything is allocated for it, and every problem becomes an
/// <see cref="InvalidDataException"/> that names the source, the field and the byte offset.
/// </summary>
internal sealed class ByteReader(byte[] data, int length, string source)
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The file name or "stream", for messages.</summary>
    public string Source => source;

    /// <summary>The offset of the next byte to read.</summary>
    public int Offset { get; set; }

    /// <summary>How many bytes remain after <see cref="Offset"/>.</summary>
    public int Remaining => length - Offset;

    /// <summary>The bytes read, for values that are copied after every check passed.</summary>
    public ReadOnlySpan<byte> Data => data.AsSpan(0, length);

    public InvalidDataException Error(long offset, string problem) =>
        new($"Cannot load the model from {source}: {problem} (at byte offset {offset}).");

    public ReadOnlySpan<byte> Bytes(int count, string what)
    {
        if (count > Remaining)
        {
            throw Error(Offset, $"the file is truncated: {what} needs {count} bytes but only {Remaining} remain");
        }

        ReadOnlySpan<byte> bytes = data.AsSpan(Offset, count);
        Offset += count;
        return bytes;
    }

    public int Int32(string what) => BinaryPrimitives.ReadInt32LittleEndian(Bytes(4, what));

    public long Int64(string what) => BinaryPrimitives.ReadInt64LittleEndian(Bytes(8, what));

    public double Double(string what) => BinaryPrimitives.ReadDoubleLittleEndian(Bytes(8, what));

    /// <summary>A count in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public int Count(string what, int min, int max)
    {
        int offset = Offset;
        int count = Int32(what);
        if (count < min || count > max)
        {
            throw Error(offset, $"{what} is {count}, outside {min} to {max}");
        }

        return count;
    }

    /// <summary>Fills <paramref name="target"/> with float32 values, each of which must be finite.</summary>
    public void Floats(Span<float> target, string what)
    {
        int offset = Offset;
        ReadOnlySpan<byte> bytes = Bytes(4 * target.Length, what);
        for (int i = 0; i < target.Length; i++)
        {
            float value = BinaryPrimitives.ReadSingleLittleEndian(bytes[(4 * i)..]);
            target[i] = float.IsFinite(value) ? value : throw Error(offset + (4 * i), $"value {i} of {what} is {value}; it must be finite");
        }
    }

    /// <summary>An int32 count, then that many int32 values, at most <paramref name="max"/>.</summary>
    public int[] Ints(string what, int max)
    {
        int count = Count($"the length of {what}", 0, max);
        ReadOnlySpan<byte> bytes = Bytes(4 * count, what);
        int[] values = new int[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = BinaryPrimitives.ReadInt32LittleEndian(bytes[(4 * i)..]);
        }

        return values;
    }

    /// <summary>An int32 byte length (1 to <see cref="ModelFormat.MaxNameBytes"/>), then that much UTF-8.</summary>
    public string Text(string what)
    {
        int offset = Offset;
        int length = Count($"the byte length of {what}", 1, ModelFormat.MaxNameBytes);
        ReadOnlySpan<byte> bytes = Bytes(length, what);
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw Error(offset, $"{what} is not valid UTF-8");
        }
    }
}
