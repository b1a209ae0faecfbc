using System.Diagnostics;
using System.Text.Encodings.Web;
using System.Text.Json;
using ScratchNet;

namespace DigitCanvas;

/// <summary>
/// <c>POST /api/predict</c>: reads the body itself so that every bad request, including one too large
/// or not JSON at all, gets a 400 with a JSON error that says what is wrong.
/// </summary>
public static class PredictEndpoint
{
    /// <summary>The largest body accepted, in bytes (1 MB).</summary>
    public const int MaxBodyBytes = 1 << 20;

    // Relaxed escaping keeps quotes and × readable in error messages; the answers are JSON, never HTML.
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Handles one request.</summary>
    /// <param name="context">The request.</param>
    /// <param name="models">The models.</param>
    public static async Task<IResult> HandleAsync(HttpContext context, ModelCatalog models)
    {
        long start = Stopwatch.GetTimestamp();
        (byte[]? body, string? error) = await ReadBodyAsync(context.Request, context.RequestAborted);
        if (body is null)
        {
            return BadRequest(error!);
        }

        PredictRequest? request;
        try
        {
            request = JsonSerializer.Deserialize<PredictRequest>(body, Json);
        }
        catch (JsonException e)
        {
            return BadRequest($"The body is not valid JSON for {{width, height, pixels, model}}: {e.Message}");
        }

        if (request is null)
        {
            return BadRequest("The body must be a JSON object {width, height, pixels, model}, not null.");
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

        float[]? inputs = DigitImage.FromCanvas(pixels.AsSpan(0, length), request.Width, request.Height);
        if (inputs is null)
        {
            return Results.Json(new PredictResponse(model, true, null, null, null, null, Elapsed(start)), Json);
        }

        IReadOnlyList<LayerActivations> layers = models.Run(model, inputs);
        float[] outputs = layers[^1].Activations;
        return Results.Json(
            new PredictResponse(model, false, ArgMax(outputs), Probabilities(outputs, logits: layers[^1].Kind == "dense"), inputs, layers, Elapsed(start)),
            Json);
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

    private static async Task<(byte[]? Body, string? Error)> ReadBodyAsync(HttpRequest request, CancellationToken cancel)
    {
        if (request.ContentLength > MaxBodyBytes)
        {
            return (null, TooLarge(request.ContentLength.Value));
        }

        using var buffer = new MemoryStream();
        byte[] chunk = new byte[64 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancel)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                return (null, TooLarge(null));
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.Length == 0
            ? (null, "The body is empty: send JSON {width, height, pixels, model}.")
            : (buffer.ToArray(), null);
    }

    private static string TooLarge(long? length) =>
        $"The body is {(length is null ? "over 1048576" : length.Value.ToString(System.Globalization.CultureInfo.InvariantCulture))} bytes; the limit is {MaxBodyBytes} bytes (1 MB). Send a smaller canvas.";

    private static string? SideError(string name, int side) =>
        side is < 1 or > DigitImage.MaxSide
            ? $"{name} must be from 1 to {DigitImage.MaxSide} pixels (images up to {DigitImage.MaxSide} × {DigitImage.MaxSide}), but it is {side}."
            : null;

    private static IResult BadRequest(string error) => Results.Json(new ErrorResponse(error), Json, statusCode: StatusCodes.Status400BadRequest);

    private static double Elapsed(long start) => Math.Round(Stopwatch.GetElapsedTime(start).TotalMilliseconds, 3);
}
