namespace ScratchNet;

/// <summary>How <see cref="Onnx.Export(Network, string, OnnxExportOptions?)"/> names and finishes the exported graph.</summary>
public sealed class OnnxExportOptions
{
    /// <summary>The name of the graph's input, <c>"input"</c> unless set.</summary>
    public string InputName { get; init; } = "input";

    /// <summary>The name of the graph's output, <c>"output"</c> unless set.</summary>
    public string OutputName { get; init; } = "output";

    /// <summary>
    /// Appends a Softmax over the outputs. For a network trained with <see cref="SoftmaxCrossEntropyCost"/>,
    /// which ends with logits, this exports probabilities instead; off by default, so the graph gives exactly
    /// what <see cref="Network.Predict(Tensor)"/> gives.
    /// </summary>
    public bool AppendSoftmax { get; init; }

    /// <summary>A line of your own put before the architecture in the model's doc string, or <see langword="null"/>.</summary>
    public string? Description { get; init; }
}
