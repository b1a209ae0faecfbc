using ScratchNet.Kernels;

namespace ScratchNet;

/// <summary>
/// Copies samples of a dataset into reusable minibatch tensors, so that a training step allocates
/// nothing once the buffers exist. The last batch of an epoch may be smaller; it gets its own buffers.
/// </summary>
internal sealed class MinibatchSource
{
    private readonly Dataset _data;
    private readonly int _batchSize;
    private readonly byte[]? _pixels;
    private readonly Tensor? _inputs;
    private (Tensor X, Tensor Y)? _full;
    private (Tensor X, Tensor Y)? _last;

    /// <summary>
    /// A source of minibatches of <paramref name="data"/>. A dataset of 8-bit pixels (MNIST's) is read from
    /// its bytes, a quarter of the memory to read per shuffled minibatch, and expanded to the same floats.
    /// </summary>
    public MinibatchSource(Dataset data, int batchSize)
    {
        _data = data;
        _batchSize = batchSize;
        _pixels = data.Pixels;
        _inputs = _pixels is null ? data.Inputs : null;   // a dataset of pixels is read from its bytes only
    }

    /// <summary>Samples [start, start + batch size), clipped to the dataset, in order.</summary>
    public (Tensor X, Tensor Y) Range(int start)
    {
        int count = Math.Min(_batchSize, _data.Count - start);
        (Tensor x, Tensor y) = Buffers(count);
        int outSize = _data.Targets.SampleSize;
        _data.CopyInputs(start, count, x.Span);
        _data.Targets.Values.Slice(start * outSize, count * outSize).CopyTo(y.Span);
        return (x, y);
    }

    /// <summary>The samples at the given indices, in that order.</summary>
    public (Tensor X, Tensor Y) Gather(ReadOnlySpan<int> indices)
    {
        (Tensor x, Tensor y) = Buffers(indices.Length);
        int inSize = _data.InputSize;
        int outSize = _data.Targets.SampleSize;
        ReadOnlySpan<float> inputs = _inputs is null ? default : _inputs.Values;
        ReadOnlySpan<float> targets = _data.Targets.Values;
        Span<float> xs = x.Span;
        Span<float> ys = y.Span;
        for (int r = 0; r < indices.Length; r++)
        {
            int n = indices[r];
            if (_pixels is not null)
            {
                PixelBytes.Expand(_pixels.AsSpan(n * inSize, inSize), xs.Slice(r * inSize, inSize));
            }
            else
            {
                inputs.Slice(n * inSize, inSize).CopyTo(xs.Slice(r * inSize, inSize));
            }

            targets.Slice(n * outSize, outSize).CopyTo(ys.Slice(r * outSize, outSize));
        }

        return (x, y);
    }

    /// <summary>
    /// Asks the processor to start loading the input and target rows at <paramref name="indices"/> into its caches. A
    /// shuffled epoch reads rows from all over a large array (188 MB for MNIST as floats, 47 MB as bytes),
    /// and without this each minibatch waits for memory; it changes no value.
    /// </summary>
    public void Prefetch(ReadOnlySpan<int> indices)
    {
        int inSize = _data.InputSize;
        if (_pixels is not null)
        {
            CachePrefetch.Rows<byte>(_pixels, inSize, indices);
        }
        else
        {
            CachePrefetch.Rows(_inputs!.Values, inSize, indices);
        }

        // The targets too: MNIST's one-hot rows are 2.4 MB, more than L2 holds, and a batch of 10 waited for them.
        CachePrefetch.Rows(_data.Targets.Values, _data.Targets.SampleSize, indices);
    }

    /// <summary>
    /// How many rows of <paramref name="output"/> are right: the largest output is at the largest target
    /// (for a single output, both are on the same side of ½).
    /// </summary>
    public static int CountCorrect(Tensor output, Tensor target)
    {
        // The rows sliced here rather than by Tensor.Sample, which divides to find a row's size on every call.
        ReadOnlySpan<float> outputs = output.Values, targets = target.Values;
        int rows = output.BatchSize, outputSize = output.SampleSize, targetSize = target.SampleSize;
        int correct = 0;
        for (int n = 0; n < rows; n++)
        {
            if (ClassOf(outputs.Slice(n * outputSize, outputSize)) == ClassOf(targets.Slice(n * targetSize, targetSize)))
            {
                correct++;
            }
        }

        return correct;
    }

    /// <summary>The class of one output or target row: the index of the largest value, or for a single value 1 if it is at least ½, else 0.</summary>
    public static int ClassOf(ReadOnlySpan<float> row) => row.Length == 1 ? (row[0] >= 0.5f ? 1 : 0) : Dataset.ArgMax(row);

    private (Tensor X, Tensor Y) Buffers(int count)
    {
        ref (Tensor X, Tensor Y)? slot = ref count == _batchSize ? ref _full : ref _last;
        if (slot is not { } buffers || buffers.X.BatchSize != count)
        {
            buffers = (NewBatch(_data.InputShape, count), NewBatch(_data.Targets.Shape, count));
            slot = buffers;
        }

        return buffers;
    }

    private static Tensor NewBatch(ReadOnlySpan<int> like, int count)
    {
        int[] shape = like.ToArray();
        shape[0] = count;
        return new Tensor(shape);
    }
}
