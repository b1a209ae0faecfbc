namespace ScratchNet;

/// <summary>
/// Implemented by a custom layer that can be written to ONNX: the exporter calls
/// <see cref="ExportOnnx"/> where the layer stands in the network, and the layer adds the nodes that compute
/// its forward pass at inference. A custom layer without it makes the export fail, naming the layer.
/// <code>
/// // Swish: a = z·σ(z)
/// public string ExportOnnx(OnnxExportContext context) =>
///     context.AddNode("Mul", [context.Input, context.AddNode("Sigmoid", [context.Input])]);
/// </code>
/// </summary>
public interface IOnnxExportable
{
    /// <summary>Adds this layer's inference forward pass to the graph.</summary>
    /// <param name="context">
    /// The graph being built: <see cref="OnnxExportContext.Input"/> holds the layer's input in ScratchNet's own
    /// layout (batch first, then <see cref="OnnxExportContext.InputShape"/>, images channels-last).
    /// </param>
    /// <returns>The name of the value that holds the layer's output, batch first, of the shape <see cref="Layer.OutputShape"/> gives.</returns>
    string ExportOnnx(OnnxExportContext context);
}
