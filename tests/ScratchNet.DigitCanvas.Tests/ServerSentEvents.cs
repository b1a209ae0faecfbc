using System.Text.Json;

namespace ScratchNet.DigitCanvas.Tests;

/// <summary>Reads a <c>text/event-stream</c> answer event by event, as a browser's EventSource does (one-line data, comments skipped).</summary>
internal sealed class ServerSentEvents(HttpResponseMessage response, Stream stream) : IDisposable
{
    private readonly StreamReader _reader = new(stream);

    /// <summary>Opens <paramref name="path"/> and starts reading as soon as the headers are in.</summary>
    public static async Task<ServerSentEvents> OpenAsync(HttpClient client, string path)
    {
        HttpResponseMessage response = await client.GetAsync(path, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        return new ServerSentEvents(response, await response.Content.ReadAsStreamAsync());
    }

    /// <summary>The answer's headers.</summary>
    public HttpResponseMessage Response => response;

    /// <summary>The next event, or null when the stream ends.</summary>
    public async Task<(string Name, JsonElement Data)?> NextAsync()
    {
        string? name = null, data = null;
        while (await _reader.ReadLineAsync() is { } line)
        {
            if (line.Length == 0)
            {
                if (name is not null && data is not null)
                {
                    return (name, JsonDocument.Parse(data).RootElement.Clone());
                }

                continue;
            }

            if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                name = line["event: ".Length..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                data = line["data: ".Length..];
            }
        }

        return null;
    }

    /// <summary>Reads events until one named <paramref name="name"/> (returned), keeping every event read on the way in <paramref name="seen"/>.</summary>
    public async Task<JsonElement> UntilAsync(string name, List<(string Name, JsonElement Data)>? seen = null)
    {
        while (await NextAsync() is { } next)
        {
            seen?.Add(next);
            if (next.Name == name)
            {
                return next.Data;
            }
        }

        throw new InvalidOperationException($"The stream ended before a \"{name}\" event.");
    }

    /// <summary>Closes the stream: the server sees the page go away.</summary>
    public void Dispose()
    {
        _reader.Dispose();
        response.Dispose();
    }
}
