using System.Globalization;
using System.Text.Json;

namespace DigitCanvas;

/// <summary>
/// Reads a request body strictly, for every endpoint that takes JSON: an object whose fields are exactly the
/// known ones, each once, numbers as JSON numbers, strings as strings. Each refusal names the field and says why.
/// </summary>
/// <remarks>
/// Walked by hand over a <see cref="JsonDocument"/> rather than deserialized: <see cref="JsonSerializer"/>
/// can refuse duplicates (.NET 10's <c>AllowDuplicateProperties = false</c>) and text numbers
/// (<c>JsonNumberHandling.Strict</c>), but its messages name .NET types and byte offsets, not the field.
/// </remarks>
internal static class JsonFields
{
    /// <summary>The longest piece of the request repeated in an error message.</summary>
    public const int EchoLimit = 32;

    /// <summary>
    /// Parses <paramref name="body"/> as one JSON object and hands each field to <paramref name="read"/>, which
    /// returns what is wrong with its value or <see langword="null"/>; the first problem found is returned.
    /// </summary>
    /// <param name="body">The request body.</param>
    /// <param name="fields">The known field names, in the order error messages list them.</param>
    /// <param name="read">Reads one known field.</param>
    public static string? ReadObject(byte[] body, IReadOnlyList<string> fields, Func<JsonProperty, string?> read)
    {
        string list = string.Join(", ", fields);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 8 });
        }
        catch (JsonException e)
        {
            // The reader's own message may quote the input, so only its position is passed on.
            return $"The body is not valid JSON for {{{list}}}: the error is at line {(e.LineNumber ?? 0) + 1}, byte {(e.BytePositionInLine ?? 0) + 1}.";
        }

        using (document)
        {
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return $"The body must be a JSON object {{{list}}}, not {Describe(root)}.";
            }

            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (JsonProperty field in root.EnumerateObject())
            {
                string? error = !seen.Add(field.Name) ? $"The field \"{Clip(field.Name)}\" appears more than once; send each field once."
                    : !fields.Contains(field.Name) ? $"Unknown field \"{Clip(field.Name)}\"; the fields are {list}."
                    : read(field);
                if (error is not null)
                {
                    return error;
                }
            }

            return null;
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

    /// <summary>A JSON string, or null; anything else is refused with <paramref name="what"/> in the message.</summary>
    public static string? Text(string name, JsonElement value, string what, out string? text)
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

    /// <summary><see langword="true"/>, <see langword="false"/> or null (false).</summary>
    public static string? Flag(string name, JsonElement value, out bool flag)
    {
        flag = value.ValueKind == JsonValueKind.True;
        return value.ValueKind is JsonValueKind.True or JsonValueKind.False or JsonValueKind.Null
            ? null
            : $"{name} must be true or false, not {Describe(value)}.";
    }

    /// <summary>What kind of JSON value <paramref name="value"/> is, for messages: "a string", "an array", ….</summary>
    public static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };
}
