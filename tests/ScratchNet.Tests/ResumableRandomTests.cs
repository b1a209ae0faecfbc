using System.Reflection;

namespace ScratchNet.Tests;

public sealed class ResumableRandomTests
{
    public static TheoryData<int> Seeds => [0, 1, 42, -1, int.MinValue, int.MaxValue];

    private const int Calls = 120_000;

    [Theory]
    [MemberData(nameof(Seeds))]
    public void EveryMethod_InAMixedSequence_GivesSystemRandomsValues(int seed)
    {
        List<long> expected = Run(new Random(seed), new Random(seed ^ 0x7E57), Calls);
        List<long> actual = Run(new ResumableRandom(seed), new Random(seed ^ 0x7E57), Calls);

        AssertSameLog(expected, actual);
        Assert.True(expected.Count > 300_000, $"only {expected.Count} values compared");
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Shuffle_OfSixtyThousandInts_IsSystemRandoms(int seed)
    {
        int[] expected = Enumerable.Range(0, 60_000).ToArray();
        int[] actual = Enumerable.Range(0, 60_000).ToArray();
        var reference = new Random(seed);
        var resumable = new ResumableRandom(seed);

        // Twice, as the trainer shuffles once per epoch; the second time through the span overload.
        reference.Shuffle(expected);
        resumable.Shuffle(actual);
        Assert.Equal(expected, actual);
        reference.Shuffle(expected.AsSpan());
        resumable.Shuffle(actual.AsSpan());
        Assert.Equal(expected, actual);
        Assert.Equal(reference.Next(), resumable.Next());
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void SavedHalfWay_AndRestored_ContinuesTheUninterruptedSequence(int seed)
    {
        List<long> uninterrupted = Run(new Random(seed), new Random(seed + 1), Calls);

        var driver = new Random(seed + 1);
        var first = new ResumableRandom(seed);
        List<long> log = Run(first, driver, Calls / 2);
        int[] state = first.SaveState();
        ResumableRandom restored = ResumableRandom.FromState(state);
        log.AddRange(Run(restored, driver, Calls - (Calls / 2)));
        AssertSameLog(uninterrupted, log);

        // The restored generator owns its table: the saved one, drawn from again, repeats what the restored one drew.
        var second = ResumableRandom.FromState(state);
        Assert.Equal(state, first.SaveState());
        Assert.Equal(ResumableRandom.StateLength, state.Length);
        Assert.Equal(Run(second, new Random(5), 1000), Run(first, new Random(5), 1000));
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void AFreshState_RestoresToAFreshGenerator(int seed)
    {
        int[] state = new ResumableRandom(seed).SaveState();

        Assert.Equal(0, state[0]);
        Assert.Equal((0, 21), (state[56], state[57]));
        Assert.Equal(Run(new Random(seed), new Random(3), 5000), Run(ResumableRandom.FromState(state), new Random(3), 5000));
    }

    [Fact]
    public void NextSingle_WhereADrawRoundsToOne_DrawsAgainAsSystemRandomDoes()
    {
        // About one draw in 33 million exceeds int.MaxValue − 64 and rounds to 1f; find the first in seed 42's sequence.
        var scout = new ResumableRandom(42);
        int before = 0;
        while ((float)(scout.Next() * (1.0 / int.MaxValue)) < 1f)
        {
            before++;
        }

        var reference = new Random(42);
        var resumable = new ResumableRandom(42);
        for (int n = 0; n < before; n++)
        {
            Assert.Equal(reference.Next(), resumable.Next());
        }

        float single = resumable.NextSingle();
        Assert.True(single < 1f);
        Assert.Equal(BitConverter.SingleToInt32Bits(reference.NextSingle()), BitConverter.SingleToInt32Bits(single));
        Assert.Equal(reference.Next(), resumable.Next());
    }

    [Fact]
    public void GetItems_AndStrings_AreSystemRandoms()
    {
        foreach (int choices in new[] { 1, 2, 10, 16, 256, 300 })
        {
            int[] items = Enumerable.Range(0, choices).ToArray();
            var reference = new Random(choices);
            var resumable = new ResumableRandom(choices);
            Assert.Equal(reference.GetItems(items, 1000), resumable.GetItems(items, 1000));
            Assert.Equal(reference.GetItems<int>(items.AsSpan(), 77), resumable.GetItems<int>(items.AsSpan(), 77));
            Assert.Equal(reference.GetString("abcdefghij", 50), resumable.GetString("abcdefghij", 50));
            Assert.Equal(reference.GetHexString(33, lowercase: true), resumable.GetHexString(33, lowercase: true));
            Assert.Equal(reference.Next(), resumable.Next());
        }
    }

    [Fact]
    public void Dropout_DrawsTheMasksSystemRandomDrew_AndResumesFromASavedState()
    {
        const float rate = 0.3f;
        var dropout = new Dropout(rate);
        dropout.Initialize(new Random(11));
        var ones = new Tensor(Enumerable.Repeat(1f, 4 * 50).ToArray(), 4, 50);
        var reference = new Random(new Random(11).Next()); // what Dropout.Initialize did before it used ResumableRandom
        for (int pass = 0; pass < 3; pass++)
        {
            float[] expected = Enumerable.Range(0, ones.Length).Select(_ => reference.NextSingle() >= rate ? 1f / (1f - rate) : 0f).ToArray();
            Assert.Equal(expected, dropout.Forward(ones, training: true).Span.ToArray());
        }

        int[] state = dropout.TrainingRandom!.SaveState();
        float[] next = dropout.Forward(ones, training: true).Span.ToArray();
        var resumed = new Dropout(rate) { TrainingRandom = ResumableRandom.FromState(state) };
        Assert.Equal(next, resumed.Forward(ones, training: true).Span.ToArray());
    }

    [Fact]
    public void BadArguments_AreRefusedAsSystemRandomRefusesThem()
    {
        var resumable = new ResumableRandom(1);

        Assert.Equal("maxValue", Assert.Throws<ArgumentOutOfRangeException>(() => resumable.Next(-1)).ParamName);
        Assert.Equal("minValue", Assert.Throws<ArgumentOutOfRangeException>(() => resumable.Next(5, 4)).ParamName);
        Assert.Equal("maxValue", Assert.Throws<ArgumentOutOfRangeException>(() => resumable.NextInt64(-1)).ParamName);
        Assert.Equal("minValue", Assert.Throws<ArgumentOutOfRangeException>(() => resumable.NextInt64(5, 4)).ParamName);
        Assert.Equal("buffer", Assert.Throws<ArgumentNullException>(() => resumable.NextBytes(null!)).ParamName);
        Assert.Equal(new Random(1).Next(), resumable.Next()); // nothing was drawn
    }

    [Theory]
    [InlineData(0, "58 ints", "not 0")]
    [InlineData(57, "58 ints", "not 57")]
    [InlineData(59, "58 ints", "not 59")]
    public void AStateOfTheWrongLength_IsRefused(int length, string expected1, string expected2)
    {
        var exception = Assert.Throws<InvalidDataException>(() => ResumableRandom.FromState(new int[length]));

        Assert.Contains(expected1, exception.Message);
        Assert.Contains(expected2, exception.Message);
    }

    [Theory]
    [InlineData(7, 0, 21, "table entry 0 equal to 7")]
    [InlineData(0, 56, 21, "i = 56 and j = 21; both must be in 0..55")]
    [InlineData(0, -1, 21, "i = -1 and j = 21; both must be in 0..55")]
    [InlineData(0, 1, 56, "i = 1 and j = 56; both must be in 0..55")]
    [InlineData(0, 0, 22, "i = 0 and j = 22; j must be i + 21")]
    [InlineData(0, 5, 5, "i = 5 and j = 5; j must be i + 21")]
    [InlineData(0, 35, 1, "")] // 35 + 21 wraps past 55 to 1: a valid state
    [InlineData(0, 34, 55, "")]
    public void AStateWithBadEntries_IsRefusedNamingWhatIsWrong(int entry0, int i, int j, string message)
    {
        int[] state = new ResumableRandom(9).SaveState();
        state[0] = entry0;
        state[56] = i;
        state[57] = j;

        if (message.Length == 0)
        {
            _ = ResumableRandom.FromState(state).Next();
            return;
        }

        var exception = Assert.Throws<InvalidDataException>(() => ResumableRandom.FromState(state));
        Assert.Contains(message, exception.Message);
    }

    [Fact]
    public void Drawing_AllocatesNothing()
    {
        var random = new ResumableRandom(3);
        int[] order = Enumerable.Range(0, 1000).ToArray();
        byte[] bytes = new byte[16];
        for (int warm = 0; warm < 3; warm++)
        {
            DrawEverything(random, order, bytes);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        DrawEverything(random, order, bytes);
        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());

        static void DrawEverything(Random random, int[] order, byte[] bytes)
        {
            for (int n = 0; n < 1000; n++)
            {
                _ = random.Next() + random.Next(10) + random.Next(-5, 5) + random.Next(int.MinValue, int.MaxValue);
                _ = random.NextInt64() + random.NextInt64(10) + random.NextInt64(long.MinValue, long.MaxValue);
                _ = random.NextDouble() + random.NextSingle();
                random.NextBytes(bytes);
                random.NextBytes(bytes.AsSpan(3));
            }

            random.Shuffle(order);
        }
    }

    /// <summary>
    /// Calls every public drawing method of <paramref name="random"/> (and the protected Sample), chosen with
    /// arguments drawn from <paramref name="driver"/>, and logs every value it returns, doubles and floats as bits.
    /// </summary>
    private static List<long> Run(Random random, Random driver, int calls)
    {
        var log = new List<long>(calls * 3);
        Func<double> sample = SampleOf(random);
        Span<byte> span = stackalloc byte[24];
        for (int call = 0; call < calls; call++)
        {
            int op = driver.Next(16);
            log.Add(op);
            switch (op)
            {
                case 0:
                    log.Add(random.Next());
                    break;
                case 1:
                    log.Add(random.Next(driver.Next(3) switch { 0 => driver.Next(4), 1 => driver.Next(1000), _ => driver.Next() }));
                    break;
                case 2:
                {
                    // Ranges up to int.MaxValue: the Sample() path, including negative bounds.
                    int min = driver.Next(int.MinValue, int.MaxValue);
                    int max = (int)Math.Min(int.MaxValue, (long)min + driver.Next(driver.Next(2) == 0 ? 100 : int.MaxValue));
                    (min, max) = driver.Next(20) switch
                    {
                        0 => (int.MinValue, -1), // a range of exactly int.MaxValue, the widest on this path
                        1 => (0, int.MaxValue),
                        2 => (min, min),
                        _ => (min, max),
                    };
                    log.Add(random.Next(min, max));
                    break;
                }

                case 3:
                {
                    // Ranges wider than int.MaxValue: the two-draw large-range path.
                    int min = int.MinValue + driver.Next(1000);
                    int max = int.MaxValue - driver.Next(1000);
                    if (driver.Next(10) == 0)
                    {
                        (min, max) = (-1, int.MaxValue); // 2^31, the narrowest range on this path
                    }

                    log.Add(random.Next(min, max));
                    break;
                }

                case 4:
                    log.Add(random.NextInt64());
                    break;
                case 5:
                    log.Add(random.NextInt64(driver.Next(4) switch { 0 => driver.Next(3), 1 => driver.Next(1000), 2 => long.MaxValue, _ => driver.NextInt64() }));
                    break;
                case 6:
                {
                    long min = driver.Next(2) == 0 ? long.MinValue + driver.Next(10) : -driver.NextInt64(1L << 40);
                    long max = driver.Next(2) == 0 ? long.MaxValue - driver.Next(10) : min + driver.Next(3);
                    log.Add(random.NextInt64(min, max));
                    break;
                }

                case 7:
                    log.Add(BitConverter.DoubleToInt64Bits(random.NextDouble()));
                    break;
                case 8:
                    log.Add(BitConverter.SingleToInt32Bits(random.NextSingle()));
                    break;
                case 9:
                {
                    byte[] bytes = new byte[driver.Next(20)];
                    random.NextBytes(bytes);
                    log.AddRange(bytes.Select(b => (long)b));
                    break;
                }

                case 10:
                {
                    Span<byte> bytes = span[..driver.Next(span.Length)];
                    random.NextBytes(bytes);
                    foreach (byte b in bytes)
                    {
                        log.Add(b);
                    }

                    break;
                }

                case 11:
                    log.Add(BitConverter.DoubleToInt64Bits(sample()));
                    break;
                case 12:
                {
                    int[] values = Enumerable.Range(0, driver.Next(12)).ToArray();
                    random.Shuffle(values);
                    log.AddRange(values.Select(v => (long)v));
                    break;
                }

                case 13:
                {
                    int[] values = random.GetItems(new[] { 1, 2, 3, 4, 5, 6, 7, 8 }, driver.Next(6));
                    log.AddRange(values.Select(v => (long)v));
                    break;
                }

                default:
                    // The trainer's and dropout's own calls, more often than the rest.
                    log.Add(BitConverter.SingleToInt32Bits(random.NextSingle()));
                    log.Add(BitConverter.DoubleToInt64Bits(random.NextDouble()));
                    break;
            }
        }

        return log;
    }

    /// <summary>Random.Sample is protected; a delegate bound to it dispatches to the instance's override.</summary>
    private static Func<double> SampleOf(Random random) =>
        typeof(Random).GetMethod("Sample", BindingFlags.Instance | BindingFlags.NonPublic)!.CreateDelegate<Func<double>>(random);

    private static void AssertSameLog(List<long> expected, List<long> actual)
    {
        int length = Math.Min(expected.Count, actual.Count);
        for (int i = 0; i < length; i++)
        {
            if (expected[i] != actual[i])
            {
                Assert.Fail($"Entry {i} of the log differs: System.Random gave {expected[i]}, ResumableRandom {actual[i]}.");
            }
        }

        Assert.Equal(expected.Count, actual.Count);
    }
}
