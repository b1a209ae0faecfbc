using FsCheck.Xunit;

namespace ScratchNet.Tests.GradientChecking;

/// <summary>
/// Properties 1 and 2 of issue 3: the README's gradient formulas, written out here literally in double
/// precision, equal the library's backpropagation and central finite differences, for random sizes,
/// weights, inputs and targets. FsCheck prints the failing seed and sizes.
/// </summary>
public sealed class SeedFormulaProperties
{
    private static readonly GradientCheckOptions Sampled = new() { SampleSize = 12 };

    [Property]
    public void The_six_seed_formulas_equal_backpropagation_and_finite_differences(int seed, byte inputs, byte n1, byte n2, byte n3, bool oneHot)
    {
        int[] sizes = [1 + (inputs % 50), 1 + (n1 % 20), 1 + (n2 % 20), 1 + (n3 % 20)];
        (Network network, Tensor x, Tensor y) = Build(seed, sizes, batch: 1, oneHot);
        double[][] w = [[], .. network.Layers.OfType<Dense>().Select(d => ToDouble(d.Weights.Value))];
        double[][] b = [[], .. network.Layers.OfType<Dense>().Select(d => ToDouble(d.Biases.Value))];
        double[] target = ToDouble(y);

        (double[][] z, double[][] a) = Forward(w, b, sizes, ToDouble(x));
        double[][] dw = [[], new double[w[1].Length], new double[w[2].Length], new double[w[3].Length]];
        double[][] db = [[], new double[b[1].Length], new double[b[2].Length], new double[b[3].Length]];
        int m0 = sizes[0], k1 = sizes[1], j2 = sizes[2], i3 = sizes[3];

        // layer 3: ∂C/∂wᵢⱼ⁽³⁾ = 2(aᵢ⁽³⁾ − yᵢ)·σ'(zᵢ⁽³⁾)·aⱼ⁽²⁾,  ∂C/∂bᵢ⁽³⁾ = 2(aᵢ⁽³⁾ − yᵢ)·σ'(zᵢ⁽³⁾)
        for (int i = 0; i < i3; i++)
        {
            for (int j = 0; j < j2; j++)
            {
                dw[3][(i * j2) + j] = 2 * (a[3][i] - target[i]) * SigmoidPrime(z[3][i]) * a[2][j];
            }

            db[3][i] = 2 * (a[3][i] - target[i]) * SigmoidPrime(z[3][i]);
        }

        // layer 2: ∂C/∂wⱼₖ⁽²⁾ = [Σᵢ 2(aᵢ⁽³⁾ − yᵢ)·σ'(zᵢ⁽³⁾)·wᵢⱼ⁽³⁾]·σ'(zⱼ⁽²⁾)·aₖ⁽¹⁾, and the same without aₖ⁽¹⁾ for bⱼ⁽²⁾
        for (int j = 0; j < j2; j++)
        {
            for (int k = 0; k < k1; k++)
            {
                dw[2][(j * k1) + k] = Bracket2(j) * SigmoidPrime(z[2][j]) * a[1][k];
            }

            db[2][j] = Bracket2(j) * SigmoidPrime(z[2][j]);
        }

        // layer 1: ∂C/∂wₖₘ⁽¹⁾ = [Σⱼ [Σᵢ 2(aᵢ⁽³⁾ − yᵢ)·σ'(zᵢ⁽³⁾)·wᵢⱼ⁽³⁾]·σ'(zⱼ⁽²⁾)·wⱼₖ⁽²⁾]·σ'(zₖ⁽¹⁾)·aₘ⁽⁰⁾, and without aₘ⁽⁰⁾ for bₖ⁽¹⁾
        for (int k = 0; k < k1; k++)
        {
            for (int m = 0; m < m0; m++)
            {
                dw[1][(k * m0) + m] = Bracket1(k) * SigmoidPrime(z[1][k]) * a[0][m];
            }

            db[1][k] = Bracket1(k) * SigmoidPrime(z[1][k]);
        }

        AssertAllThreeAgree(network, x, y, w, b, sizes, target, dw, db);

        double Bracket2(int j)
        {
            double sum = 0;
            for (int i = 0; i < i3; i++)
            {
                sum += 2 * (a[3][i] - target[i]) * SigmoidPrime(z[3][i]) * w[3][(i * j2) + j];
            }

            return sum;
        }

        double Bracket1(int k)
        {
            double sum = 0;
            for (int j = 0; j < j2; j++)
            {
                sum += Bracket2(j) * SigmoidPrime(z[2][j]) * w[2][(j * k1) + k];
            }

            return sum;
        }
    }

    [Property]
    public void The_general_delta_form_for_depth_1_to_5_equals_backpropagation_and_finite_differences(int seed, byte depth, byte inputs, byte widths, bool oneHot)
    {
        int layers = 1 + (depth % 5);
        var random = new Random(widths);
        int[] sizes = [1 + (inputs % 50), .. Enumerable.Range(0, layers).Select(_ => random.Next(1, 21))];
        (Network network, Tensor x, Tensor y) = Build(seed, sizes, batch: 1, oneHot);
        double[][] w = [[], .. network.Layers.OfType<Dense>().Select(d => ToDouble(d.Weights.Value))];
        double[][] b = [[], .. network.Layers.OfType<Dense>().Select(d => ToDouble(d.Biases.Value))];
        double[] target = ToDouble(y);
        (double[][] z, double[][] a) = Forward(w, b, sizes, ToDouble(x));

        // δ⁽ᴸ⁾ = 2(a⁽ᴸ⁾ − y) ⊙ σ'(z⁽ᴸ⁾);  δ⁽ˡ⁾ = ((W⁽ˡ⁺¹⁾)ᵀ δ⁽ˡ⁺¹⁾) ⊙ σ'(z⁽ˡ⁾);  ∂C/∂wᵢⱼ⁽ˡ⁾ = δᵢ⁽ˡ⁾·aⱼ⁽ˡ⁻¹⁾;  ∂C/∂bᵢ⁽ˡ⁾ = δᵢ⁽ˡ⁾
        double[][] delta = new double[layers + 1][];
        delta[layers] = Enumerable.Range(0, sizes[layers]).Select(i => 2 * (a[layers][i] - target[i]) * SigmoidPrime(z[layers][i])).ToArray();
        for (int l = layers - 1; l >= 1; l--)
        {
            delta[l] = new double[sizes[l]];
            for (int j = 0; j < sizes[l]; j++)
            {
                double sum = 0;
                for (int i = 0; i < sizes[l + 1]; i++)
                {
                    sum += w[l + 1][(i * sizes[l]) + j] * delta[l + 1][i];
                }

                delta[l][j] = sum * SigmoidPrime(z[l][j]);
            }
        }

        double[][] dw = [[], .. Enumerable.Range(1, layers).Select(l => Enumerable.Range(0, w[l].Length).Select(e => delta[l][e / sizes[l - 1]] * a[l - 1][e % sizes[l - 1]]).ToArray())];
        double[][] db = [[], .. Enumerable.Range(1, layers).Select(l => delta[l])];

        AssertAllThreeAgree(network, x, y, w, b, sizes, target, dw, db);
    }

    /// <summary>
    /// The formulas equal the library's backprop on every entry (float32, so to 10⁻⁴), double finite
    /// differences of the README's forward pass on 8 seeded entries per tensor (to 10⁻⁶), and the library
    /// passes the checker on 12 seeded entries per tensor.
    /// </summary>
    private static void AssertAllThreeAgree(Network network, Tensor x, Tensor y, double[][] w, double[][] b, int[] sizes, double[] target, double[][] dw, double[][] db)
    {
        TestNetworks.Backpropagate(network, new QuadraticCost(), x, y);
        Dense[] dense = network.Layers.OfType<Dense>().ToArray();
        double[] a0 = ToDouble(x);
        var random = new Random(sizes.Sum());
        for (int l = 1; l < sizes.Length; l++)
        {
            AssertClose(dw[l], dense[l - 1].Weights.Gradient, $"∂C/∂W⁽{l}⁾");
            AssertClose(db[l], dense[l - 1].Biases.Gradient, $"∂C/∂b⁽{l}⁾");
            for (int k = 0; k < 8; k++)
            {
                int e = random.Next(w[l].Length);
                AssertMatchesFiniteDifference(dw[l][e], w[l], e, $"∂C/∂W⁽{l}⁾ entry {e}");
                e = random.Next(b[l].Length);
                AssertMatchesFiniteDifference(db[l][e], b[l], e, $"∂C/∂b⁽{l}⁾ entry {e}");
            }
        }

        GradientCheckReport report = GradientChecker.Check(network, new QuadraticCost(), x, y, Sampled);
        Assert.True(report.Passed, report.ToString());

        void AssertMatchesFiniteDifference(double formula, double[] values, int e, string what)
        {
            const double h = 1e-5;
            double saved = values[e];
            values[e] = saved + h;
            double plus = Cost(Forward(w, b, sizes, a0).A[^1], target);
            values[e] = saved - h;
            double minus = Cost(Forward(w, b, sizes, a0).A[^1], target);
            values[e] = saved;
            double numeric = (plus - minus) / (2 * h);
            Assert.True(Math.Abs(formula - numeric) <= (1e-6 * Math.Max(Math.Abs(formula), Math.Abs(numeric))) + 1e-9, $"{what}: formula {formula:G10}, finite differences {numeric:G10}");
        }
    }

    private static void AssertClose(double[] formula, Tensor library, string what)
    {
        for (int e = 0; e < formula.Length; e++)
        {
            Assert.True(Math.Abs(formula[e] - library[e]) <= (1e-4 * Math.Abs(formula[e])) + 1e-6, $"{what} entry {e}: formula {formula[e]:G8}, library {library[e]:G8}");
        }
    }

    private static (Network Network, Tensor X, Tensor Y) Build(int seed, int[] sizes, int batch, bool oneHot)
    {
        var layers = new List<Layer>();
        for (int l = 1; l < sizes.Length; l++)
        {
            layers.Add(new Dense(sizes[l - 1], sizes[l], Initializer.StandardNormal));
            layers.Add(new Sigmoid());
        }

        var network = new Network([.. layers]);
        network.Initialize(seed);
        Tensor x = TestNetworks.Random(seed, 0, 1, batch, sizes[0]);
        Tensor y = oneHot ? TestNetworks.OneHot(seed, batch, sizes[^1]) : TestNetworks.Random(seed + 1, 0, 1, batch, sizes[^1]);
        return (network, x, y);
    }

    /// <summary>The README's forward pass in double: z⁽ˡ⁾ = W⁽ˡ⁾a⁽ˡ⁻¹⁾ + b⁽ˡ⁾, a⁽ˡ⁾ = σ(z⁽ˡ⁾); index 0 of z is unused.</summary>
    private static (double[][] Z, double[][] A) Forward(double[][] w, double[][] b, int[] sizes, double[] a0)
    {
        double[][] z = new double[sizes.Length][];
        double[][] a = new double[sizes.Length][];
        z[0] = [];
        a[0] = a0;
        for (int l = 1; l < sizes.Length; l++)
        {
            z[l] = new double[sizes[l]];
            a[l] = new double[sizes[l]];
            for (int i = 0; i < sizes[l]; i++)
            {
                double sum = b[l][i];
                for (int j = 0; j < sizes[l - 1]; j++)
                {
                    sum += w[l][(i * sizes[l - 1]) + j] * a[l - 1][j];
                }

                z[l][i] = sum;
                a[l][i] = 1 / (1 + Math.Exp(-sum));
            }
        }

        return (z, a);
    }

    /// <summary>C = Σₖ (aₖ − yₖ)², the seed's cost of one sample.</summary>
    private static double Cost(double[] a, double[] y) => a.Select((value, k) => (value - y[k]) * (value - y[k])).Sum();

    private static double SigmoidPrime(double z)
    {
        double s = 1 / (1 + Math.Exp(-z));
        return s * (1 - s);
    }

    private static double[] ToDouble(Tensor t) => t.Span.ToArray().Select(v => (double)v).ToArray();
}
