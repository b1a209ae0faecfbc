using System.Buffers.Binary;
using System.Text;

namespace ScratchNet.Serialization;

/// <summary>
/// Reads and writes the ScratchNet model format, version 2 (described in docs/model-format.md):
/// <code>
/// "SCNN"                 4 bytes, the magic
/// version                int32 (1)
/// input rank, dims       int32, int32 × rank
/// layer count            int32
/// per layer:  type       int32 length + UTF-8 name ("Dense", "Sigmoid")
///             config     int32 count + int32 × count (Dense: inputs, outputs)
///             parameters int32 count; per parameter: int32 rank, int32 × rank dims, float32 × product
///             state      (version 2 on) int32 count; per tensor: as a parameter (batch-norm running statistics)
/// "END."                 4 bytes, so a file cut at a layer boundary is still caught
/// </code>
/// All numbers little-endian.
/// </summary>
internal static class ModelFile
{
    /// <summary>The newest format version this library writes and reads.</summary>
    public const int Version = 2;

    private static ReadOnlySpan<byte> Magic => "SCNN"u8;

    private static ReadOnlySpan<byte> EndMarker => "END."u8;

    /// <summary>Writes to a temporary file beside <paramref name="path"/>, flushes it to disk, then renames it over the target.</summary>
    /// <param name="network">The network.</param>
    /// <param name="path">The model file.</param>
    /// <param name="wrap">Wraps the temporary file's stream (the tests make it fail half-way); <see langword="null"/> for none.</param>
    public static void WriteAtomically(Network network, string path, Func<Stream, Stream>? wrap = null)
    {
        string full = Path.GetFullPath(path);
        string temp = full + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp";
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                if (wrap is null)
                {
                    Write(network, stream);
                }
                else
                {
                    using Stream wrapped = wrap(stream);
                    Write(network, wrapped);
                    wrapped.Flush();
                }

                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }

    public static void Write(Network network, Stream stream)
    {
        // Check every layer first so that nothing is written for a network that cannot be saved.
        LayerCodec[] codecs = network.Layers.Select(LayerCodec.For).ToArray();
        using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
        writer.Write(Magic);
        writer.Write(Version);
        WriteInts(writer, [.. network.InputShape]);
        writer.Write(network.Layers.Count);
        for (int i = 0; i < codecs.Length; i++)
        {
            Layer layer = network.Layers[i];
            byte[] name = Encoding.UTF8.GetBytes(codecs[i].TypeName);
            writer.Write(name.Length);
            writer.Write(name);
            WriteInts(writer, codecs[i].Config(layer));
            writer.Write(layer.Parameters.Count);
            foreach (Parameter parameter in layer.Parameters)
            {
                WriteTensor(writer, parameter.Value);
            }

            Tensor[] state = codecs[i].State(layer);
            writer.Write(state.Length);
            foreach (Tensor tensor in state)
            {
                WriteTensor(writer, tensor);
            }
        }

        writer.Write(EndMarker);
    }

    public static Network Read(Stream stream, string source)
    {
        var reader = new ModelReader(stream, source);
        Span<byte> magic = stackalloc byte[4];
        reader.Bytes(magic, "the magic number");
        if (!magic.SequenceEqual(Magic))
        {
            throw reader.Error(0, $"it is not a ScratchNet model: it starts with 0x{Convert.ToHexString(magic)}, not \"SCNN\" (0x{Convert.ToHexString(Magic)})");
        }

        long versionOffset = reader.Offset;
        int version = reader.Int32("the format version");
        if (version > Version)
        {
            throw reader.Error(versionOffset, $"it is format version {version}, newer than this library reads ({Version}); update ScratchNet");
        }

        if (version < 1)
        {
            throw reader.Error(versionOffset, $"format version {version} does not exist");
        }

        int[] inputShape = reader.Ints("the input shape", max: 8);
        int layerCount = reader.Int32("the layer count");
        if (layerCount < 1 || layerCount > 10_000)
        {
            throw reader.Error(reader.Offset - 4, $"the layer count {layerCount} is not plausible");
        }

        var layers = new Layer[layerCount];
        var weights = new List<(Tensor Target, float[] Values)>();
        for (int i = 0; i < layerCount; i++)
        {
            long typeOffset = reader.Offset;
            string typeName = reader.Text($"the type of layer {i}");
            int[] config = reader.Ints($"the configuration of layer {i} ({typeName})", max: 64);
            if (!LayerCodec.Knows(typeName))
            {
                throw reader.Error(typeOffset, $"layer {i} has the unknown type \"{typeName}\"");
            }

            layers[i] = LayerCodec.Create(typeName, config)
                ?? throw reader.Error(typeOffset, $"layer {i} ({typeName}) does not accept the configuration {Tensor.FormatShape(config)}");
            int parameterCount = reader.Int32($"the parameter count of layer {i}");
            IReadOnlyList<Parameter> parameters = layers[i].Parameters;
            if (parameterCount != parameters.Count)
            {
                throw reader.Error(reader.Offset - 4, $"layer {i} ({layers[i].Name}) has {parameterCount} parameter tensors in the file but needs {parameters.Count}");
            }

            foreach (Parameter parameter in parameters)
            {
                weights.Add((parameter.Value, ReadTensor(reader, parameter.Value, $"{parameter.Name} of layer {i} ({layers[i].Name})")));
            }

            // Version 1 files have no state section; their layers had no state.
            if (version >= 2)
            {
                Tensor[] state = LayerCodec.For(layers[i]).State(layers[i]);
                int stateCount = reader.Int32($"the state count of layer {i}");
                if (stateCount != state.Length)
                {
                    throw reader.Error(reader.Offset - 4, $"layer {i} ({layers[i].Name}) has {stateCount} state tensors in the file but needs {state.Length}");
                }

                for (int t = 0; t < state.Length; t++)
                {
                    weights.Add((state[t], ReadTensor(reader, state[t], $"state tensor {t} of layer {i} ({layers[i].Name})")));
                }
            }
        }

        Span<byte> end = stackalloc byte[4];
        reader.Bytes(end, "the end marker");
        if (!end.SequenceEqual(EndMarker))
        {
            throw reader.Error(reader.Offset - 4, "the end marker \"END.\" is missing");
        }

        Network network;
        try
        {
            network = new Network(inputShape, layers);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"Cannot load the model from {source}: its layers do not fit together: {e.Message}", e);
        }

        foreach ((Tensor target, float[] values) in weights)
        {
            values.CopyTo(target.Span);
        }

        return network;
    }

    private static void WriteTensor(BinaryWriter writer, Tensor tensor)
    {
        WriteInts(writer, tensor.Shape.ToArray());
        foreach (float value in tensor.Span)
        {
            writer.Write(value);
        }
    }

    /// <summary>Reads a tensor's shape and values, checking the shape against the tensor it will fill.</summary>
    private static float[] ReadTensor(ModelReader reader, Tensor like, string what)
    {
        long shapeOffset = reader.Offset;
        int[] shape = reader.Ints($"the shape of {what}", max: 8);
        if (!like.HasShape(shape))
        {
            throw reader.Error(shapeOffset, $"{what} has shape {Tensor.FormatShape(shape)} in the file but the layer needs {Tensor.FormatShape(like.Shape)}");
        }

        float[] values = new float[like.Length];
        reader.Floats(values, $"the values of {what}");
        return values;
    }

    private static void WriteInts(BinaryWriter writer, int[] values)
    {
        writer.Write(values.Length);
        foreach (int value in values)
        {
            writer.Write(value);
        }
    }

    /// <summary>Reads little-endian values and turns every shortfall into an error naming the file, the offset and the sizes.</summary>
    private sealed class ModelReader(Stream stream, string source)
    {
        public long Offset { get; private set; }

        public InvalidDataException Error(long offset, string problem) =>
            new($"Cannot load the model from {source}: {problem} (at byte offset {offset}).");

        public void Bytes(Span<byte> buffer, string what)
        {
            int read = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
            if (read < buffer.Length)
            {
                throw Error(Offset, $"the file is truncated: {what} needs {buffer.Length} bytes but only {read} remain");
            }

            Offset += read;
        }

        public int Int32(string what)
        {
            Span<byte> buffer = stackalloc byte[4];
            Bytes(buffer, what);
            return BinaryPrimitives.ReadInt32LittleEndian(buffer);
        }

        public int[] Ints(string what, int max)
        {
            long offset = Offset;
            int count = Int32(what);
            if (count < 0 || count > max)
            {
                throw Error(offset, $"{what} has {count} entries, more than the {max} allowed");
            }

            int[] values = new int[count];
            for (int i = 0; i < count; i++)
            {
                values[i] = Int32(what);
            }

            return values;
        }

        public string Text(string what)
        {
            long offset = Offset;
            int length = Int32(what);
            if (length < 1 || length > 256)
            {
                throw Error(offset, $"{what} has a name length of {length} bytes, outside 1 to 256");
            }

            byte[] bytes = new byte[length];
            Bytes(bytes, what);
            return Encoding.UTF8.GetString(bytes);
        }

        public void Floats(float[] values, string what)
        {
            byte[] bytes = new byte[values.Length * sizeof(float)];
            Bytes(bytes, what);
            for (int i = 0; i < values.Length; i++)
            {
                values[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(i * sizeof(float)));
            }
        }
    }
}
