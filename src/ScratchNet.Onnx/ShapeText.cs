namespace ScratchNet;

/// <summary>Shapes in messages, written as the core library writes them (<c>[2, 3, 4]</c>).</summary>
internal static class ShapeText
{
    /// <summary>Writes <paramref name="shape"/> as <c>[2, 3, 4]</c>.</summary>
    public static string Format(ReadOnlySpan<int> shape) => "[" + string.Join(", ", shape.ToArray()) + "]";
}
