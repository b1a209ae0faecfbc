using Xunit.Abstractions;

namespace ScratchNet.OnnxTests;

/// <summary>
/// Seeded mutations of an exported file (the every-layer network): every case imports, or throws
/// <see cref="InvalidDataException"/> or <see cref="NotSupportedException"/>; never another exception type.
/// A case that imports is then run, so that what was accepted also computes.
/// </summary>
public sealed class ImportFuzzTests(ITestOutputHelper output)
{
    private const int Cases = 3000;

    [Fact]
    public void Mutated_files_import_or_fail_with_invalid_data_or_not_supported()
    {
        byte[] original = ModelChecks.Export(EveryLayer.Create());
        var random = new Random(15);
        var outcomes = new Dictionary<string, int>();
        Tensor input = TestNetworks.Random(1, 0, 1, 2, 28, 28, 1);

        for (int n = 0; n < Cases; n++)
        {
            byte[] mutated = Mutate(original, random);
            string outcome;
            try
            {
                Network network = Onnx.Import(new MemoryStream(mutated));
                network.Predict(Reshaped(input, network));
                outcome = "imported";
            }
            catch (InvalidDataException)
            {
                outcome = nameof(InvalidDataException);
            }
            catch (NotSupportedException)
            {
                outcome = nameof(NotSupportedException);
            }
            catch (Exception e)
            {
                Assert.Fail($"case {n}: {e.GetType().Name}: {e.Message}");
                throw;
            }

            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
        }

        output.WriteLine(string.Join(", ", outcomes.OrderBy(o => o.Key).Select(o => $"{o.Key} {o.Value}")));
        Assert.Equal(Cases, outcomes.Values.Sum());
        Assert.True(outcomes.GetValueOrDefault(nameof(InvalidDataException)) > Cases / 10, "too few mutations were caught as invalid data");
        Assert.True(outcomes.GetValueOrDefault("imported") > 0, "no mutation imported: the mutations are all fatal, so the checks past parsing are not exercised");
    }

    /// <summary>One to four changes: flipped bits, overwritten bytes, a cut, or bytes inserted or removed.</summary>
    private static byte[] Mutate(byte[] original, Random random)
    {
        var bytes = new List<byte>(original);
        for (int changes = random.Next(1, 5); changes > 0 && bytes.Count > 1; changes--)
        {
            int at = random.Next(bytes.Count);
            switch (random.Next(5))
            {
                case 0: bytes[at] ^= (byte)(1 << random.Next(8)); break;
                case 1: bytes[at] = (byte)random.Next(256); break;
                case 2: bytes.RemoveRange(at, bytes.Count - at); break;
                case 3: bytes.InsertRange(at, Enumerable.Range(0, random.Next(1, 9)).Select(_ => (byte)random.Next(256))); break;
                default: bytes.RemoveRange(at, Math.Min(random.Next(1, 9), bytes.Count - at)); break;
            }
        }

        return [.. bytes];
    }

    /// <summary>The input, or zeros of the imported network's input shape when a mutation changed it.</summary>
    private static Tensor Reshaped(Tensor input, Network network)
    {
        int size = network.InputShape.Aggregate(1, (p, d) => p * d);
        return size == input.SampleSize ? input : new Tensor([2, .. network.InputShape]);
    }
}
