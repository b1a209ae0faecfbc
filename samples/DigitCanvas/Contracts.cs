namespace DigitCanvas;

/// <summary>The body of <c>POST /api/predict</c>.</summary>
/// <param name="Width">Canvas width in pixels, 1 to 1024.</param>
/// <param name="Height">Canvas height in pixels, 1 to 1024.</param>
/// <param name="Pixels">The canvas in base64: one greyscale byte per pixel, row-major, 0 = background, 255 = ink.</param>
/// <param name="Model">A model name from <c>GET /api/models</c>; <c>seed</c> when omitted.</param>
/// <param name="Layers">Whether to answer with every layer's output (<see cref="PredictResponse.Layers"/>), which the page asks for only to draw the network.</param>
public sealed record PredictRequest(int Width, int Height, string? Pixels, string? Model, bool Layers = false);

/// <summary>The answer of <c>POST /api/predict</c>.</summary>
/// <param name="Model">The model that answered.</param>
/// <param name="Empty"><see langword="true"/> when nothing is drawn; every other field is then null.</param>
/// <param name="Digit">The predicted digit (the largest output).</param>
/// <param name="Probabilities">The ten outputs divided by their sum (the seed's outputs are ten independent sigmoids, not a distribution).</param>
/// <param name="Inputs">The 784 inputs after <c>DigitImage.FromCanvas</c>: what the network sees.</param>
/// <param name="Layers">The output of every layer, input side first, when the request asked for <c>layers</c>; else null.</param>
/// <param name="ServerMilliseconds">Time spent on the server decoding, preprocessing and running the network.</param>
public sealed record PredictResponse(
    string Model,
    bool Empty,
    int? Digit,
    float[]? Probabilities,
    float[]? Inputs,
    IReadOnlyList<LayerActivations>? Layers,
    double ServerMilliseconds);

/// <summary>One layer's output for one image.</summary>
/// <param name="Name">The layer's display name, such as <c>Dense(784→16)</c>.</param>
/// <param name="Kind"><c>dense</c>, <c>sigmoid</c>, …</param>
/// <param name="Size">How many values the layer outputs.</param>
/// <param name="Activations">The layer's outputs, or null when there are more than <see cref="PredictEndpoint.MaxLayerValues"/> of them.</param>
public sealed record LayerActivations(string Name, string Kind, int Size, float[]? Activations);

/// <summary>An error answer (400, 404, 415 or 503).</summary>
/// <param name="Error">What is wrong with the request.</param>
public sealed record ErrorResponse(string Error);

/// <summary>An entry of <c>GET /api/models</c>.</summary>
/// <param name="Name">The name to send as <c>model</c>.</param>
/// <param name="Description">What the model is.</param>
public sealed record ModelSummary(string Name, string Description);

/// <summary>The answer of <c>GET /api/models/{name}</c>: the layers, with the weights of the dense ones.</summary>
/// <param name="Name">The model name.</param>
/// <param name="Description">What the model is.</param>
/// <param name="InputShape">The shape of one input, [784].</param>
/// <param name="Layers">The layers, input side first.</param>
public sealed record ModelDescription(string Name, string Description, int[] InputShape, IReadOnlyList<LayerDescription> Layers);

/// <summary>One layer of a <see cref="ModelDescription"/>.</summary>
/// <param name="Name">The layer's display name.</param>
/// <param name="Kind"><c>dense</c>, <c>sigmoid</c>, …</param>
/// <param name="Inputs">A dense layer's inputs, else null.</param>
/// <param name="Outputs">A dense layer's outputs, else null.</param>
/// <param name="Weights">A dense layer's W, row-major [outputs, inputs] (row i holds the weights into neuron i), else null.</param>
/// <param name="Biases">A dense layer's b, else null.</param>
public sealed record LayerDescription(string Name, string Kind, int? Inputs, int? Outputs, float[]? Weights, float[]? Biases);
