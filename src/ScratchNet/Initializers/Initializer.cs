namespace ScratchNet;

/// <summary>
/// Chooses the starting weights W and biases b of a layer. The same <see cref="Random"/> seed always
/// gives the same values, bit for bit.
/// </summary>
public abstract class Initializer
{
    /// <summary>The seed network's choice: every weight and bias drawn from the standard normal N(0, 1).</summary>
    public static Initializer StandardNormal { get; } = new StandardNormalInitializer();

    /// <summary>Xavier/Glorot uniform: W ~ U(−r, r) with r = √(6 / (fanIn + fanOut)), b = 0. The default of <see cref="Dense"/>.</summary>
    public static Initializer GlorotUniform { get; } = new GlorotUniformInitializer();

    /// <summary>Xavier/Glorot normal: W ~ N(0, 2 / (fanIn + fanOut)), b = 0.</summary>
    public static Initializer GlorotNormal { get; } = new GlorotNormalInitializer();

    /// <summary>He/Kaiming normal, for ReLU layers: W ~ N(0, 2 / fanIn), b = 0.</summary>
    public static Initializer HeNormal { get; } = new HeNormalInitializer();

    /// <summary>He/Kaiming uniform, for ReLU layers: W ~ U(−r, r) with r = √(6 / fanIn) (variance 2 / fanIn), b = 0.</summary>
    public static Initializer HeUniform { get; } = new HeUniformInitializer();

    /// <summary>Fills the weights and biases of one layer.</summary>
    /// <param name="weights">The weights, to be overwritten.</param>
    /// <param name="biases">The biases, to be overwritten.</param>
    /// <param name="fanIn">Inputs per neuron.</param>
    /// <param name="fanOut">Neurons fed by each input.</param>
    /// <param name="random">The source of randomness.</param>
    public abstract void Initialize(Span<float> weights, Span<float> biases, int fanIn, int fanOut, Random random);

    /// <summary>A sample of the standard normal distribution (Box–Muller), from <paramref name="random"/> alone.</summary>
    /// <param name="random">The source of randomness.</param>
    protected static double NextStandardNormal(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        double u1 = 1.0 - random.NextDouble(); // in (0, 1], so the log is finite
        double u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }
}
