namespace ScratchNet.Tests.Layers;

public sealed class FlattenTests
{
    [Fact]
    public void Flatten_changes_only_the_shape()
    {
        var flatten = new Flatten();
        Tensor x = TestNetworks.Random(1, -1, 1, 2, 3, 3, 4);

        Tensor a = flatten.Forward(x, training: true);
        Tensor dz = flatten.Backward(a);

        Assert.Equal([2, 36], a.Shape.ToArray());
        Assert.Equal(x.Span.ToArray(), a.Span.ToArray());
        Assert.Equal([2, 3, 3, 4], dz.Shape.ToArray());
    }
}
