namespace ScratchNet.Tests.Serialization;

/// <summary>
/// A custom layer for the tests of the layer contract: a trained per-feature scale (aᵢ = sᵢ·zᵢ), a setting
/// (the number of features) and a state (the number of training samples seen), registered as
/// <c>Test.CountingScale</c> by <see cref="Register"/>.
/// </summary>
internal sealed class CountingScale : Layer
{
    private readonly Parameter[] _parameters;
    private readonly StateTensor[] _state;

    public CountingScale(int features)
    {
        Features = features;
        Scale = new Parameter("s", new Tensor(features), new Tensor(features));
        Seen = new Tensor(1);
        _parameters = [Scale];
        _state = [new StateTensor("seen", Seen, nonNegative: true)];
    }

    public int Features { get; }

    /// <summary>Registers the layer's type name (idempotent).</summary>
    public static void Register() => LayerTypes.Register("Test.CountingScale", s => new CountingScale((int)s[0]));

    public Parameter Scale { get; }

    public Tensor Seen { get; }

    public override IReadOnlyList<Parameter> Parameters => _parameters;

    public override IReadOnlyList<StateTensor> State => _state;

    public override IReadOnlyList<double> Configuration => [Features];

    public override int[] OutputShape(ReadOnlySpan<int> inputShape) => inputShape.ToArray();

    public override void Initialize(Random random) => Scale.Value.Span.Fill(1f);

    protected override Tensor ForwardCore(Tensor input, bool training)
    {
        Tensor a = OutputBuffer(input.BatchSize);
        for (int i = 0; i < input.Length; i++)
        {
            a[i] = input[i] * Scale.Value[i % Features];
        }

        if (training)
        {
            Seen[0] += input.BatchSize;
        }

        return a;
    }

    protected override Tensor BackwardCore(Tensor outputGradient)
    {
        Tensor dz = InputGradientBuffer();
        Scale.Gradient.Clear();
        for (int i = 0; i < outputGradient.Length; i++)
        {
            Scale.Gradient[i % Features] += outputGradient[i] * LastInput[i];
            dz[i] = outputGradient[i] * Scale.Value[i % Features];
        }

        return dz;
    }
}
