// Uses ScratchNet exactly as a user who ran `dotnet add package ScratchNet` (and ScratchNet.Onnx, Microsoft.ML.OnnxRuntime) does: nothing from the
// repository's source, only the package. Run by .ci/package-smoke-test.
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using ScratchNet;
using Tensor = ScratchNet.Tensor;

// 1. A small network learns XOR.
var inputs = new Tensor([0, 0, 0, 1, 1, 0, 1, 1], 4, 2);
var targets = new Tensor([0, 1, 1, 0], 4, 1);
var xor = new Network(new Dense(2, 8), new Tanh(), new Dense(8, 1), new Sigmoid());
xor.Initialize(seed: 1);
new Trainer(xor, new QuadraticCost(), new Sgd(learningRate: 0.5f))
    .Fit(new Dataset(inputs, targets), new TrainingOptions { Epochs = 3000, BatchSize = 4, Seed = 1 });
for (int n = 0; n < 4; n++)
{
    float[] x = inputs.Sample(n).ToArray();
    Console.WriteLine($"xor {x[0]} {x[1]} -> {xor.Predict(x)[0]:F3}");
}

// 2. The pre-trained seed network reads MNIST test digits from the repository's data.
MnistData mnist = Mnist.Load(args[0]);
Network seed = Pretrained.MnistSeed();
for (int n = 0; n < 10; n++)
{
    Console.WriteLine($"digit {n}: label {mnist.Test.Label(n)} predicted {seed.Classify(mnist.Test.Inputs.Sample(n))}");
}

Console.WriteLine($"seed test accuracy: {seed.Evaluate(mnist.Test).Accuracy * 100:F2}%");

// 3. ScratchNet.Onnx: the best network exported to ONNX and run by ONNX Runtime on the 10,000 test digits.
Network best = Pretrained.MnistBest();
Onnx.Export(best, "mnist-best.onnx");
using var sessionOptions = new SessionOptions();
sessionOptions.AddSessionConfigEntry("session.strict_shape_type_inference", "1");
using var session = new InferenceSession("mnist-best.onnx", sessionOptions);
Tensor images = mnist.Test.Inputs;
int correct = 0;
double largest = 0;   // |a − b| / max(1, |a|): absolute up to 1, relative above
for (int start = 0; start < images.BatchSize; start += 1000)
{
    float[] batch = images.Span.Slice(start * 784, 1000 * 784).ToArray();
    using var results = session.Run([NamedOnnxValue.CreateFromTensor("input", new DenseTensor<float>(batch, [1000, 28, 28, 1]))]);
    float[] outputs = [.. results[0].AsEnumerable<float>()];
    Tensor expected = best.Predict(new Tensor(batch, 1000, 28, 28, 1));
    for (int n = 0; n < 1000; n++)
    {
        Span<float> row = outputs.AsSpan(n * 10, 10);
        correct += row.IndexOf(row.ToArray().Max()) == mnist.Test.Label(start + n) ? 1 : 0;
        for (int k = 0; k < 10; k++)
        {
            float a = expected.Span[(n * 10) + k];
            largest = Math.Max(largest, Math.Abs(a - row[k]) / Math.Max(1.0, Math.Abs(a)));
        }
    }
}

Console.WriteLine($"onnx test accuracy: {correct / 100.0:F2}%");
Console.WriteLine($"onnx largest difference: {largest:E2}");
