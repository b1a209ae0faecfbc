namespace ScratchNet;

/// <summary>
/// Checks a network's hand-written backward passes against central finite differences, in one call:
/// <code>
/// GradientCheckReport report = GradientChecker.Check(network, new QuadraticCost(), inputs, targets);
/// Console.WriteLine(report);   // a table: every parameter tensor and the input, worst entry, verdict
/// </code>
/// </summary>
/// <remarks>
/// <para>
/// For every checked value θ (a weight, a bias, an input pixel) the checker compares the analytic
/// derivative a = ∂C̄/∂θ, from one forward and backward pass, with the numeric derivative n of the
/// mean cost C̄ (the value <see cref="Cost.Loss"/> returns), from the five-point central difference
/// <code>
/// D(h) = (C̄(θ + h) − C̄(θ − h)) / 2h        n = D(h) + (D(h) − D(2h)) / 3   (Richardson: error O(h⁴))
/// </code>
/// and the relative error |a − n| / max(|a|, |n|, ε / tolerance), where ε is the float32 rounding error
/// expected in n (below). So an entry passes when a and n agree to the tolerance, or, for a derivative
/// too close to zero for float32 to measure it that well, when they agree within ε: derivatives near
/// zero neither divide by zero nor hide a mistake larger than the arithmetic can see.
/// </para>
/// <para>
/// Why float32 and not a double path: the layers compute in float32 (<see cref="Tensor"/>), and the
/// check must run the very code a network trains with, including a layer the user wrote, without a
/// second implementation that could be right where the real one is wrong. So the checker perturbs the
/// float32 values themselves and keeps the rest as exact as float32 allows: the cost is accumulated in
/// double; the step h is a power of two near Step·max(|θ|, 1), so θ ± h and θ ± 2h are exact; and the
/// Richardson combination of steps h and 2h cancels the h² truncation error, which lets h be large
/// (≈ 1.6% of θ) and the float32 rounding of the cost, divided by h, small. What remains is the
/// rounding of every layer's outputs a (u = 2⁻²⁴ each, relative) as the cost sees it,
/// S = Σₖ |∂C̄/∂aₖ·aₖ| over every layer's outputs, plus the rounding inside the layers; the checker
/// takes ε = 4·u·S/h (4 measured, with a margin of 2.7) and reports it. ε is around 10⁻⁵ for a cost
/// near 1: an entry passes when a and n agree to 10⁻³ relative or, if the derivative is too small for
/// float32 to measure it that well, within ε; any larger mistake fails.
/// </para>
/// <para>
/// Kinks are never skipped silently. Where the cost is not differentiable within two steps of θ (ReLU
/// at 0, a max-pool tie), the one-sided slopes L = (C̄(θ) − C̄(θ − h))/h and R = (C̄(θ + h) − C̄(θ))/h
/// differ; with R₂, L₂ the slopes over 2h, the indicators J = 2(R − L) − (R₂ − L₂) and
/// J₂ = (R₂ − R) − (L − L₂) are O(h²) for a smooth cost, and at least a quarter of the slope's jump at a
/// corner anywhere within two steps. An entry that fails the comparison with n and has max(|J|, |J₂|)
/// above max(ε, 4·tolerance·max(|a|, |n|)) is listed (a corner moves n by at most about a sixth of the
/// indicators, so any corner that could push n past the tolerance or past ε is caught; the indicators'
/// own rounding is a fraction of ε; entries that pass the comparison need no excuse and are not listed).
/// A deep ReLU/max-pool network has so many corners within one step of a first-layer weight that the
/// one-sided slopes blur; check such layers in a small network, or with a smaller step. in <see cref="TensorGradientCheck.KinkIndices"/> and judged against the one-sided
/// derivatives: a must lie between them (a sub-gradient), within 4ε and the tolerance.
/// </para>
/// <para>
/// The network is run with <c>training: true</c> throughout, so layers that act only in training
/// (dropout, batch normalization) are checked in that mode; a layer that draws random numbers must
/// draw the same ones on every pass of a check. The caller's inputs are copied, never changed; every
/// parameter is restored bit for bit, and afterwards every <see cref="Parameter.Gradient"/> holds the
/// analytic gradient for the unperturbed values.
/// </para>
/// </remarks>
public static class GradientChecker
{
    private const string InputName = "input";

    /// <summary>Checks every parameter tensor (and the input) of a network for one batch.</summary>
    /// <param name="network">The network; any layers, including your own.</param>
    /// <param name="cost">The cost C; its <see cref="Cost.Loss"/> is differentiated numerically and its <see cref="Cost.Gradient"/> starts the backward pass.</param>
    /// <param name="inputs">An input batch, batch first (not changed).</param>
    /// <param name="targets">The targets, the shape of the network's output for <paramref name="inputs"/>.</param>
    /// <param name="options">Tolerance, step, sampling; the defaults check every entry with tolerance 10⁻³.</param>
    /// <returns>The report: per tensor the largest absolute and relative errors, where, and whether it passed.</returns>
    /// <exception cref="ArgumentException">The inputs or targets do not fit the network, or an option is out of range.</exception>
    /// <exception cref="ArithmeticException">The cost of the unperturbed network is NaN or infinite.</exception>
    public static GradientCheckReport Check(Network network, Cost cost, Tensor inputs, Tensor targets, GradientCheckOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(cost);
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(targets);
        options ??= new GradientCheckOptions();
        options.Validate();

        Tensor x = inputs.Clone();
        network.Forward(x, training: true); // checks the input shape
        Tensor[] outputs = Forward(network, x);
        Tensor output = outputs[^1];
        double loss = cost.Loss(output, targets);
        if (!double.IsFinite(loss))
        {
            throw new ArithmeticException($"The cost of the unperturbed network is {loss}; a gradient check needs a finite cost. Check the inputs and weights for NaN or huge values.");
        }

        var outputGradient = new Tensor(output.Shape.ToArray());
        cost.Gradient(output, targets, outputGradient);
        (Tensor inputGradient, double noise) = Backward(network, outputs, outputGradient);

        // (layer, name, the values to perturb, the analytic gradient), input side first, the input last.
        var tensors = new List<(int? Layer, string LayerName, string Name, Tensor Values, float[] Analytic)>();
        for (int l = 0; l < network.Layers.Count; l++)
        {
            Layer layer = network.Layers[l];
            foreach (Parameter parameter in layer.Parameters)
            {
                tensors.Add((l, layer.Name, parameter.Name, parameter.Value, parameter.Gradient.Span.ToArray()));
            }
        }

        if (options.CheckInputs)
        {
            tensors.Add((null, InputName, "x", x, inputGradient.Span.ToArray()));
        }

        double Cost() => cost.Loss(network.Forward(x, training: true), targets);

        var random = new Random(options.Seed);
        var results = new List<TensorGradientCheck>(tensors.Count);
        foreach ((int? layer, string layerName, string name, Tensor values, float[] analytic) in tensors)
        {
            int[] indices = Choose(values.Length, options.SampleSize, random);
            var entries = new Entry[indices.Length];
            for (int k = 0; k < indices.Length; k++)
            {
                entries[k] = Differentiate(values, indices[k], loss, analytic[indices[k]], options.Step, noise, Cost);
            }

            results.Add(Judge(layer, layerName, name, values.Shape.ToArray(), indices, entries, options));
        }

        // Leave the layers' caches and gradients as they are for the unperturbed values.
        outputs = Forward(network, x);
        cost.Gradient(outputs[^1], targets, outputGradient);
        Backward(network, outputs, outputGradient);
        return new GradientCheckReport(results, options.Tolerance);
    }

    /// <summary>All indices in order, or <paramref name="sampleSize"/> distinct ones chosen at random, sorted.</summary>
    private static int[] Choose(int length, int? sampleSize, Random random)
    {
        if (sampleSize is not { } k || k >= length)
        {
            return Enumerable.Range(0, length).ToArray();
        }

        // A partial Fisher–Yates shuffle over the index range: O(length) memory, but tensors fit in memory anyway.
        int[] all = Enumerable.Range(0, length).ToArray();
        for (int i = 0; i < k; i++)
        {
            int j = random.Next(i, length);
            (all[i], all[j]) = (all[j], all[i]);
        }

        int[] chosen = all[..k];
        Array.Sort(chosen);
        return chosen;
    }

    /// <summary>The numeric derivative of one value, its one-sided slopes, and the kink indicator J.</summary>
    private static Entry Differentiate(Tensor values, int index, double c0, double analytic, double step, double noise, Func<double> cost)
    {
        float theta = values[index];
        double h = Math.Pow(2, Math.Round(Math.Log2(step * Math.Max(Math.Abs(theta), 1.0))));

        // The perturbed values are float32; the offsets actually applied are measured in double.
        (double plus1, double d1) = At(theta + h);
        (double minus1, double e1) = At(theta - h);
        (double plus2, double d2) = At(theta + (2 * h));
        (double minus2, double e2) = At(theta - (2 * h));
        values[index] = theta;

        double centralH = (plus1 - minus1) / (d1 - e1);
        double central2H = (plus2 - minus2) / (d2 - e2);
        double numeric = centralH + ((centralH - central2H) / 3);

        double right1 = (plus1 - c0) / d1, left1 = (c0 - minus1) / -e1;
        double right2 = (plus2 - c0) / d2, left2 = (c0 - minus2) / -e2;
        // Two kink indicators, both O(h²) or smaller for a smooth cost: J catches a corner at θ itself,
        // J₂ one between θ and θ ± 2h; together they see a slope change Δ anywhere within two steps as ≥ Δ/4.
        double jump = Math.Max(Math.Abs((2 * (right1 - left1)) - (right2 - left2)), Math.Abs(right2 - right1 - left1 + left2));
        double low = Min(left1, right1, left2, right2, (2 * left1) - left2, (2 * right1) - right2, numeric);
        double high = Max(left1, right1, left2, right2, (2 * left1) - left2, (2 * right1) - right2, numeric);
        return new Entry(analytic, numeric, jump, low, high, noise / h);

        (double Cost, double Offset) At(double target)
        {
            float perturbed = (float)target;
            values[index] = perturbed;
            return (cost(), (double)perturbed - theta);
        }
    }

    /// <summary>Turns the entries of one tensor into its verdict.</summary>
    private static TensorGradientCheck Judge(int? layer, string layerName, string name, int[] shape, int[] indices, Entry[] entries, GradientCheckOptions options)
    {
        double worstRelative = -1, worstAbsolute = 0;
        int worst = 0;
        var kinks = new List<int>();
        for (int k = 0; k < entries.Length; k++)
        {
            Entry e = entries[k];
            double scale = Max(Math.Abs(e.Analytic), Math.Abs(e.Numeric), e.Noise / options.Tolerance, double.Epsilon);
            double absolute = Math.Abs(e.Analytic - e.Numeric);
            double relative = absolute / scale;
            if (!(relative <= options.Tolerance) && e.Jump > Math.Max(e.Noise, 4 * options.Tolerance * Math.Max(Math.Abs(e.Analytic), Math.Abs(e.Numeric))))
            {
                // The central difference disagrees, and the slope jumps within two steps: a kink. There the
                // analytic value must be a sub-gradient, between the one-sided slopes. Those carry about
                // four times the rounding of the central difference (one step, not two, and the
                // extrapolated ones more), hence the 4ε of slack.
                kinks.Add(indices[k]);
                double low = e.Low - (4 * e.Noise), high = e.High + (4 * e.Noise);
                double outside = e.Analytic < low ? low - e.Analytic : e.Analytic > high ? e.Analytic - high : 0;
                relative = outside / scale;
            }

            if (double.IsNaN(relative))
            {
                relative = double.PositiveInfinity;
            }

            worstAbsolute = double.IsNaN(absolute) ? double.PositiveInfinity : Math.Max(worstAbsolute, absolute);
            if (relative > worstRelative)
            {
                worstRelative = relative;
                worst = k;
            }
        }

        return new TensorGradientCheck(
            layer,
            layerName,
            name,
            shape,
            entries.Length,
            worstAbsolute,
            worstRelative,
            indices[worst],
            entries[worst].Analytic,
            entries[worst].Numeric,
            entries[worst].Noise,
            kinks,
            worstRelative <= options.Tolerance);
    }

    /// <summary>
    /// Network.Backward, layer by layer, also measuring the float32 rounding error to expect in C̄:
    /// every layer's output aₖ is rounded by a relative u = 2⁻²⁴ or so, which moves C̄ by at most about
    /// u·S with S = Σ |∂C̄/∂aₖ·aₖ| over every layer's outputs; times a safety factor for the rounding
    /// inside the layers. Divided by h it is the noise ε of a numeric derivative.
    /// </summary>
    private static (Tensor InputGradient, double Rounding) Backward(Network network, Tensor[] outputs, Tensor outputGradient)
    {
        network.Layers[0].InputGradientNeeded = true;

        double sum = 0;
        Tensor delta = outputGradient;
        for (int l = network.Layers.Count - 1; l >= 0; l--)
        {
            sum += Sensitivity(outputs[l], delta);
            delta = network.Layers[l].Backward(delta);
        }

        return (delta.Clone(), NoiseFactor * sum / (1 << 24));
    }

    /// <summary>
    /// How much the rounding inside the layers (dot products, exponentials, a shared 1/σ) adds. Measured
    /// on 400 random Dense/Sigmoid networks and 300 random cases of every built-in layer: the numeric
    /// error reached at most 1.5·u·S/h (median 0.15); 4 leaves a margin of 2.7. A bound (Σ |·|) rather than
    /// a random-walk estimate (√Σ (·)²), because some roundings are shared: batch normalisation rounds
    /// one 1/σ for a whole channel, which moves every output of it the same way.
    /// </summary>
    private const double NoiseFactor = 4;

    /// <summary>Network.Forward in training mode, keeping every layer's output: outputs[l] is layer l's.</summary>
    private static Tensor[] Forward(Network network, Tensor x)
    {
        var outputs = new Tensor[network.Layers.Count];
        Tensor a = x.Reshape([x.BatchSize, .. network.InputShape]);   // as Network.Forward sees it, sharing x's values
        for (int l = 0; l < outputs.Length; l++)
        {
            a = outputs[l] = network.Layers[l].Forward(a, training: true);
        }

        return outputs;
    }

    /// <summary>Σₖ |∂C̄/∂aₖ·aₖ|: how far C̄ moves if every aₖ moves by its own size.</summary>
    private static double Sensitivity(Tensor a, Tensor gradient)
    {
        ReadOnlySpan<float> values = a.Span;
        ReadOnlySpan<float> g = gradient.Span;
        double sum = 0;
        for (int k = 0; k < values.Length; k++)
        {
            sum += Math.Abs((double)g[k] * values[k]);
        }

        return sum;
    }

    private static double Max(params ReadOnlySpan<double> values)
    {
        double max = values[0];
        foreach (double v in values)
        {
            max = Math.Max(max, v);
        }

        return max;
    }

    private static double Min(params ReadOnlySpan<double> values)
    {
        double min = values[0];
        foreach (double v in values)
        {
            min = Math.Min(min, v);
        }

        return min;
    }

    private readonly record struct Entry(double Analytic, double Numeric, double Jump, double Low, double High, double Noise);
}
