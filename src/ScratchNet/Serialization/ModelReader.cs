using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace ScratchNet.Serialization;

/// <summary>
/// Reads a model file of any version (docs/model-format.md) without trusting it: the whole file is read
/// first, its CRC-32 checked (version 3), every declared size checked against the bytes that remain and
/// the format's limits, every value checked to be finite, and only then is the network built. Nothing
/// is allocated that the file's own size does not pay for.
/// </summary>
internal static class ModelReader
{
    /// <summary>Reads a whole model file; file-system problems become <see cref="IOException"/>s that name <paramref name="path"/>.</summary>
    public static ModelContents ReadFile(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (Directory.Exists(path))
        {
            throw new IOException($"Cannot load the model from {path}: it is a directory, not a file.");
        }

        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
        }
        catch (FileNotFoundException e)
        {
            throw new FileNotFoundException($"Cannot load the model from {path}: the file does not exist.", path, e);
        }
        catch (DirectoryNotFoundException e)
        {
            throw new DirectoryNotFoundException($"Cannot load the model from {path}: its folder does not exist.", e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new IOException($"Cannot load the model from {path}: access is denied.", e);
        }

        using (stream)
        {
            try
            {
                return Read(stream, path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException && e is not FileNotFoundException)
            {
                throw new IOException($"Cannot load the model from {path}: reading it failed: {e.Message}", e);
            }
        }
    }

    /// <summary>Reads a whole model from a stream.</summary>
    /// <param name="stream">The stream, at the start of the model; read to its end.</param>
    /// <param name="source">The file name or "stream", for messages.</param>
    /// <returns>The network and the named sections after its layers (a checkpoint's training state).</returns>
    public static ModelContents Read(Stream stream, string source)
    {
        (byte[] data, int length) = ReadAll(stream, source);
        var reader = new ByteReader(data, length, source);
        ReadOnlySpan<byte> magic = reader.Bytes(4, "the magic number");
        if (!magic.SequenceEqual(ModelFormat.Magic))
        {
            throw reader.Error(0, $"it is not a ScratchNet model: it starts with 0x{Convert.ToHexString(magic)}, not \"SCNN\" (0x{Convert.ToHexString(ModelFormat.Magic)})");
        }

        int version = reader.Int32("the format version");
        if (version > ModelFormat.Version)
        {
            throw reader.Error(4, $"it is format version {version}, newer than this library reads ({ModelFormat.Version}); update ScratchNet");
        }

        if (version < 1)
        {
            throw reader.Error(4, $"format version {version} does not exist");
        }

        int end = length;
        if (version >= 3)
        {
            end = CheckFrame(reader, length);
        }

        var body = new ModelBody(reader, version);
        ModelContents contents = body.Read();
        if (reader.Offset != end)
        {
            throw reader.Error(reader.Offset, $"{end - reader.Offset} bytes follow the end marker; a model file ends there");
        }

        return contents;
    }

    /// <summary>Checks version 3's body length and CRC-32 before anything in the body is read; returns where the body ends.</summary>
    private static int CheckFrame(ByteReader reader, int length)
    {
        long declared = reader.Int64("the body length");
        long expected = (long)length - ModelFormat.HeaderBytes - ModelFormat.ChecksumBytes;
        if (declared != expected)
        {
            throw declared < expected
                ? reader.Error(8, $"{expected - declared} bytes follow the model: the header declares a body of {declared} bytes, so the file should have {declared + ModelFormat.HeaderBytes + ModelFormat.ChecksumBytes} bytes, but it has {length}")
                : reader.Error(8, $"the file is truncated: the header declares a body of {declared} bytes, so the file should have {declared + ModelFormat.HeaderBytes + ModelFormat.ChecksumBytes} bytes, but it has {length}");
        }

        int end = length - ModelFormat.ChecksumBytes;
        uint stored = BinaryPrimitives.ReadUInt32LittleEndian(reader.Data[end..]);
        uint actual = Crc32.Compute(reader.Data[..end]);
        if (stored != actual)
        {
            throw reader.Error(end, $"the file is damaged: its CRC-32 is 0x{stored:X8}, but its contents give 0x{actual:X8}");
        }

        return end;
    }

    /// <summary>Reads a stream to its end, growing the buffer only as bytes arrive, up to <see cref="ModelFormat.MaxFileBytes"/>.</summary>
    private static (byte[] Data, int Length) ReadAll(Stream stream, string source)
    {
        long known = stream.CanSeek ? Math.Max(0, stream.Length - stream.Position) : 0;
        if (known > ModelFormat.MaxFileBytes)
        {
            throw TooLarge(source, known);
        }

        // A seekable file's length is a fact; /proc files and pipes report 0 and are grown as they are read.
        byte[] data = new byte[known > 0 ? known + 1 : 1 << 16];
        int length = 0;
        while (true)
        {
            if (length == data.Length)
            {
                if (length >= ModelFormat.MaxFileBytes)
                {
                    throw TooLarge(source, length);
                }

                Array.Resize(ref data, (int)Math.Min(2L * data.Length, ModelFormat.MaxFileBytes + 1));
            }

            int read = stream.Read(data, length, data.Length - length);
            if (read == 0)
            {
                return (data, length);
            }

            length += read;
            if (length >= 4 && !data.AsSpan(0, 4).SequenceEqual(ModelFormat.Magic))
            {
                return (data, length);   // not a model: stop reading (an endless device such as /dev/zero)
            }
        }
    }

    private static InvalidDataException TooLarge(string source, long bytes) =>
        new($"Cannot load the model from {source}: it has {bytes} bytes or more, larger than the {ModelFormat.MaxFileBytes} bytes a model file may have.");

    /// <summary>The layers, tensors and sections of a body, read in file order.</summary>
    private sealed class ModelBody(ByteReader reader, int version)
    {
        private readonly List<(Tensor Target, int Offset)> _values = [];

        public ModelContents Read()
        {
            int shapeOffset = reader.Offset;
            int[] inputShape = reader.Ints("the input shape", ModelFormat.MaxRank);
            CheckInputShape(inputShape, shapeOffset);
            int layerCount = reader.Count("the layer count", 1, ModelFormat.MaxLayers);
            var layers = new Layer[layerCount];
            for (int i = 0; i < layerCount; i++)
            {
                layers[i] = ReadLayer(i);
            }

            var sections = new Dictionary<string, ReadOnlyMemory<byte>>(StringComparer.Ordinal);
            if (version >= 3)
            {
                int count = reader.Count("the section count", 0, ModelFormat.MaxTensors);
                for (int s = 0; s < count; s++)
                {
                    int offset = reader.Offset;
                    string name = reader.Text($"the name of section {s}");
                    int length = reader.Count($"the length of section \"{name}\"", 0, int.MaxValue);
                    int start = reader.Offset;
                    reader.Bytes(length, $"section \"{name}\"");
                    if (!sections.TryAdd(name, reader.Data.Slice(start, length).ToArray()))
                    {
                        throw reader.Error(offset, $"the section \"{name}\" appears twice");
                    }
                }
            }

            int endOffset = reader.Offset;
            if (!reader.Bytes(4, "the end marker").SequenceEqual(ModelFormat.EndMarker))
            {
                throw reader.Error(endOffset, "the end marker \"END.\" is missing");
            }

            Network network;
            try
            {
                network = new Network(inputShape, layers);
            }
            catch (ArgumentException e)
            {
                throw new InvalidDataException($"Cannot load the model from {reader.Source}: its layers do not fit together: {e.Message}", e);
            }

            // Every check has passed: only now do the file's values replace the initial ones.
            foreach ((Tensor target, int offset) in _values)
            {
                CopyValues(reader.Data.Slice(offset, 4 * target.Length), target.Span);
            }

            return new ModelContents(network, sections);
        }

        private Layer ReadLayer(int i)
        {
            int typeOffset = reader.Offset;
            string typeName = reader.Text($"the type of layer {i}");
            int settingsOffset = reader.Offset;
            double[] settings = version >= 3 ? ReadSettings(i, typeName) : LegacySettings(typeName, reader.Ints($"the configuration of layer {i} ({typeName})", ModelFormat.MaxSettings));
            LayerType type = LayerTypes.Find(typeName)
                ?? throw reader.Error(typeOffset, $"layer {i} has the unknown type \"{typeName}\"{(version >= 3 ? "; if it is a custom layer, register it with LayerTypes.Register before loading" : "")}");

            // Read the tensors' shapes first: their sizes are checked against the file before the layer
            // allocates its own, and a built-in layer's settings must agree with them.
            var parameters = ReadTensorHeaders(i, typeName, "parameter");
            var state = version >= 2 ? ReadTensorHeaders(i, typeName, "state tensor") : [];
            double declaredValues = parameters.Sum(t => (double)t.Length) + state.Sum(t => (double)t.Length);
            Layer layer;
            try
            {
                if (!settings.All(double.IsFinite))
                {
                    throw new ArgumentException("a setting is not a finite number");
                }

                // Inside the try: a value count refuses a wrong number of settings as the factory would.
                if (type.ValueCount is { } valueCount && valueCount(settings) != declaredValues)
                {
                    throw reader.Error(settingsOffset, $"layer {i} ({typeName}) with settings {Format(settings)} holds {valueCount(settings)} values, but the file gives it {declaredValues}");
                }

                layer = type.Create(settings);
            }
            catch (IndexOutOfRangeException)
            {
                throw reader.Error(settingsOffset, $"layer {i} ({typeName}) does not accept the settings {Format(settings)}: its factory needs more of them");
            }
            catch (ArgumentException e)
            {
                // ArgumentException appends "(Parameter 'x')" and the actual value; the settings already say both.
                string reason = e.Message.Split(" (Parameter '")[0].TrimEnd('.');
                throw reader.Error(settingsOffset, $"layer {i} ({typeName}) does not accept the settings {Format(settings)}: {reason}");
            }

            Match(i, layer, parameters, [.. layer.Parameters.Select(p => (p.Name, p.Value, false))], "parameter");
            Match(i, layer, state, [.. layer.State.Select(s => (s.Name, s.Value, s.NonNegative))], "state tensor");
            return layer;
        }

        private double[] ReadSettings(int i, string typeName)
        {
            int count = reader.Count($"the settings count of layer {i} ({typeName})", 0, ModelFormat.MaxSettings);
            double[] settings = new double[count];
            for (int s = 0; s < count; s++)
            {
                settings[s] = reader.Double($"setting {s} of layer {i} ({typeName})");
            }

            return settings;
        }

        /// <summary>Reads each tensor's name (version 3) and shape and skips its values, checking that the file holds them.</summary>
        private List<TensorHeader> ReadTensorHeaders(int i, string typeName, string kind)
        {
            int count = reader.Count($"the {kind} count of layer {i} ({typeName})", 0, ModelFormat.MaxTensors);
            var headers = new List<TensorHeader>(count);
            for (int t = 0; t < count; t++)
            {
                string? name = version >= 3 ? reader.Text($"the name of {kind} {t} of layer {i} ({typeName})") : null;
                int shapeOffset = reader.Offset;
                string what = $"{kind} {name ?? t.ToString(System.Globalization.CultureInfo.InvariantCulture)} of layer {i} ({typeName})";
                int[] shape = reader.Ints($"the shape of {what}", ModelFormat.MaxRank);
                long length = 1;
                foreach (int dimension in shape)
                {
                    if (dimension < 1)
                    {
                        throw reader.Error(shapeOffset, $"the shape {Tensor.FormatShape(shape)} of {what} has a size below 1");
                    }

                    length = Math.Min(length * dimension, int.MaxValue + 1L);
                }

                if (4 * length > reader.Remaining)
                {
                    throw reader.Error(reader.Offset, $"the file is truncated: the values of {what}, shape {Tensor.FormatShape(shape)}, need {4 * length} bytes but only {reader.Remaining} remain");
                }

                headers.Add(new TensorHeader(name, shape, (int)length, reader.Offset, what));
                reader.Offset += (int)(4 * length);
            }

            return headers;
        }

        /// <summary>Checks the file's tensors against the layer's own (count, names, shapes, values) and queues their values.</summary>
        private void Match(int i, Layer layer, List<TensorHeader> file, (string Name, Tensor Value, bool NonNegative)[] needed, string kind)
        {
            if (file.Count != needed.Length)
            {
                throw reader.Error(file.Count > 0 ? file[0].Offset : reader.Offset, $"layer {i} ({layer.Name}) has {file.Count} {kind}s in the file but needs {needed.Length}");
            }

            for (int t = 0; t < needed.Length; t++)
            {
                TensorHeader header = file[t];
                (string name, Tensor target, bool nonNegative) = needed[t];
                if (header.Name is not null && header.Name != name)
                {
                    throw reader.Error(header.Offset, $"{kind} {t} of layer {i} ({layer.Name}) is called \"{header.Name}\" in the file but the layer's is \"{name}\"");
                }

                if (!target.HasShape(header.Shape))
                {
                    throw reader.Error(header.Offset, $"{name} of layer {i} ({layer.Name}) has shape {Tensor.FormatShape(header.Shape)} in the file but the layer needs {Tensor.FormatShape(target.Shape)}");
                }

                ReadOnlySpan<float> values = MemoryMarshal.Cast<byte, float>(reader.Data.Slice(header.Offset, 4 * header.Length));
                for (int v = 0; v < values.Length; v++)
                {
                    float value = BitConverter.IsLittleEndian ? values[v] : BinaryPrimitives.ReadSingleLittleEndian(reader.Data[(header.Offset + (4 * v))..]);
                    if (!(Math.Abs(value) <= ModelFormat.MaxMagnitude) || (nonNegative && value < 0f))
                    {
                        string rule = nonNegative ? "it must be a number from 0 to 1E+12" : "it must be a finite number from -1E+12 to 1E+12";
                        throw reader.Error(header.Offset + (4 * v), $"value {v} of {name} of layer {i} ({layer.Name}) is {value}; {rule}");
                    }
                }

                _values.Add((target, header.Offset));
            }
        }

        private void CheckInputShape(int[] shape, int offset)
        {
            long size = 1;
            foreach (int dimension in shape)
            {
                if (dimension < 1)
                {
                    throw reader.Error(offset, $"the input shape {Tensor.FormatShape(shape)} has a size below 1");
                }

                size *= dimension;
                if (size > ModelFormat.MaxSampleValues)
                {
                    throw reader.Error(offset, $"the input shape {Tensor.FormatShape(shape)} holds more than {ModelFormat.MaxSampleValues} values per sample");
                }
            }

            if (shape.Length == 0)
            {
                throw reader.Error(offset, "the input shape is empty");
            }
        }

        private static void CopyValues(ReadOnlySpan<byte> bytes, Span<float> target)
        {
            if (BitConverter.IsLittleEndian)
            {
                MemoryMarshal.Cast<byte, float>(bytes).CopyTo(target);
                return;
            }

            for (int v = 0; v < target.Length; v++)
            {
                target[v] = BinaryPrimitives.ReadSingleLittleEndian(bytes[(4 * v)..]);
            }
        }

        private static string Format(double[] settings) => "[" + string.Join(", ", settings.Select(s => s.ToString("R", System.Globalization.CultureInfo.InvariantCulture))) + "]";

        /// <summary>Versions 1 and 2 stored settings as int32, a float setting as its IEEE 754 bits.</summary>
        private static double[] LegacySettings(string typeName, int[] settings)
        {
            double[] values = settings.Select(s => (double)s).ToArray();
            int[] floatSettings = typeName switch
            {
                "Dropout" or "LeakyReLU" => [0],
                "BatchNorm" => [1, 2],
                _ => [],
            };
            foreach (int s in floatSettings.Where(s => s < settings.Length))
            {
                values[s] = BitConverter.Int32BitsToSingle(settings[s]);
            }

            return values;
        }
    }

    /// <summary>What the file says of one tensor: its name (version 3), shape, value count and where its values start.</summary>
    private sealed record TensorHeader(string? Name, int[] Shape, int Length, int Offset, string What);
}

/// <summary>A network read from a model file, with the named sections that followed its layers.</summary>
internal sealed record ModelContents(Network Network, IReadOnlyDictionary<string, ReadOnlyMemory<byte>> Sections);
