using System.Diagnostics;
using ScratchNet;

namespace DigitCanvas;

/// <summary>
/// <c>POST /api/predict</c>: reads the body itself so that every bad request, including one too large
/// or not JSON at all, gets a 400 (415 for a body that is not <c>application/json</c>, 503 when
/// <see cref="PredictionGate"/> is full) with a JSON error that says what is wrong.
/// </summary>
public static class PredictEndpoint
{
    /// <summary>The largest body accepted, in bytes (1 MB).</summary>
    public const int MaxBodyBytes = JsonBody.MaxBodyBytes;

    /// <summary>The largest layer output sent in full when <c>layers</c> is asked for; larger ones are sent as their size alone.</summary>
    public const int MaxLayerValues = 1024;

    /// <summary>Handles one request.</summary>
    /// <param name="context">The request.</param>
    /// <param name="models">The models.</param>
    /// <param name="gate">Bounds the predictions in flight.</param>
    public static async Task<IResult> HandleAsync(HttpContext context, ModelCatalog models, PredictionGate gate)
    {
        long start = Stopwatch.GetTimestamp();
        if (JsonBody.ContentTypeError(context.Request.ContentType) is { } typeError)
        {
            return JsonBody.Error(typeError, StatusCodes.Status415UnsupportedMediaType);
        }

        (byte[]? body, string? error) = await JsonBody.ReadAsync(context.Request, "The body is empty: send JSON {width, height, pixels, model}.", context.RequestAborted);
        if (body is null)
        {
            return BadRequest(error!);
        }

        (PredictRequest? request, error) = PredictRequestReader.Read(body);
        if (request is null)
        {
            return BadRequest(error!);
        }

        string model = string.IsNullOrEmpty(request.Model) ? ModelCatalog.DefaultModel : request.Model;
        if (!models.Contains(model))
        {
            return BadRequest(models.UnknownModelMessage(model));
        }

        if ((SideError("width", request.Width) ?? SideError("height", request.Height)) is { } sideError)
        {
            return BadRequest(sideError);
        }

        if (request.Pixels is null)
        {
            return BadRequest("pixels is missing: send the canvas as base64, one greyscale byte per pixel, row-major.");
        }

        byte[] pixels = new byte[(request.Pixels.Length * 3 / 4) + 3];
        if (!Convert.TryFromBase64String(request.Pixels, pixels, out int length))
        {
            return BadRequest("pixels is not valid base64.");
        }

        int expected = request.Width * request.Height;
        if (length != expected)
        {
            return BadRequest($"pixels holds {length} bytes, but width × height is {request.Width} × {request.Height} = {expected}: send one byte per pixel.");
        }

        using IDisposable? turn = await gate.EnterAsync(context.RequestAborted);
        if (turn is null)
        {
            return JsonBody.Busy(
                context,
                $"The server is busy: {gate.MaxRunning} predictions are running and {gate.MaxWaiting} are waiting. Try again in {gate.RetryAfterSeconds} s.",
                gate.RetryAfterSeconds);
        }

        float[]? inputs = DigitImage.FromCanvas(pixels.AsSpan(0, length), request.Width, request.Height);
        if (inputs is null)
        {
            return Results.Json(new PredictResponse(model, true, null, null, null, null, Elapsed(start)), JsonBody.Options);
        }

        if (models.Run(model, inputs) is not { } layers)
        {
            return BadRequest(models.UnknownModelMessage(model));
        }

        float[] outputs = layers[^1].Activations!;
        return Results.Json(
            new PredictResponse(
                model,
                false,
                ArgMax(outputs),
                Probabilities(outputs, logits: layers[^1].Kind == "dense"),
                inputs,
                request.Layers ? [.. layers.Select(Compact)] : null,
                Elapsed(start)),
            JsonBody.Options);
    }

    /// <summary>
    /// Ten numbers that add up to 1 for the bars. A network that ends in a dense layer gives logits (the
    /// ConvNet, trained with softmax cross-entropy): their softmax. The seed's outputs are independent
    /// sigmoids in (0, 1), whose softmax would be nearly flat: they are divided by their sum instead.
    /// </summary>
    /// <param name="outputs">The network's outputs.</param>
    /// <param name="logits">Whether the outputs are logits.</param>
    public static float[] Probabilities(ReadOnlySpan<float> outputs, bool logits = false)
    {
        float[] probabilities = new float[outputs.Length];
        if (logits)
        {
            float max = float.NegativeInfinity;
            foreach (float z in outputs)
            {
                max = Math.Max(max, z);
            }

            double total = 0;
            for (int k = 0; k < outputs.Length; k++)
            {
                total += probabilities[k] = MathF.Exp(outputs[k] - max);
            }

            for (int k = 0; k < outputs.Length; k++)
            {
                probabilities[k] = (float)(probabilities[k] / total);
            }

            return probabilities;
        }

        float sum = 0;
        foreach (float a in outputs)
        {
            sum += Math.Max(a, 0f);
        }

        for (int k = 0; k < outputs.Length; k++)
        {
            probabilities[k] = sum > 0 ? Math.Max(outputs[k], 0f) / sum : 1f / outputs.Length;
        }

        return probabilities;
    }

    private static int ArgMax(ReadOnlySpan<float> values)
    {
        int best = 0;
        for (int k = 1; k < values.Length; k++)
        {
            if (values[k] > values[best])
            {
                best = k;
            }
        }

        return best;
    }

    private static string? SideError(string name, int side) =>
        side is < 1 or > DigitImage.MaxSide
            ? $"{name} must be from 1 to {DigitImage.MaxSide} pixels (images up to {DigitImage.MaxSide} × {DigitImage.MaxSide}), but it is {side}."
            : null;

    /// <summary>
    /// A layer's output as sent: in full up to <see cref="MaxLayerValues"/> values (every layer of a dense
    /// network, the ConvNet's dense layers), else only its size: the ConvNet's convolution maps made its
    /// answer 1.37 MB for a 1.1 KB request, and the page draws dense networks only.
    /// </summary>
    private static LayerActivations Compact(LayerActivations layer) =>
        layer.Size <= MaxLayerValues ? layer : layer with { Activations = null };

    private static IResult BadRequest(string error) => JsonBody.BadRequest(error);

    private static double Elapsed(long start) => Math.Round(Stopwatch.GetElapsedTime(start).TotalMilliseconds, 3);
}
