namespace ScratchNet.Tests;

public sealed class NetworkTests
{
    [Fact]
    public void The_seed_network_has_13002_parameters()
    {
        Network network = TestNetworks.Seed();

        Assert.Equal((784 * 16) + 16 + (16 * 16) + 16 + (16 * 10) + 10, network.ParameterCount);
        Assert.Equal(13_002, network.ParameterCount);
        Assert.Equal([784], network.InputShape);
        Assert.Equal([10], network.OutputShape);
    }

    [Fact]
    public void Summary_of_the_seed_network_lists_each_layer_and_12560_plus_272_plus_170_parameters()
    {
        Network network = TestNetworks.Seed();

        Assert.Equal(
            """
            Input shape [784]
            Layer            Output shape      Parameters
            ─────────────────────────────────────────────
            Dense(784→16)    [16]                  12,560
            Sigmoid          [16]                       0
            Dense(16→16)     [16]                     272
            Sigmoid          [16]                       0
            Dense(16→10)     [10]                     170
            Sigmoid          [10]                       0
            ─────────────────────────────────────────────
            Total                                  13,002
            """.ReplaceLineEndings(),
            network.Summary());
    }

    [Fact]
    public void Summary_counts_batch_norm_statistics_apart_from_the_trained_parameters()
    {
        var network = new Network([28, 28, 1], new Conv2D(1, 8, 3), new BatchNorm(8), new Relu(), new Flatten(), new Dense(26 * 26 * 8, 10));

        Assert.Equal(
            """
            Input shape [28, 28, 1]
            Layer               Output shape      Parameters
            ────────────────────────────────────────────────
            Conv2D(1→8, 3×3)    [26, 26, 8]               80
            BatchNorm(8)        [26, 26, 8]               16
            ReLU                [26, 26, 8]                0
            Flatten             [5408]                     0
            Dense(5408→10)      [10]                  54,090
            ────────────────────────────────────────────────
            Total                                     54,186
            (plus 16 state values, such as batch-norm running statistics, saved but not trained)
            """.ReplaceLineEndings(),
            network.Summary());
    }

    [Fact]
    public void Forward_through_two_layers_matches_values_computed_by_hand()
    {
        var first = new Dense(2, 2);
        var second = new Dense(2, 1);
        var network = new Network(first, new Sigmoid(), second, new Sigmoid());
        new float[] { 1, 2, 3, 4 }.CopyTo(first.Weights.Value.Span);
        new float[] { 0.5f, -1 }.CopyTo(first.Biases.Value.Span);
        new float[] { 1, -1 }.CopyTo(second.Weights.Value.Span);
        second.Biases.Value[0] = 0.25f;

        float[] output = network.Predict([1, -1]);

        // z⁽¹⁾ = [−0.5, −2], a⁽¹⁾ = σ(z⁽¹⁾) = [0.3775407, 0.1192029]
        // z⁽²⁾ = 0.3775407 − 0.1192029 + 0.25 = 0.5083377, a⁽²⁾ = σ(z⁽²⁾) = 0.6244167
        Assert.Equal(0.6244167f, output[0], 6);
    }

    [Fact]
    public void Layers_that_do_not_fit_are_rejected_naming_the_layer_and_the_shapes()
    {
        var error = Assert.Throws<ArgumentException>(() => new Network(new Dense(784, 16), new Sigmoid(), new Dense(32, 10)));

        Assert.StartsWith("Layer 2 (Dense(32→10)) cannot follow a layer with output shape [16]: Dense(32→10) takes samples of shape [32], not [16].", error.Message);
    }

    [Fact]
    public void A_layer_used_twice_is_rejected()
    {
        var sigmoid = new Sigmoid();

        var error = Assert.Throws<ArgumentException>(() => new Network(new Dense(4, 4), sigmoid, new Dense(4, 4), sigmoid));

        Assert.StartsWith("Layer 3 (Sigmoid) appears twice", error.Message);
    }

    [Fact]
    public void Predict_rejects_an_input_of_the_wrong_length()
    {
        var error = Assert.Throws<ArgumentException>(() => TestNetworks.Seed().Predict(new float[783]));

        Assert.StartsWith("The network takes 784 inputs per sample, but 783 were given.", error.Message);
    }

    [Fact]
    public void Predict_of_a_batch_equals_predict_of_each_sample()
    {
        Network network = TestNetworks.Seed(seed: 5);
        Tensor x = TestNetworks.Random(5, 0, 1, 3, 784);

        Tensor batch = network.Predict(x);

        for (int n = 0; n < 3; n++)
        {
            Assert.Equal(batch.Sample(n).ToArray(), network.Predict(x.Sample(n)));
        }
    }

    [Fact]
    public void The_same_seed_gives_bit_identical_weights_and_another_seed_does_not()
    {
        int[] first = TestNetworks.WeightBits(TestNetworks.Seed(Initializer.StandardNormal, seed: 42));
        int[] again = TestNetworks.WeightBits(TestNetworks.Seed(Initializer.StandardNormal, seed: 42));
        int[] other = TestNetworks.WeightBits(TestNetworks.Seed(Initializer.StandardNormal, seed: 43));

        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
    }

    [Fact]
    public void Predict_is_safe_from_many_threads_at_once()
    {
        Network network = TestNetworks.Seed(seed: 9);
        Tensor x = TestNetworks.Random(9, 0, 1, 64, 784);
        float[][] expected = Enumerable.Range(0, 64).Select(n => network.Predict(x.Sample(n))).ToArray();

        float[][] actual = new float[64][];
        Parallel.For(0, 64 * 20, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i => actual[i % 64] = network.Predict(x.Sample(i % 64).ToArray()));

        Assert.Equal(expected, actual);
    }
}
