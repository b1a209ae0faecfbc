namespace ScratchNet;

/// <summary>
/// A copy of everything a network has learned: every parameter's values and every layer's
/// <see cref="Layer.State"/> (batch norm's running mean and variance). The buffers are allocated
/// once; <see cref="Capture"/> and <see cref="Restore"/> only copy.
/// </summary>
internal sealed class NetworkSnapshot
{
    private readonly Tensor[] _live;
    private readonly float[][] _saved;

    public NetworkSnapshot(Network network)
    {
        _live = network.Layers
            .SelectMany(layer => layer.Parameters.Select(p => p.Value).Concat(layer.State.Select(s => s.Value)))
            .ToArray();
        _saved = _live.Select(t => new float[t.Length]).ToArray();
    }

    public void Capture()
    {
        for (int i = 0; i < _live.Length; i++)
        {
            _live[i].Span.CopyTo(_saved[i]);
        }
    }

    public void Restore()
    {
        for (int i = 0; i < _live.Length; i++)
        {
            _saved[i].CopyTo(_live[i].Span);
        }
    }
}
