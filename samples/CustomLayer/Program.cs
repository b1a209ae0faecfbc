// A custom layer in four steps: write it (Swish.cs), check its gradient, train with it, save and load it.
// Usage: dotnet run --project samples/CustomLayer
using ScratchNet;
using CustomLayer;

// 1. Check the hand-written gradient of Swish inside a small network, on random inputs.
var network = new Network(new Dense(2, 8), new Swish(), new Dense(8, 1), new Sigmoid());
network.Initialize(seed: 1);
var random = new Random(1);
var inputs = new Tensor(16, 2);
var targets = new Tensor(16, 1);
for (int i = 0; i < inputs.Length; i++)
{
    inputs[i] = (random.NextSingle() * 4) - 2;   // z in [−2, 2): both sides of Swish's dip
}

for (int i = 0; i < targets.Length; i++)
{
    targets[i] = random.NextSingle();
}

// Swish has no parameters, so its gradient shows in the rows before it: layer 0's W and b, and the input.
GradientCheckReport report = GradientChecker.Check(network, new QuadraticCost(), inputs, targets);
Console.WriteLine("Gradient check of Dense(2→8) → Swish → Dense(8→1) → Sigmoid:");
Console.WriteLine(report);
if (!report.Passed)
{
    return 1;   // a wrong backward pass: fix it before training with it
}

// What a mistake looks like: the same network with a Swish that forgets the product rule.
var broken = new Network(new Dense(2, 8), new Swish(forgetTheProductRule: true), new Dense(8, 1), new Sigmoid());
broken.Initialize(seed: 1);
Console.WriteLine();
Console.WriteLine("The same check with a wrong Swish gradient:");
Console.WriteLine(GradientChecker.Check(broken, new QuadraticCost(), inputs, targets));

// 2. Train the same network on XOR, which no network without a hidden non-linearity can learn.
var xor = new Dataset(new Tensor([0f, 0f, 0f, 1f, 1f, 0f, 1f, 1f], 4, 2), new Tensor([0f, 1f, 1f, 0f], 4, 1));
network.Initialize(seed: 1);
var trainer = new Trainer(network, new QuadraticCost(), new Sgd(learningRate: 1f));
IReadOnlyList<EpochReport> history = trainer.Fit(xor, new TrainingOptions { Epochs = 2000, BatchSize = 4, Seed = 1 });

Console.WriteLine();
Console.WriteLine($"XOR after {history.Count} epochs (cost {history[^1].TrainingCost:F4}):");
for (int n = 0; n < xor.Count; n++)
{
    float[] x = xor.Inputs.Sample(n).ToArray();
    Console.WriteLine($"  {x[0]} xor {x[1]} = {network.Predict(x)[0]:F3}  (target {xor.Targets[n]})");
}

Console.WriteLine($"accuracy: {network.Evaluate(xor).Accuracy * 100:F0}%");

// 3. Save the trained network and load it back: registering Swish once tells the model format its name.
Swish.Register();
string path = Path.Combine(Path.GetTempPath(), "swish-xor.scnn");
network.Save(path);
Network loaded = Network.Load(path);
bool same = Enumerable.Range(0, xor.Count).All(n => network.Predict(xor.Inputs.Sample(n)).SequenceEqual(loaded.Predict(xor.Inputs.Sample(n))));
Console.WriteLine();
Console.WriteLine($"saved to {path} and loaded back: {string.Join(" → ", loaded.Layers.Select(l => l.Name))}; same outputs: {(same ? "yes" : "no")}");
File.Delete(path);
return same ? 0 : 1;
