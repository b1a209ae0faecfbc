// Uses ScratchNet exactly as a user who ran `dotnet add package ScratchNet` does: nothing from the
// repository's source, only the package. Run by .ci/package-smoke-test.
using ScratchNet;

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
