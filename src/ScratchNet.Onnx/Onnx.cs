using Google.Protobuf;
using ScratchNet.OnnxSchema;
using ScratchNet.Serialization;

namespace ScratchNet;

/// <summary>
/// ONNX export and import of ScratchNet networks.
/// <code>
/// Onnx.Export(Pretrained.MnistBest(), "mnist-best.onnx");   // for ONNX Runtime, ML.NET, Netron
/// Network network = Onnx.Import("model.onnx");               // e.g. from PyTorch's torch.onnx.export
/// </code>
/// </summary>
/// <remarks>
/// Models are written in ONNX IR version <see cref="IrVersion"/> with operator set <see cref="Opset"/>, and
/// files of operator sets <see cref="MinimumImportOpset"/> to <see cref="MaximumImportOpset"/> are read.
/// The layouts, the operators and the tolerances are described in docs/onnx.md.
/// </remarks>
public static class Onnx
{
    /// <summary>The ONNX IR version written: 8 (ONNX 1.10 to 1.12), what PyTorch 1.13 writes and every ONNX Runtime since 1.10 reads.</summary>
    public const int IrVersion = 8;

    /// <summary>
    /// The operator set written: 13, the first whose Softmax normalises one axis (as ScratchNet's does) rather
    /// than flattening to 2-D; every operator used here is unchanged from 13 to 17.
    /// </summary>
    public const int Opset = 13;

    /// <summary>The oldest operator set <see cref="Import(string)"/> reads (PyTorch 1.13 writes 9 to 17).</summary>
    public const int MinimumImportOpset = 9;

    /// <summary>The newest operator set <see cref="Import(string)"/> reads.</summary>
    public const int MaximumImportOpset = 17;

    /// <summary>The largest model file <see cref="Import(string)"/> reads: 512 MiB (ScratchNet's best MNIST network takes 1.6 MB).</summary>
    public const long MaxModelBytes = 512L * 1024 * 1024;

    /// <summary>
    /// Writes <paramref name="network"/> as an ONNX model. The input has the network's input shape with a
    /// symbolic batch dimension <c>N</c> first, in ScratchNet's layout (images channels-last), so that the
    /// same numbers give the same outputs as <see cref="Network.Predict(Tensor)"/>. The file is written to a
    /// temporary file beside it and renamed, as <see cref="Network.Save(string)"/> does.
    /// </summary>
    /// <param name="network">The network; Dropout layers are left out (inference), batch norm uses its running statistics.</param>
    /// <param name="path">The .onnx file; replaced if it exists.</param>
    /// <param name="options">Names of the input and output, a final Softmax; the defaults if <see langword="null"/>.</param>
    /// <exception cref="NotSupportedException">A layer cannot be exported (a custom layer without <see cref="IOnnxExportable"/>); the message names it, and nothing is written.</exception>
    /// <exception cref="ArgumentException">A weight is NaN or infinite, or the options name the input and output alike; nothing is written.</exception>
    /// <exception cref="IOException">The file cannot be written; the message names <paramref name="path"/>.</exception>
    public static void Export(Network network, string path, OnnxExportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentException.ThrowIfNullOrEmpty(path);
        byte[] bytes = OnnxExporter.ToModel(network, options ?? new OnnxExportOptions()).ToByteArray();
        AtomicFile.Write(path, stream => stream.Write(bytes));
    }

    /// <summary>
    /// Reads an ONNX model into a <see cref="Network"/> of built-in layers that can be evaluated, trained
    /// further and saved. The graph must be a chain of the operators PyTorch writes for such networks: Gemm,
    /// or MatMul then Add; Conv; MaxPool; BatchNormalization; Relu, LeakyRelu, Sigmoid, Tanh, Softmax;
    /// Flatten or Reshape to 2-D; Dropout and Identity; with Constant and Transpose between channel layouts.
    /// A channels-first image input <c>[N, C, H, W]</c> becomes ScratchNet's channels-last <c>[H, W, C]</c>
    /// (the same memory when C = 1, as for MNIST).
    /// </summary>
    /// <param name="path">The .onnx file.</param>
    /// <exception cref="InvalidDataException">The file is not a well-formed model: not ONNX, truncated, larger than <see cref="MaxModelBytes"/>, a tensor whose data does not fit its dimensions or exceeds the limits, a non-finite weight, a graph that is not a chain. The message names the node or tensor.</exception>
    /// <exception cref="NotSupportedException">The model is valid ONNX but uses an operator, attribute, data type or operator set that ScratchNet has no layer for; the message names the node, its operator and what is supported.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static Network Import(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        if (stream.Length > MaxModelBytes)
        {
            throw new InvalidDataException($"{path} holds {stream.Length:N0} bytes; ONNX models of more than {MaxModelBytes:N0} bytes are not read.");
        }

        byte[] bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        return OnnxImporter.Import(bytes, path);
    }

    /// <summary>Reads an ONNX model from a stream, read to its end, as <see cref="Import(string)"/> does.</summary>
    /// <param name="stream">The stream, positioned at the start of the model.</param>
    /// <exception cref="InvalidDataException">The contents are not a well-formed model (see <see cref="Import(string)"/>).</exception>
    /// <exception cref="NotSupportedException">The model uses something ScratchNet has no layer for.</exception>
    /// <exception cref="IOException">Reading the stream fails.</exception>
    public static Network Import(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var buffer = new MemoryStream();
        byte[] chunk = new byte[81920];
        int read;
        while ((read = stream.Read(chunk)) > 0)
        {
            if (buffer.Length + read > MaxModelBytes)
            {
                throw new InvalidDataException($"The stream holds more than {MaxModelBytes:N0} bytes; larger ONNX models are not read.");
            }

            buffer.Write(chunk, 0, read);
        }

        return OnnxImporter.Import(buffer.ToArray(), "stream");
    }
}
