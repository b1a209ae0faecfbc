using System.Text;

namespace ScratchNet.Serialization;

/// <summary>
/// The "training" section of a resumable checkpoint (docs/model-format.md): a model file whose network is
/// followed by everything <see cref="Trainer.Fit"/> needs to continue bit for bit.
/// <code>
/// version                    int32 (1)
/// epoch, epochs planned      int32, int32
/// batch size, seed, shuffle  int32, int32, 1 byte
/// order                      int32 count N, int32 × N: a permutation of 0 … N−1
/// shuffling, augmentation    int32 × 58 each: the generators' states
/// layer generators           int32 count; per layer that draws in training (dropout): int32 layer index, int32 × 58
/// optimizer                  UTF-8 type name (int32 length first), float32 η, then what the optimizer writes (to the end)
/// </code>
/// </summary>
internal static class CheckpointSection
{
    public const string Name = "training";

    private const int SectionVersion = 1;

    public static byte[] Write(TrainingRun run, Network network, Optimizer optimizer)
    {
        using var bytes = new MemoryStream();
        using (var writer = new BinaryWriter(bytes, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(SectionVersion);
            writer.Write(run.Epoch);
            writer.Write(run.Epochs);
            writer.Write(run.BatchSize);
            writer.Write(run.Seed);
            writer.Write(run.Shuffle);
            writer.Write(run.Order.Length);
            foreach (int index in run.Order)
            {
                writer.Write(index);
            }

            WriteInts(writer, run.Shuffling.SaveState());
            WriteInts(writer, run.Augmentation.SaveState());
            var drawing = network.Layers.Select((layer, index) => (layer.TrainingRandom, index)).Where(l => l.TrainingRandom is not null).ToArray();
            writer.Write(drawing.Length);
            foreach ((ResumableRandom? random, int index) in drawing)
            {
                writer.Write(index);
                WriteInts(writer, random!.SaveState());
            }

            byte[] name = Encoding.UTF8.GetBytes(optimizer.GetType().Name);
            writer.Write(name.Length);
            writer.Write(name);
            writer.Write(optimizer.LearningRate);
            optimizer.SaveState(network.Parameters, writer);
        }

        return bytes.ToArray();
    }

    /// <summary>Reads the run and the layers' generators; the optimizer's part is read later, into the optimizer the caller brings.</summary>
    public static CheckpointState Read(ReadOnlyMemory<byte> section, Network network, string source)
    {
        byte[] data = section.ToArray();
        var reader = new ByteReader(data, data.Length, source + " (its training section)");
        int version = reader.Int32("the training section's version");
        if (version != SectionVersion)
        {
            throw reader.Error(0, $"the training section has version {version}; this library reads version {SectionVersion}");
        }

        int epoch = reader.Count("the epochs done", 1, int.MaxValue);
        int epochs = reader.Count("the epochs planned", epoch, int.MaxValue);
        int batchSize = reader.Count("the batch size", 1, int.MaxValue);
        int seed = reader.Int32("the seed");
        bool shuffle = reader.Bytes(1, "the shuffle flag")[0] != 0;
        int count = reader.Count("the number of training samples", 1, reader.Remaining / 4);
        int orderOffset = reader.Offset;
        int[] order = new int[count];
        bool[] seen = new bool[count];
        for (int i = 0; i < count; i++)
        {
            order[i] = reader.Int32("the order");
            if ((uint)order[i] >= (uint)count || seen[order[i]])
            {
                throw reader.Error(orderOffset + (4 * i), $"the order is not a permutation of 0 to {count - 1}: entry {i} is {order[i]}");
            }

            seen[order[i]] = true;
        }

        ResumableRandom shuffling = ReadRandom(reader, "the shuffling generator");
        ResumableRandom augmentation = ReadRandom(reader, "the augmentation generator");
        int drawing = reader.Count("the number of layer generators", 0, network.Layers.Count);
        var layerRandoms = new Dictionary<int, ResumableRandom>();
        for (int d = 0; d < drawing; d++)
        {
            int offset = reader.Offset;
            int index = reader.Count("the index of a layer with a generator", 0, network.Layers.Count - 1);
            if (network.Layers[index].TrainingRandom is null || !layerRandoms.TryAdd(index, ReadRandom(reader, $"the generator of layer {index}")))
            {
                throw reader.Error(offset, $"layer {index} ({network.Layers[index].Name}) has no generator to restore, or it is given twice");
            }
        }

        string optimizer = reader.Text("the optimizer's type");
        int rateOffset = reader.Offset;
        float learningRate = BitConverter.ToSingle(reader.Bytes(4, "the learning rate"));
        if (!(learningRate > 0f) || !float.IsFinite(learningRate))
        {
            throw reader.Error(rateOffset, $"the learning rate is {learningRate}");
        }

        var run = new TrainingRun(epoch, epochs, batchSize, seed, shuffle, order, shuffling, augmentation);
        return new CheckpointState(run, layerRandoms, optimizer, learningRate, data, reader.Offset, source);
    }

    private static ResumableRandom ReadRandom(ByteReader reader, string what)
    {
        int offset = reader.Offset;
        ReadOnlySpan<byte> bytes = reader.Bytes(4 * ResumableRandom.StateLength, what);
        int[] state = new int[ResumableRandom.StateLength];
        for (int i = 0; i < state.Length; i++)
        {
            state[i] = BitConverter.ToInt32(bytes[(4 * i)..]);
        }

        try
        {
            return ResumableRandom.FromState(state);
        }
        catch (InvalidDataException e)
        {
            throw reader.Error(offset, $"{what} is not a valid state: {e.Message}");
        }
    }

    private static void WriteInts(BinaryWriter writer, int[] values)
    {
        foreach (int value in values)
        {
            writer.Write(value);
        }
    }
}

/// <summary>A checkpoint's training section, read and checked; the optimizer's bytes wait for the optimizer that will take them.</summary>
internal sealed record CheckpointState(TrainingRun Run, IReadOnlyDictionary<int, ResumableRandom> LayerRandoms, string OptimizerType, float LearningRate, byte[] Data, int OptimizerOffset, string Source)
{
    /// <summary>Restores the optimizer's state, checking that it is the kind of optimizer that wrote it and that its part of the section is read exactly.</summary>
    public void RestoreOptimizer(Optimizer optimizer, IReadOnlyList<Parameter> parameters)
    {
        if (optimizer.GetType().Name != OptimizerType)
        {
            throw new ArgumentException($"The checkpoint {Source} was written by a {OptimizerType} optimizer; resume it with one (the trainer has {optimizer.GetType().Name}).", nameof(optimizer));
        }

        var reader = new ByteReader(Data, Data.Length, Source + " (its training section)") { Offset = OptimizerOffset };
        optimizer.LoadState(parameters, reader);
        if (reader.Remaining != 0)
        {
            throw reader.Error(reader.Offset, $"{reader.Remaining} bytes follow the optimizer's state");
        }

        optimizer.LearningRate = LearningRate;
    }
}
