namespace ScratchNet.Tests.Layers;

public sealed class DropoutTests
{
    [Fact]
    public void Dropout_scales_what_it_keeps_in_training_and_passes_everything_at_inference()
    {
        var dropout = new Dropout(0.25f);
        dropout.Initialize(new Random(1));
        var x = new Tensor(1, 10_000);
        x.Span.Fill(1f);

        float[] training = dropout.Forward(x, training: true).Span.ToArray();
        Tensor inference = dropout.Forward(x, training: false);

        Assert.All(training, v => Assert.True(v == 0f || Math.Abs(v - (1f / 0.75f)) < 1e-6f));
        Assert.InRange(training.Count(v => v == 0f), 2300, 2700);
        Assert.Equal(x.Span.ToArray(), inference.Span.ToArray());
    }
}
