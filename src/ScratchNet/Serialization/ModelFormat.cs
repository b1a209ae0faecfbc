namespace ScratchNet.Serialization;

/// <summary>
/// The constants of the model format (docs/model-format.md): its markers, its version, and the limits a
/// reader enforces before it allocates anything for what a file declares.
/// </summary>
internal static class ModelFormat
{
    /// <summary>The version this library writes. Versions 1 and 2 are still read.</summary>
    public const int Version = 3;

    /// <summary>Bytes before the body in version 3: magic, version, body length.</summary>
    public const int HeaderBytes = 16;

    /// <summary>The CRC-32 after the body in version 3.</summary>
    public const int ChecksumBytes = 4;

    /// <summary>The largest model file read: 1 GiB, 268 million weights.</summary>
    public const long MaxFileBytes = 1L << 30;

    /// <summary>The longest type, tensor or section name, in bytes of UTF-8.</summary>
    public const int MaxNameBytes = 256;

    /// <summary>The most dimensions of a shape.</summary>
    public const int MaxRank = 8;

    /// <summary>The most layers in a network.</summary>
    public const int MaxLayers = 10_000;

    /// <summary>The most settings of one layer.</summary>
    public const int MaxSettings = 64;

    /// <summary>The most parameter or state tensors of one layer.</summary>
    public const int MaxTensors = 64;

    /// <summary>The most values in one input sample (a 4096 × 4096 × 4 image): an input shape allocates nothing on loading, but every prediction would.</summary>
    public const int MaxSampleValues = 1 << 26;

    /// <summary>
    /// The largest magnitude of a weight or state value, 10¹²: no trained network holds a larger one (the
    /// shipped models stay below 10² ), and a few such values overflow float32 within a few layers, so a
    /// larger one is damage, not a model.
    /// </summary>
    public const float MaxMagnitude = 1e12f;

    public static ReadOnlySpan<byte> Magic => "SCNN"u8;

    public static ReadOnlySpan<byte> EndMarker => "END."u8;
}
