using System.Globalization;
using System.Text.Json;

namespace DigitCanvas;

/// <summary>
/// Reads and checks the body of <c>POST /api/train</c> (<see cref="JsonFields"/>): each refusal names the
/// field and its allowed values or range. The limits keep one job to minutes at most on two cores.
/// </summary>
public static class TrainingRequestReader
{
    /// <summary>The most hidden layers.</summary>
    public const int MaxHiddenLayers = 3;

    /// <summary>The most neurons in a hidden layer.</summary>
    public const int MaxWidth = 256;

    /// <summary>The most epochs.</summary>
    public const int MaxEpochs = 60;

    /// <summary>The largest minibatch.</summary>
    public const int MaxBatchSize = 1024;

    /// <summary>The smallest learning rate.</summary>
    public const float MinLearningRate = 1e-5f;

    /// <summary>The largest learning rate.</summary>
    public const float MaxLearningRate = 10f;

    /// <summary>The largest weight decay.</summary>
    public const float MaxWeightDecay = 0.1f;

    /// <summary>The activations a hidden layer may have.</summary>
    public static readonly IReadOnlyList<string> Activations = ["sigmoid", "tanh", "relu"];

    /// <summary>The costs.</summary>
    public static readonly IReadOnlyList<string> Costs = ["quadratic", "softmax-cross-entropy"];

    /// <summary>The optimizers.</summary>
    public static readonly IReadOnlyList<string> Optimizers = ["sgd", "momentum", "adam"];

    /// <summary>How η moves from <c>learningRate</c> to <c>finalLearningRate</c> over the epochs.</summary>
    public static readonly IReadOnlyList<string> Schedules = ["cosine", "linear"];

    /// <summary>The fields of the body, in the order messages list them.</summary>
    public static readonly IReadOnlyList<string> Fields =
        ["hidden", "activation", "cost", "optimizer", "learningRate", "finalLearningRate", "schedule", "weightDecay", "batchSize", "epochs", "seed"];

    /// <summary>Parses and checks <paramref name="body"/>, or says what is wrong with it.</summary>
    /// <param name="body">The request body, JSON.</param>
    public static (TrainingRequest? Request, string? Error) Read(byte[] body)
    {
        TrainingRequest seed = TrainingRequest.SeedNetwork;
        int[] hidden = seed.Hidden;
        string activation = seed.Activation, cost = seed.Cost, optimizer = seed.Optimizer, schedule = seed.Schedule;
        float? learningRate = null, finalLearningRate = null;
        float weightDecay = seed.WeightDecay;
        int batchSize = seed.BatchSize, epochs = seed.Epochs, seedValue = seed.Seed;
        string? error = JsonFields.ReadObject(body, Fields, field => field.Name switch
        {
            "hidden" => Widths(field.Value, out hidden),
            "activation" => Choice(field.Name, field.Value, Activations, ref activation),
            "cost" => Choice(field.Name, field.Value, Costs, ref cost),
            "optimizer" => Choice(field.Name, field.Value, Optimizers, ref optimizer),
            "learningRate" => Number(field.Name, field.Value, MinLearningRate, MaxLearningRate, "0.00001", out learningRate),
            "finalLearningRate" => Number(field.Name, field.Value, MinLearningRate, MaxLearningRate, "0.00001", out finalLearningRate),
            "schedule" => Choice(field.Name, field.Value, Schedules, ref schedule),
            "weightDecay" => Decay(field.Value, ref weightDecay),
            "batchSize" => Whole(field.Name, field.Value, 1, MaxBatchSize, ref batchSize),
            "epochs" => Whole(field.Name, field.Value, 1, MaxEpochs, ref epochs),
            _ => Whole(field.Name, field.Value, 0, int.MaxValue, ref seedValue),
        });
        if (error is not null)
        {
            return (null, error);
        }

        float first = learningRate ?? seed.LearningRate;
        float last = finalLearningRate ?? (learningRate is null ? seed.FinalLearningRate : first);
        return (new TrainingRequest(hidden, activation, cost, optimizer, first, last, schedule, weightDecay, batchSize, epochs, seedValue), null);
    }

    private static string? Widths(JsonElement value, out int[] widths)
    {
        widths = [];
        if (value.ValueKind != JsonValueKind.Array)
        {
            return $"hidden must be a JSON array of 0 to {MaxHiddenLayers} layer widths such as [16, 16], not {JsonFields.Describe(value)}.";
        }

        int count = value.GetArrayLength();
        if (count > MaxHiddenLayers)
        {
            return $"hidden must list 0 to {MaxHiddenLayers} layer widths, but it lists {count}.";
        }

        widths = new int[count];
        for (int i = 0; i < count; i++)
        {
            if (Whole($"hidden[{i}]", value[i], 1, MaxWidth, ref widths[i]) is { } error)
            {
                return error;
            }
        }

        return null;
    }

    private static string? Choice(string name, JsonElement value, IReadOnlyList<string> allowed, ref string choice)
    {
        string? text = value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        if (text is null || !allowed.Contains(text))
        {
            string actual = text is null ? JsonFields.Describe(value) : $"\"{JsonFields.Clip(text)}\"";
            return $"{name} must be one of {string.Join(", ", allowed)}, but it is {actual}.";
        }

        choice = text;
        return null;
    }

    private static string? Whole(string name, JsonElement value, int min, int max, ref int whole)
    {
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out int parsed) || parsed < min || parsed > max)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{name} must be a whole number from {min} to {max}, but it is {Actual(value)}.");
        }

        whole = parsed;
        return null;
    }

    private static string? Decay(JsonElement value, ref float decay)
    {
        string? error = Number("weightDecay", value, 0, MaxWeightDecay, "0", out float? parsed);
        decay = parsed ?? decay;
        return error;
    }

    private static string? Number(string name, JsonElement value, float min, float max, string minText, out float? number)
    {
        number = null;
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out double parsed) || !(parsed >= min && parsed <= max))
        {
            return string.Create(CultureInfo.InvariantCulture, $"{name} must be a number from {minText} to {max}, but it is {Actual(value)}.");
        }

        number = (float)parsed;
        return null;
    }

    private static string Actual(JsonElement value) =>
        value.ValueKind == JsonValueKind.Number ? JsonFields.Clip(value.GetRawText()) : JsonFields.Describe(value);
}
