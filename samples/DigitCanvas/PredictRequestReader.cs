using System.Text.Json;

namespace DigitCanvas;

/// <summary>Reads the body of <c>POST /api/predict</c> strictly (<see cref="JsonFields"/>); each refusal says which field and why.</summary>
internal static class PredictRequestReader
{
    private static readonly string[] Fields = ["width", "height", "pixels", "model", "layers"];

    /// <summary>Parses <paramref name="body"/>, or says what is wrong with it.</summary>
    public static (PredictRequest? Request, string? Error) Read(byte[] body)
    {
        int? width = null, height = null;
        string? pixels = null, model = null;
        bool layers = false;
        string? error = JsonFields.ReadObject(body, Fields, field => field.Name switch
        {
            "width" => Side(field.Name, field.Value, out width),
            "height" => Side(field.Name, field.Value, out height),
            "pixels" => JsonFields.Text(field.Name, field.Value, "base64", out pixels),
            "model" => JsonFields.Text(field.Name, field.Value, "a model name", out model),
            _ => JsonFields.Flag(field.Name, field.Value, out layers),
        });
        if (error is not null)
        {
            return (null, error);
        }

        if (width is null || height is null)
        {
            return (null, $"{(width is null ? "width" : "height")} is missing: send the canvas size in pixels, 1 to {ScratchNet.DigitImage.MaxSide}.");
        }

        return (new PredictRequest(width.Value, height.Value, pixels, model, layers), null);
    }

    private static string? Side(string name, JsonElement value, out int? side)
    {
        side = null;
        if (value.ValueKind != JsonValueKind.Number)
        {
            return $"{name} must be a JSON number such as 280, not {JsonFields.Describe(value)}.";
        }

        if (!value.TryGetInt32(out int whole))
        {
            return $"{name} must be a whole number of pixels, but it is {JsonFields.Clip(value.GetRawText())}.";
        }

        side = whole;
        return null;
    }
}
