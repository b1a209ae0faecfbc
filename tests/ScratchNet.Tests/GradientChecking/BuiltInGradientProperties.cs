using FsCheck.Xunit;

namespace ScratchNet.Tests.GradientChecking;

/// <summary>
/// Property 3 of issue 3: every built-in layer, activation and cost (listed in <see cref="BuiltInPieces"/>)
/// passes the gradient checker in float32 (relative error below 10⁻³) for random shapes and values.
/// FsCheck prints the seed and sizes of any failing case, and the message holds the checker's table.
/// </summary>
public sealed class BuiltInGradientProperties
{
    [Property]
    public void Every_built_in_layer_passes_the_gradient_checker(int seed, byte batch)
    {
        foreach (LayerCase piece in BuiltInPieces.Layers)
        {
            var random = new Random(seed);
            (int[] inputShape, Layer[] layers) = piece.Build(random);
            var network = new Network(inputShape, layers);
            network.Initialize(seed);
            int n = piece.MinimumBatch + (batch % 4);
            Tensor x = TestNetworks.Random(seed, -2, 2, [n, .. inputShape]);
            Tensor y = BuiltInPieces.Uniform(random, n, network.OutputShape.Aggregate(1, (p, q) => p * q));
            y = new Tensor(y.Span, [n, .. network.OutputShape]);

            // Up to 32 seeded entries per tensor: every entry of most vector cases, a sample of the images.
            GradientCheckReport report = GradientChecker.Check(network, new QuadraticCost(), x, y, new GradientCheckOptions { SampleSize = 32, Seed = seed });

            Assert.True(report.Passed, $"{piece.Name}:\n{report}");
        }
    }

    [Property]
    public void Every_built_in_cost_passes_the_gradient_checker(int seed, byte inputs, byte classes, byte batch)
    {
        foreach (CostCase piece in BuiltInPieces.Costs)
        {
            var random = new Random(seed);
            int k = 1 + (classes % 20), n = 1 + (batch % 4), m = 1 + (inputs % 20);
            // Glorot weights and inputs in [−1, 1] keep a sigmoid output inside CrossEntropyCost's clamp
            // [10⁻⁷, 1 − 10⁻⁷]; beyond it the loss is flat by design while the gradient deliberately is not
            // (see CrossEntropyCost), which the checker rightly reports as a mismatch.
            var network = new Network(new Dense(m, k), piece.OutputLayer());
            network.Initialize(seed);
            Tensor x = TestNetworks.Random(seed, -1, 1, n, m);

            GradientCheckReport report = GradientChecker.Check(network, piece.Create(), x, piece.Targets(random, n, k));

            Assert.True(report.Passed, $"{piece.Name}:\n{report}");
        }
    }
}
