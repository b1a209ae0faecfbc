// The best pre-trained network, exported to ONNX and run by ONNX Runtime: the same outputs, the same 99.72%.
// Usage: dotnet run -c Release --project samples/OnnxExport -- [--data DIR] [--output FILE] [--picture FILE]
// Writes mnist-best.onnx (with a final Softmax, so ONNX Runtime gives probabilities) and a picture of its graph,
// mnist-best-onnx.svg, beside it; then runs the 10,000 MNIST test digits through ONNX Runtime and through ScratchNet.
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Tensor = ScratchNet.Tensor;
using OnnxExport;
using ScratchNet;
using ScratchNet.Samples;

return SampleRun.Run(args, ExportOptions.Usage, ExportOptions.Help, Prepare);

static Func<int> Prepare(string[] args)
{
    ExportOptions options = ExportOptions.Parse(args);
    SampleRun.Require(options.Validate());
    MnistData mnist = Mnist.Load(options.DataDirectory);
    return () => Run(options, mnist);
}

static int Run(ExportOptions options, MnistData mnist)
{
    // 1. Export: one call. The input is [N, 28, 28, 1], channels-last as ScratchNet's images are.
    Network best = Pretrained.MnistBest();
    Onnx.Export(best, options.OutputFile, new OnnxExportOptions { AppendSoftmax = true, Description = "ScratchNet's best MNIST network" });
    File.WriteAllText(options.PictureFile, GraphPicture.Svg(options.OutputFile));
    Console.WriteLine($"wrote {options.OutputFile} ({new FileInfo(options.OutputFile).Length:N0} bytes) and {options.PictureFile}");

    // 2. Run it with ONNX Runtime, 1,000 digits at a time.
    using var session = new InferenceSession(options.OutputFile);
    Tensor images = mnist.Test.Inputs;
    var softmax = new Network([10], new Softmax());
    int correct = 0;
    double largest = 0;
    for (int start = 0; start < images.BatchSize; start += 1000)
    {
        float[] batch = images.Span.Slice(start * 784, 1000 * 784).ToArray();
        var input = new DenseTensor<float>(batch, [1000, 28, 28, 1]);
        using var results = session.Run([NamedOnnxValue.CreateFromTensor("input", input)]);
        float[] probabilities = [.. results[0].AsEnumerable<float>()];

        // 3. The same digits through ScratchNet, for comparison.
        Tensor expected = softmax.Predict(best.Predict(new Tensor(batch, 1000, 28, 28, 1)));
        for (int n = 0; n < 1000; n++)
        {
            Span<float> row = probabilities.AsSpan(n * 10, 10);
            correct += row.IndexOf(row.ToArray().Max()) == mnist.Test.Label(start + n) ? 1 : 0;
            for (int k = 0; k < 10; k++)
            {
                largest = Math.Max(largest, Math.Abs(row[k] - expected.Span[(n * 10) + k]));
            }
        }
    }

    Console.WriteLine($"ONNX Runtime test accuracy: {correct / 100.0:F2}%");
    Console.WriteLine($"largest difference from ScratchNet's probabilities: {largest:E2}");
    return SampleRun.Done;
}
