namespace ScratchNet.Tests.Training;

/// <summary>
/// Training reads pixel inputs from a byte copy (a quarter of the memory); the copy must always give the
/// floats the tensor holds, so any way of writing to the tensor drops it.
/// </summary>
public sealed class PixelCopyTests
{
    [Fact]
    public void Pixel_inputs_are_found_to_be_bytes()
    {
        Tensor inputs = PixelTensor(out byte[] bytes);

        Assert.Equal(bytes, inputs.PixelBytes());
    }

    public static TheoryData<string> Writes => new() { "Span", "indexer", "Sample", "Clear", "Reshape view" };

    [Theory]
    [MemberData(nameof(Writes))]
    public void Every_way_of_writing_drops_the_byte_copy(string write)
    {
        Tensor inputs = PixelTensor(out _);
        Assert.NotNull(inputs.PixelBytes());

        switch (write)
        {
            case "Span":
                inputs.Span[5] = 0.3f;
                break;
            case "indexer":
                inputs[5] = 0.3f;
                break;
            case "Sample":
                inputs.Sample(0)[5] = 0.3f;
                break;
            case "Clear":
                inputs.Clear();
                break;
            case "Reshape view":
                inputs.Reshape(2, 28, 28, 1).Span[5] = 0.3f;
                break;
        }

        if (write == "Clear")
        {
            Assert.Equal(new byte[2 * 784], inputs.PixelBytes()); // found again: all zeros are pixels too
        }
        else
        {
            Assert.Null(inputs.PixelBytes());
        }
    }

    [Fact]
    public void The_MNIST_loader_records_the_file_bytes()
    {
        using var temp = new Data.TempDirectory();
        string images = Data.IdxBytes.Write(temp.File("images"), Data.IdxBytes.Images(3));
        string labels = Data.IdxBytes.Write(temp.File("labels"), Data.IdxBytes.Labels(0, 9, 3));

        Dataset data = Mnist.LoadPair(images, labels);

        AssertBytesMatchValues(data.Inputs);
    }

    [Fact]
    public void Slices_and_splits_keep_a_byte_copy_that_matches_their_values()
    {
        var data = Dataset.FromLabels(PixelTensor(out _, samples: 20), Enumerable.Range(0, 20).Select(i => i % 10).ToArray(), 10);
        Assert.NotNull(data.Inputs.PixelBytes());

        (Dataset training, Dataset validation) = data.Split(0.25, seed: 3);
        foreach (Dataset part in new[] { data.Slice(4, 7), training, validation })
        {
            AssertBytesMatchValues(part.Inputs);
        }
    }

    [Fact]
    public void A_minibatch_gathered_from_bytes_equals_one_gathered_from_floats()
    {
        var data = Dataset.FromLabels(PixelTensor(out _, samples: 30), Enumerable.Range(0, 30).Select(i => i % 10).ToArray(), 10);
        int[] indices = [29, 3, 17, 0, 8, 8, 21];

        (Tensor fromBytes, Tensor targetsFromBytes) = new MinibatchSource(data, 7, compactPixels: true).Gather(indices);
        (Tensor fromFloats, Tensor targetsFromFloats) = new MinibatchSource(data, 7).Gather(indices);

        Assert.Equal(fromFloats.Values.ToArray(), fromBytes.Values.ToArray());
        Assert.Equal(targetsFromFloats.Values.ToArray(), targetsFromBytes.Values.ToArray());
        Assert.Equal(data.Inputs.Values.Slice(17 * 784, 784).ToArray(), fromBytes.Values.Slice(2 * 784, 784).ToArray());
    }

    private static void AssertBytesMatchValues(Tensor inputs)
    {
        byte[]? bytes = inputs.KnownPixelBytes;
        Assert.NotNull(bytes);
        Assert.Equal(bytes.Select(b => b / 255f), inputs.Values.ToArray());
    }

    private static Tensor PixelTensor(out byte[] bytes, int samples = 2)
    {
        bytes = new byte[samples * 784];
        new Random(samples).NextBytes(bytes);
        return new Tensor(bytes.Select(b => b / 255f).ToArray(), samples, 784);
    }
}
