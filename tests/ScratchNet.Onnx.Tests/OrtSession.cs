using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace ScratchNet.OnnxTests;

/// <summary>
/// ONNX Runtime, the reference the exported files are checked against, loading them with its strictest
/// graph checks: shape and type inference that fails on any inconsistency instead of warning.
/// </summary>
internal sealed class OrtSession : IDisposable
{
    private readonly InferenceSession _session;

    public OrtSession(byte[] model)
    {
        using var options = new SessionOptions();
        options.AddSessionConfigEntry("session.strict_shape_type_inference", "1");
        options.LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR;
        _session = new InferenceSession(model, options);
    }

    public string InputName => _session.InputMetadata.Keys.Single();

    public IReadOnlyList<int> InputDimensions => _session.InputMetadata.Values.Single().Dimensions;

    public IReadOnlyList<int> OutputDimensions => _session.OutputMetadata.Values.Single().Dimensions;

    /// <summary>The outputs for a batch, batch first: <paramref name="sampleShape"/> is the shape of one input sample as the graph declares it.</summary>
    public float[] Run(ReadOnlySpan<float> inputs, IReadOnlyList<int> sampleShape)
    {
        int sampleSize = sampleShape.Aggregate(1, (p, d) => p * d);
        var tensor = new DenseTensor<float>(inputs.ToArray(), [inputs.Length / sampleSize, .. sampleShape]);
        using IDisposableReadOnlyCollection<DisposableNamedOnnxValue> results = _session.Run([NamedOnnxValue.CreateFromTensor(InputName, tensor)]);
        return results.Single().AsEnumerable<float>().ToArray();
    }

    /// <summary>The outputs for many samples, run in batches of <paramref name="batchSize"/>.</summary>
    public float[] RunAll(Tensor inputs, IReadOnlyList<int> sampleShape, int batchSize = 1000)
    {
        var outputs = new List<float>();
        for (int start = 0; start < inputs.BatchSize; start += batchSize)
        {
            int count = Math.Min(batchSize, inputs.BatchSize - start);
            outputs.AddRange(Run(inputs.Span.Slice(start * inputs.SampleSize, count * inputs.SampleSize), sampleShape));
        }

        return [.. outputs];
    }

    public void Dispose() => _session.Dispose();
}
