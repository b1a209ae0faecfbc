using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.Net.Http.Headers;

namespace DigitCanvas;

/// <summary>
/// Reading a JSON request body and writing JSON answers, the same way for every endpoint: the body read
/// up to <see cref="MaxBodyBytes"/> by hand (so a body too large or not JSON gets a 400 that says so),
/// <c>Content-Type</c> checked (415), errors as <c>{"error": "…"}</c>.
/// </summary>
internal static class JsonBody
{
    /// <summary>The largest body accepted, in bytes (1 MB).</summary>
    public const int MaxBodyBytes = 1 << 20;

    /// <summary>Relaxed escaping keeps quotes and × readable in error messages; the answers are JSON, never HTML.</summary>
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>What is wrong with the request's <c>Content-Type</c> (415), or <see langword="null"/> for JSON in UTF-8.</summary>
    public static string? ContentTypeError(string? contentType)
    {
        if (string.IsNullOrWhiteSpace(contentType))
        {
            return "Content-Type is missing: send the body as application/json.";
        }

        return MediaTypeHeaderValue.TryParse(contentType, out MediaTypeHeaderValue? type)
            && string.Equals(type.MediaType.Value, "application/json", StringComparison.OrdinalIgnoreCase)
            && (type.Charset.Length == 0 || string.Equals(type.Charset.Value, "utf-8", StringComparison.OrdinalIgnoreCase))
            ? null
            : $"Content-Type must be application/json (UTF-8), not {JsonFields.Clip(contentType)}.";
    }

    /// <summary>Reads the whole body, or says why not: over <see cref="MaxBodyBytes"/>, or empty (<paramref name="emptyError"/>).</summary>
    public static async Task<(byte[]? Body, string? Error)> ReadAsync(HttpRequest request, string emptyError, CancellationToken cancel)
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

        return buffer.Length == 0 ? (null, emptyError) : (buffer.ToArray(), null);
    }

    /// <summary>A JSON answer with the shared serializer options.</summary>
    public static IResult Ok<T>(T value, int status = StatusCodes.Status200OK) => Results.Json(value, Options, statusCode: status);

    /// <summary>A 400 with <paramref name="error"/>.</summary>
    public static IResult BadRequest(string error) => Error(error, StatusCodes.Status400BadRequest);

    /// <summary><c>{"error": "…"}</c> with <paramref name="status"/>.</summary>
    public static IResult Error(string error, int status) => Results.Json(new ErrorResponse(error), Options, statusCode: status);

    /// <summary>A 503 with <c>Retry-After</c>.</summary>
    public static IResult Busy(HttpContext context, string error, int retryAfterSeconds)
    {
        context.Response.Headers.RetryAfter = retryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        return Error(error, StatusCodes.Status503ServiceUnavailable);
    }

    private static string TooLarge(long? length) =>
        $"The body is {(length is null ? "over 1048576" : length.Value.ToString(CultureInfo.InvariantCulture))} bytes; the limit is {MaxBodyBytes} bytes (1 MB). Send a smaller canvas.";
}
