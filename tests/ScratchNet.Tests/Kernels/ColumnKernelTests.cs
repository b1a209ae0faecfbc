using ScratchNet.Kernels;

namespace ScratchNet.Tests.Kernels;

/// <summary>The column sums and the per-column map driver (with batch norm's rules) against their scalar twins: equal bit for bit, on one core or two.</summary>
public sealed class ColumnKernelTests
{
    public static TheoryData<int, int> Shapes => new()
    {
        { 1, 1 }, { 5, 7 }, { 3, 8 }, { 70, 13 }, { 9, 32 }, { 4, 33 }, { 11, 64 }, { 2, 100 }, { 130, 40 },
        { 8200, 32 },  // past 2¹⁸ values: the maps split the rows over the cores (the sums of 32 columns stay on one)
        { 4100, 64 },  // the sums too: 32 columns on each core
        { 3000, 100 }, // 48 columns on each core (blocks of 32 and 16), then 4 one at a time
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Column_sums_equal_the_scalar_sums(int rows, int f)
    {
        float[] x = TestNetworks.Random(rows + f, -2, 2, rows, f).Span.ToArray();
        float[] y = TestNetworks.Random(rows * f, -2, 2, rows, f).Span.ToArray();

        Assert.Equal(Run<double>(f, t => ReferenceKernels.ColumnSums(x, default, rows, f, t)), Run<double>(f, t => ColumnKernels.Sums(x, default, rows, f, t)));
        Assert.Equal(Run<double>(f, t => ReferenceKernels.ColumnSums(x, y, rows, f, t)), Run<double>(f, t => ColumnKernels.Sums(x, y, rows, f, t)));
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Variance_sums_and_batch_norm_rules_through_the_driver_equal_the_scalar_versions(int rows, int f)
    {
        float[] z = TestNetworks.Random(1, -2, 2, rows, f).Span.ToArray();
        float[] da = TestNetworks.Random(2, -2, 2, rows, f).Span.ToArray();
        float[][] columns = Enumerable.Range(3, 6).Select(seed => TestNetworks.Random(seed, 0.5f, 2, f).Span.ToArray()).ToArray();
        float[] mean = columns[0], inverse = columns[1], gamma = columns[2], beta = columns[3], dBeta = columns[4], dGamma = columns[5];

        Assert.Equal(Run<double>(f, t => ReferenceKernels.SquaredDeviationSums(z, mean, rows, f, t)), Run<double>(f, t => ColumnKernels.SquaredDeviationSums(z, mean, rows, f, t)));

        float[] zHat = new float[rows * f], a = new float[rows * f], zHatReference = new float[rows * f], aReference = new float[rows * f];
        ColumnKernels.Map(z, zHat, rows, f, new BatchNorm.Standardize(mean, inverse));
        ReferenceKernels.ColumnMap(z, zHatReference, rows, f, new BatchNorm.Standardize(mean, inverse));
        ColumnKernels.Map(zHat, a, rows, f, new BatchNorm.ScaleShift(gamma, beta));
        ReferenceKernels.ColumnMap(zHat, aReference, rows, f, new BatchNorm.ScaleShift(gamma, beta));
        AssertBits(zHatReference, zHat);
        AssertBits(aReference, a);

        AssertBits(
            Run<float>(rows * f, dz => ReferenceKernels.ColumnMap(da, zHat, dz, rows, f, new BatchNorm.InputGradient(rows, dBeta, dGamma, inverse))),
            Run<float>(rows * f, dz => ColumnKernels.Map(da, zHat, dz, rows, f, new BatchNorm.InputGradient(rows, dBeta, dGamma, inverse))));
    }

    [Fact]
    public void A_per_column_parameter_shorter_than_a_row_is_refused()
    {
        float[] z = new float[2 * 9], y = new float[2 * 9], mean = new float[9], inverse = new float[8];

        Assert.Throws<ArgumentException>(() => ColumnKernels.Map(z, y, 2, 9, new BatchNorm.Standardize(mean, inverse)));
    }

    private static void AssertBits(float[] expected, float[] actual) =>
        Assert.Equal(expected.Select(BitConverter.SingleToInt32Bits), actual.Select(BitConverter.SingleToInt32Bits));

    private static T[] Run<T>(int length, SpanAction<T> kernel)
    {
        var output = new T[length];
        kernel(output);
        return output;
    }

    private delegate void SpanAction<T>(Span<T> output);
}
