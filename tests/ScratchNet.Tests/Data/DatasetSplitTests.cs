namespace ScratchNet.Tests.Data;

public sealed class DatasetSplitTests
{
    /// <summary>100 samples whose input is their own index and whose label is the index mod 10.</summary>
    private static Dataset Numbered(int count = 100)
    {
        var inputs = new Tensor(count, 2);
        int[] labels = new int[count];
        for (int n = 0; n < count; n++)
        {
            inputs[2 * n] = n;
            inputs[(2 * n) + 1] = -n;
            labels[n] = n % 10;
        }

        return Dataset.FromLabels(inputs, labels, 10);
    }

    [Fact]
    public void Every_sample_lands_in_exactly_one_part_with_its_target()
    {
        (Dataset training, Dataset validation) = Numbered().Split(0.2, seed: 1);

        Assert.Equal(80, training.Count);
        Assert.Equal(20, validation.Count);
        int[] ids = [.. Ids(training), .. Ids(validation)];
        Assert.Equal(Enumerable.Range(0, 100), ids.Order());
        foreach (Dataset part in new[] { training, validation })
        {
            for (int r = 0; r < part.Count; r++)
            {
                Assert.Equal(-part.Inputs[2 * r], part.Inputs[(2 * r) + 1]);
                Assert.Equal((int)part.Inputs[2 * r] % 10, part.Label(r));
            }
        }
    }

    [Fact]
    public void Each_part_keeps_the_original_order_and_the_validation_samples_are_spread_out()
    {
        (Dataset training, Dataset validation) = Numbered().Split(0.2, seed: 1);

        Assert.Equal(Ids(training).Order(), Ids(training));
        Assert.Equal(Ids(validation).Order(), Ids(validation));
        Assert.NotEqual(Enumerable.Range(0, 20), Ids(validation));
        Assert.NotEqual(Enumerable.Range(80, 20), Ids(validation));
    }

    [Fact]
    public void The_same_seed_gives_the_same_split_and_another_seed_another()
    {
        Dataset data = Numbered();

        Assert.Equal(Ids(data.Split(0.3, 5).Validation), Ids(data.Split(0.3, 5).Validation));
        Assert.NotEqual(Ids(data.Split(0.3, 5).Validation), Ids(data.Split(0.3, 6).Validation));
    }

    [Fact]
    public void The_validation_count_is_rounded_to_the_nearest_sample()
    {
        (Dataset training, Dataset validation) = Numbered(7).Split(0.5, seed: 1);

        // 3.5 rounds up to 4
        Assert.Equal(3, training.Count);
        Assert.Equal(4, validation.Count);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    [InlineData(-0.5)]
    [InlineData(double.NaN)]
    public void A_fraction_outside_zero_to_one_is_rejected(double fraction)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Numbered().Split(fraction, 1));

        Assert.StartsWith("The validation fraction must be strictly between 0 and 1.", error.Message);
    }

    [Fact]
    public void A_fraction_that_leaves_a_part_empty_is_rejected()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Numbered(10).Split(0.01, 1));

        Assert.StartsWith("A validation fraction of 0.01 of 10 samples leaves 0 for validation and 10 for training; both need at least one.", error.Message);
    }

    private static int[] Ids(Dataset data) => Enumerable.Range(0, data.Count).Select(r => (int)data.Inputs[2 * r]).ToArray();
}
