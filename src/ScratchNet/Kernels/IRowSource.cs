namespace ScratchNet.Kernels;

/// <summary>
/// Writes rows of a product's A just before they are used, so that the core that multiplies a range of rows is the
/// one that wrote it, and reads it from its own cache (a convolution's patch rows: <see cref="Im2Row"/>).
/// </summary>
internal interface IRowSource
{
    /// <summary>Writes rows [<paramref name="from"/>, <paramref name="to"/>) of A; it must write nothing else.</summary>
    void Fill(int from, int to);
}
