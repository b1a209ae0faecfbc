using System.Buffers.Binary;
using System.Text;

namespace ScratchNet.Serialization;

/// <summary>Writes format version 3 (docs/model-format.md): header, body, CRC-32.</summary>
internal static class ModelWriter
{
    /// <summary>The whole file for the network and the named sections after its layers (a checkpoint's training state).</summary>
    /// <exception cref="NotSupportedException">A layer's type is not registered in <see cref="LayerTypes"/>.</exception>
    /// <exception cref="InvalidOperationException">A value is not finite, or a setting or name does not fit the format.</exception>
    public static byte[] ToBytes(Network network, IReadOnlyDictionary<string, byte[]>? sections = null)
    {
        using var file = new MemoryStream();
        Write(network, file, sections);
        return file.ToArray();
    }

    /// <summary>Writes the network, and the named sections after its layers; nothing reaches the stream if a check fails.</summary>
    /// <exception cref="NotSupportedException">A layer's type is not registered in <see cref="LayerTypes"/>.</exception>
    /// <exception cref="InvalidOperationException">A value is not finite, or a setting or name does not fit the format.</exception>
    public static void Write(Network network, Stream stream, IReadOnlyDictionary<string, byte[]>? sections = null)
    {
        // Check every layer first, so nothing is written for a network that cannot be saved or would not load.
        LayerType[] types = network.Layers.Select(LayerTypes.Of).ToArray();
        CheckLoadable(network);
        using var body = new MemoryStream();
        using (var writer = new BinaryWriter(body, Encoding.UTF8, leaveOpen: true))
        {
            WriteInts(writer, [.. network.InputShape]);
            writer.Write(network.Layers.Count);
            for (int i = 0; i < types.Length; i++)
            {
                Layer layer = network.Layers[i];
                WriteText(writer, types[i].Name);
                IReadOnlyList<double> settings = layer.Configuration;
                writer.Write(settings.Count);
                foreach (double setting in settings)
                {
                    writer.Write(setting);
                }

                writer.Write(layer.Parameters.Count);
                foreach (Parameter parameter in layer.Parameters)
                {
                    WriteTensor(writer, parameter.Name, parameter.Value);
                }

                writer.Write(layer.State.Count);
                foreach (StateTensor state in layer.State)
                {
                    WriteTensor(writer, state.Name, state.Value);
                }
            }

            writer.Write(sections?.Count ?? 0);
            foreach ((string name, byte[] bytes) in sections ?? new Dictionary<string, byte[]>())
            {
                WriteText(writer, name);
                writer.Write(bytes.Length);
                writer.Write(bytes);
            }

            writer.Write(ModelFormat.EndMarker);
        }

        Span<byte> header = stackalloc byte[ModelFormat.HeaderBytes];
        ModelFormat.Magic.CopyTo(header);
        BinaryPrimitives.WriteInt32LittleEndian(header[4..], ModelFormat.Version);
        BinaryPrimitives.WriteInt64LittleEndian(header[8..], body.Length);
        ReadOnlySpan<byte> content = body.GetBuffer().AsSpan(0, (int)body.Length);
        Span<byte> checksum = stackalloc byte[ModelFormat.ChecksumBytes];
        BinaryPrimitives.WriteUInt32LittleEndian(checksum, Crc32.Append(Crc32.Compute(header), content));
        stream.Write(header);
        stream.Write(content);
        stream.Write(checksum);
    }

    /// <summary>Refuses what the reader would refuse, so that every file written loads again.</summary>
    private static void CheckLoadable(Network network)
    {
        for (int i = 0; i < network.Layers.Count; i++)
        {
            Layer layer = network.Layers[i];
            if (layer.Configuration.Any(s => !double.IsFinite(s)) || layer.Configuration.Count > ModelFormat.MaxSettings)
            {
                throw new InvalidOperationException($"Layer {i} ({layer.Name}) cannot be saved: its Configuration must hold at most {ModelFormat.MaxSettings} finite numbers.");
            }

            var tensors = layer.Parameters.Select(p => (p.Name, p.Value, NonNegative: false))
                .Concat(layer.State.Select(s => (s.Name, s.Value, s.NonNegative)));
            foreach ((string name, Tensor value, bool nonNegative) in tensors)
            {
                if (Encoding.UTF8.GetByteCount(name) > ModelFormat.MaxNameBytes)
                {
                    throw new InvalidOperationException($"Layer {i} ({layer.Name}) cannot be saved: the name of its tensor \"{name[..16]}…\" is longer than {ModelFormat.MaxNameBytes} bytes.");
                }

                int bad = value.Span.IndexOfAnyExceptInRange(nonNegative ? 0f : -ModelFormat.MaxMagnitude, ModelFormat.MaxMagnitude);
                if (bad >= 0)
                {
                    throw new InvalidOperationException($"Layer {i} ({layer.Name}) cannot be saved: value {bad} of {name} is {value.Span[bad]}. A model file holds only numbers from {(nonNegative ? "0" : "-1E+12")} to 1E+12 here; training probably diverged.");
                }
            }
        }
    }

    private static void WriteTensor(BinaryWriter writer, string name, Tensor tensor)
    {
        WriteText(writer, name);
        WriteInts(writer, tensor.Shape.ToArray());
        foreach (float value in tensor.Span)
        {
            writer.Write(value);
        }
    }

    private static void WriteText(BinaryWriter writer, string text)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(text);
        writer.Write(bytes.Length);
        writer.Write(bytes);
    }

    private static void WriteInts(BinaryWriter writer, int[] values)
    {
        writer.Write(values.Length);
        foreach (int value in values)
        {
            writer.Write(value);
        }
    }
}
