using CustomLayer;

namespace ScratchNet.Tests.GradientChecking;

/// <summary>
/// What samples/CustomLayer shows, checked here with its own Swish.cs, compiled into the tests (a test cannot reference the
/// sample's executable): the right gradient passes, the broken one fails in exactly the rows before
/// it, and the network learns XOR.
/// </summary>
public sealed class CustomLayerSampleTests
{
    private static (Tensor Inputs, Tensor Targets) SampleData()
    {
        var random = new Random(1);
        var inputs = new Tensor(16, 2);
        var targets = new Tensor(16, 1);
        for (int i = 0; i < inputs.Length; i++)
        {
            inputs[i] = (random.NextSingle() * 4) - 2;
        }

        for (int i = 0; i < targets.Length; i++)
        {
            targets[i] = random.NextSingle();
        }

        return (inputs, targets);
    }

    [Fact]
    public void Swish_passes_and_a_Swish_without_the_product_rule_fails_in_the_rows_before_it()
    {
        (Tensor inputs, Tensor targets) = SampleData();
        var network = new Network(new Dense(2, 8), new Swish(), new Dense(8, 1), new Sigmoid());
        network.Initialize(1);
        var broken = new Network(new Dense(2, 8), new Swish(forgetTheProductRule: true), new Dense(8, 1), new Sigmoid());
        broken.Initialize(1);

        GradientCheckReport right = GradientChecker.Check(network, new QuadraticCost(), inputs, targets);
        GradientCheckReport wrong = GradientChecker.Check(broken, new QuadraticCost(), inputs, targets);

        Assert.True(right.Passed, right.ToString());
        Assert.Equal(["layer 0 Dense(2→8) W", "layer 0 Dense(2→8) b", "input x"], wrong.Failures.Select(f => f.Location));
    }

    [Fact]
    public void A_network_with_Swish_learns_XOR()
    {
        var xor = new Dataset(new Tensor([0f, 0f, 0f, 1f, 1f, 0f, 1f, 1f], 4, 2), new Tensor([0f, 1f, 1f, 0f], 4, 1));
        var network = new Network(new Dense(2, 8), new Swish(), new Dense(8, 1), new Sigmoid());
        network.Initialize(1);

        new Trainer(network, new QuadraticCost(), new Sgd(learningRate: 1f)).Fit(xor, new TrainingOptions { Epochs = 2000, BatchSize = 4, Seed = 1 });

        Assert.Equal(1.0, network.Evaluate(xor).Accuracy);
        Assert.InRange(network.Predict([1f, 1f])[0], 0f, 0.1f);
    }

    [Fact]
    public void A_network_with_Swish_saves_and_loads_once_Swish_is_registered()
    {
        var network = new Network(new Dense(2, 8), new Swish(), new Dense(8, 3), new Swish(forgetTheProductRule: true));
        network.Initialize(1);
        string path = Path.Combine(Path.GetTempPath(), $"swish-{Guid.NewGuid():N}.scnn");

        Swish.Register();
        network.Save(path);
        Network loaded = Network.Load(path);
        File.Delete(path);

        Assert.Equal([0.0], loaded.Layers[1].Configuration);
        Assert.Equal([1.0], loaded.Layers[3].Configuration);
        Assert.Equal(network.Predict([0.5f, -1.5f]), loaded.Predict([0.5f, -1.5f]));
    }
}
