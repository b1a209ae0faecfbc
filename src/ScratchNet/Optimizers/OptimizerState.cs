namespace ScratchNet;

/// <summary>Per-parameter buffers of the stateful optimizers, created at a parameter's first step.</summary>
internal static class OptimizerState
{
    /// <summary>The buffer of <paramref name="parameter"/>, a zero-filled array of its length on first use.</summary>
    public static float[] Get(Dictionary<Parameter, float[]> state, Parameter parameter)
    {
        if (!state.TryGetValue(parameter, out float[]? buffer))
        {
            buffer = new float[parameter.Value.Length];
            state.Add(parameter, buffer);
        }

        return buffer;
    }
}
