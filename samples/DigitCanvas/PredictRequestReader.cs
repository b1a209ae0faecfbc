using System.Globalization;
using System.Text.Json;

namespace DigitCanvas;

/// <summary>
/// Reads the body of <c>POST /api/predict</c> strictly: a JSON object whose fields are exactly the known ones,
/// each once, numbers as JSON numbers, strings as strings. Each refusal says which field and why.
/// </summary>
/// <remarks>
/// Walked by hand over a <see cref="JsonDocument"/> rather than deserialized: <see cref="JsonSerializer"/>
/// can refuse duplicates (.NET 10's <c>AllowDuplicateProperties = false</c>) and text numbers
/// (<c>JsonNumberHandling.Strict</c>), but its messages name .NET types and byte offsets, not the field.
/// </remarks>
internal static class PredictRequestReader
{
    /// <summary>The longest piece of the request repeated in an error message.</summary>
    public const int EchoLimit = 32;

    private const string Fields = "width, height, pixels, model, layers";

    /// <summary>Parses <paramref name="body"/>, or says what is wrong with it.</summary>
    public static (PredictRequest? Request, string? Error) Read(byte[] body)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 8 });
        }
        catch (JsonException e)
        {
            // The reader's own message may quote the input, so only its position is passed on.
            return (null, $"The body is not valid JSON for {{{Fields}}}: the error is at line {(e.LineNumber ?? 0) + 1}, byte {(e.BytePositionInLine ?? 0) + 1}.");
        }

        using (document)
        {
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return (null, $"The body must be a JSON object {{{Fields}}}, not {Describe(root)}.");
            }

            int? width = null, height = null;
            string? pixels = null, model = null;
            bool layers = false;
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (JsonProperty field in root.EnumerateObject())
            {
                if (!seen.Add(field.Name))
                {
                    return (null, $"The field \"{Clip(field.Name)}\" appears more than once; send each field once.");
                }

                JsonElement value = field.Value;
                string? error = field.Name switch
                {
                    "width" => Side(field.Name, value, out width),
                    "height" => Side(field.Name, value, out height),
                    "pixels" => Text(field.Name, value, "base64", out pixels),
                    "model" => Text(field.Name, value, "a model name", out model),
                    "layers" => Flag(field.Name, value, out layers),
                    _ => $"Unknown field \"{Clip(field.Name)}\"; the fields are {Fields}.",
                };
                if (error is not null)
                {
                    return (null, error);
                }
            }

            if (width is null || height is null)
            {
                return (null, $"{(width is null ? "width" : "height")} is missing: send the canvas size in pixels, 1 to {ScratchNet.DigitImage.MaxSide}.");
            }

            return (new PredictRequest(width.Value, height.Value, pixels, model, layers), null);
        }
    }

    /// <summary>
    /// At most <see cref="EchoLimit"/> characters of <paramref name="text"/>, followed by "…" and the full
    /// length when cut, so an error message never carries a large part of the request back.
    /// </summary>
    /// <param name="text">Text from the request.</param>
    public static string Clip(string text)
    {
        if (text.Length <= EchoLimit)
        {
            return text;
        }

        int cut = char.IsHighSurrogate(text[EchoLimit - 1]) ? EchoLimit - 1 : EchoLimit;
        return string.Create(CultureInfo.InvariantCulture, $"{text.AsSpan(0, cut)}… ({text.Length} characters)");
    }

    private static string? Side(string name, JsonElement value, out int? side)
    {
        side = null;
        if (value.ValueKind != JsonValueKind.Number)
        {
            return $"{name} must be a JSON number such as 280, not {Describe(value)}.";
        }

        if (!value.TryGetInt32(out int whole))
        {
            return $"{name} must be a whole number of pixels, but it is {Clip(value.GetRawText())}.";
        }

        side = whole;
        return null;
    }

    private static string? Text(string name, JsonElement value, string what, out string? text)
    {
        text = null;
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                text = value.GetString();
                return null;
            case JsonValueKind.Null:
                return null;
            default:
                return $"{name} must be a JSON string ({what}), not {Describe(value)}.";
        }
    }

    private static string? Flag(string name, JsonElement value, out bool flag)
    {
        flag = value.ValueKind == JsonValueKind.True;
        return value.ValueKind is JsonValueKind.True or JsonValueKind.False or JsonValueKind.Null
            ? null
            : $"{name} must be true or false, not {Describe(value)}.";
    }

    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };
}
