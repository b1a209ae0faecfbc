namespace ScratchNet;

/// <summary>
/// The one permutation between ScratchNet's channels-last order and ONNX's channels-first order, applied to
/// each row of a weight matrix: a Dense layer's row after a Flatten (pixels = H·W) and a convolution's
/// filter (pixels = k·k) hold their values as (pixel, c) in ScratchNet and as (c, pixel) in ONNX.
/// </summary>
internal static class ChannelOrder
{
    /// <summary>Each row's value at (pixel, c), index pixel·C + c, moved to (c, pixel), index c·P + pixel, or back.</summary>
    /// <param name="source">The rows, one after the other.</param>
    /// <param name="pixels">P, the positions per channel in a row.</param>
    /// <param name="channels">C.</param>
    /// <param name="toChannelsFirst"><see langword="true"/> from ScratchNet's order to ONNX's, <see langword="false"/> back.</param>
    public static float[] Permute(ReadOnlySpan<float> source, int pixels, int channels, bool toChannelsFirst)
    {
        int row = pixels * channels;
        float[] target = new float[source.Length];
        for (int start = 0; start < source.Length; start += row)
        {
            for (int pixel = 0; pixel < pixels; pixel++)
            {
                for (int c = 0; c < channels; c++)
                {
                    int last = start + (pixel * channels) + c, first = start + (c * pixels) + pixel;
                    if (toChannelsFirst)
                    {
                        target[first] = source[last];
                    }
                    else
                    {
                        target[last] = source[first];
                    }
                }
            }
        }

        return target;
    }
}
