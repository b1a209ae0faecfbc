using System.Buffers.Binary;
using ScratchNet.OnnxSchema;

namespace ScratchNet;

/// <summary>
/// Reads the values of an ONNX tensor from a file that may be hostile: the dimensions are checked against
/// the limits and against the bytes actually present before anything is allocated.
/// </summary>
internal static class OnnxTensors
{
    /// <summary>No tensor of a network ScratchNet builds has more dimensions (a convolution's weights have 4).</summary>
    public const int MaxRank = 8;

    /// <summary>The most values one tensor may hold: 2²⁶ floats, 256 MiB.</summary>
    public const long MaxElements = 1L << 26;

    /// <summary>The float values of a tensor, with its dimensions.</summary>
    public static (float[] Values, long[] Dims) Floats(TensorProto tensor, string what)
    {
        long count = Count(tensor, what);
        if (tensor.DataType != (int)TensorProto.Types.DataType.Float)
        {
            throw new NotSupportedException($"{what} holds {TypeName(tensor.DataType)} values; ScratchNet reads float32 weights only.");
        }

        float[] values;
        if (!tensor.RawData.IsEmpty)
        {
            ExpectLength(tensor.RawData.Length, count * sizeof(float), "bytes", what);
            values = new float[count];
            ReadOnlySpan<byte> raw = tensor.RawData.Span;
            for (int i = 0; i < values.Length; i++)
            {
                values[i] = BinaryPrimitives.ReadSingleLittleEndian(raw.Slice(i * sizeof(float)));
            }
        }
        else
        {
            ExpectLength(tensor.FloatData.Count, count, "float values", what);
            values = [.. tensor.FloatData];
        }

        int bad = Array.FindIndex(values, v => !float.IsFinite(v));
        if (bad >= 0)
        {
            throw new InvalidDataException($"{what}: value {bad} is {values[bad]}; weights must be finite.");
        }

        return (values, [.. tensor.Dims]);
    }

    /// <summary>The int64 values of a tensor (a Reshape's target shape).</summary>
    public static long[] Int64s(TensorProto tensor, string what)
    {
        long count = Count(tensor, what);
        if (tensor.DataType != (int)TensorProto.Types.DataType.Int64)
        {
            throw new NotSupportedException($"{what} holds {TypeName(tensor.DataType)} values where int64 values are expected.");
        }

        if (!tensor.RawData.IsEmpty)
        {
            ExpectLength(tensor.RawData.Length, count * sizeof(long), "bytes", what);
            long[] values = new long[count];
            for (int i = 0; i < values.Length; i++)
            {
                values[i] = BinaryPrimitives.ReadInt64LittleEndian(tensor.RawData.Span.Slice(i * sizeof(long)));
            }

            return values;
        }

        ExpectLength(tensor.Int64Data.Count, count, "int64 values", what);
        return [.. tensor.Int64Data];
    }

    /// <summary>The number of values the dimensions declare, checked against the limits.</summary>
    private static long Count(TensorProto tensor, string what)
    {
        if (tensor.DataLocation == TensorProto.Types.DataLocation.External || tensor.ExternalData.Count > 0)
        {
            throw new NotSupportedException($"{what} keeps its data in an external file; ScratchNet reads models whose weights are inside the .onnx file.");
        }

        if (tensor.Dims.Count > MaxRank)
        {
            throw new InvalidDataException($"{what} has {tensor.Dims.Count} dimensions; at most {MaxRank} are read.");
        }

        long count = 1;
        foreach (long dim in tensor.Dims)
        {
            if (dim < 0 || dim > MaxElements)
            {
                throw new InvalidDataException($"{what} has a dimension of {dim}; dimensions are from 0 to {MaxElements:N0}.");
            }

            count *= dim;   // cannot overflow: each factor is at most 2²⁶ and the product is checked after each
            if (count > MaxElements)
            {
                throw new InvalidDataException($"{what} declares more than {MaxElements:N0} values ({string.Join(" × ", tensor.Dims)}).");
            }
        }

        return count;
    }

    private static void ExpectLength(long actual, long expected, string unit, string what)
    {
        if (actual != expected)
        {
            throw new InvalidDataException($"{what}: its dimensions need {expected:N0} {unit}, but the file holds {actual:N0}.");
        }
    }

    private static string TypeName(int dataType) =>
        Enum.IsDefined((TensorProto.Types.DataType)dataType) ? ((TensorProto.Types.DataType)dataType).ToString().ToLowerInvariant() : $"type {dataType}";
}
