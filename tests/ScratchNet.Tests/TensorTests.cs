using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ScratchNet.Tests;

/// <summary>
/// A tensor's storage: from 256 values on, the values start on a 64-byte boundary (so a 512-bit row load touches one
/// cache line); views share the values, copies do not, and the shape checks name what is wrong.
/// </summary>
public sealed class TensorTests
{
    [Theory]
    [InlineData(256)]
    [InlineData(784)]
    [InlineData(10 * 784)]
    [InlineData(100_003)]
    public void Large_tensors_start_on_a_64_byte_boundary_whichever_way_they_are_made(int length)
    {
        float[] values = Enumerable.Range(0, length).Select(i => (float)i).ToArray();

        foreach (Tensor tensor in (Tensor[])[new Tensor(length), new Tensor(values, length), new Tensor(values, length).Clone(), new Tensor(values, 1, length).Reshape(length)])
        {
            Assert.Equal(0, Address(tensor) % 64);
            Assert.Equal(length, tensor.Length);
            Assert.Equal(length, tensor.Span.Length);
        }

        Assert.Equal(values, new Tensor(values, length).Span.ToArray());
    }

    [Fact]
    public void A_reshaped_tensor_shares_the_values_and_a_clone_does_not()
    {
        var tensor = new Tensor(Enumerable.Range(0, 512).Select(i => (float)i).ToArray(), 2, 256);
        Tensor view = tensor.Reshape(512);
        Tensor copy = tensor.Clone();

        view[300] = -1;
        copy[301] = -2;

        Assert.Equal(-1, tensor[300]);
        Assert.Equal(301, tensor[301]);
        Assert.Equal(-1, tensor.Sample(1)[300 - 256]);
        Assert.Equal(Address(tensor), Address(view));
        tensor.Clear();
        Assert.Equal(0, view[300]);
        Assert.Equal(-2, copy[301]);
    }

    [Fact]
    public void Values_that_do_not_fill_the_shape_are_refused_before_anything_is_allocated()
    {
        var error = Assert.Throws<ArgumentException>(() => new Tensor(new float[300], 2, 256));

        Assert.StartsWith("The shape [2, 256] holds 512 values, but 300 were given.", error.Message);
    }

    private static unsafe long Address(Tensor tensor) => (long)Unsafe.AsPointer(ref MemoryMarshal.GetReference(tensor.Span));
}
