using System.Diagnostics;

namespace ScratchNet;

/// <summary>
/// The epochs of one <see cref="Trainer.Fit"/>: per epoch the schedule, the shuffle, a checked gradient
/// step per minibatch, the divergence watch, the validation and the callbacks.
/// </summary>
internal sealed class EpochLoop(
    Trainer trainer, TrainingOptions options, Dataset training, Dataset? validation, TrainingRun run, TrainingContext context, IProgress<EpochReport>? progress, CancellationToken cancellationToken)
{
    public void Run()
    {
        var batches = new MinibatchSource(training, options.BatchSize);
        var guard = new TrainingGuard(trainer, options.DetectDivergence);
        int[] order = run.Order;
        int batchSize = options.BatchSize;
        int batchCount = (int)((order.Length + (long)batchSize - 1) / batchSize);
        for (int epoch = run.Epoch + 1; epoch <= options.Epochs && !context.StopRequested; epoch++)
        {
            context.Epoch = epoch;
            if (options.LearningRateSchedule is { } schedule)
            {
                trainer.Optimizer.LearningRate = schedule.LearningRate(epoch, options.Epochs);
            }

            foreach (TrainingCallback callback in context.Callbacks)
            {
                callback.OnEpochBegin(epoch, context);
            }

            if (options.Shuffle)
            {
                run.Shuffling.Shuffle(order);
            }

            long start = Stopwatch.GetTimestamp();
            double costSum = 0;
            int correct = 0;
            for (int first = 0, batch = 1; first < order.Length; first += Math.Min(batchSize, order.Length - first), batch++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                ReadOnlySpan<int> indices = order.AsSpan(first, Math.Min(batchSize, order.Length - first));
                (Tensor x, Tensor y) = batches.Gather(indices);
                options.Augmentation?.Apply(x, run.Augmentation);

                // Start fetching the minibatch after next from memory while this one trains (in long: no overflow for any batch size).
                int next = (int)Math.Min(first + (2L * batchSize), order.Length);
                batches.Prefetch(order.AsSpan(next, Math.Min(batchSize, order.Length - next)));

                double loss = trainer.TrainBatch(x, y, guard, epoch, batch, indices, out int batchCorrect);
                if (!double.IsFinite(loss))
                {
                    throw new ArithmeticException(
                        $"The cost became {loss} in epoch {epoch}, batch {batch} (training samples {TrainingGuard.Describe(indices)}) with η = {trainer.Optimizer.LearningRate}. " +
                        "The step was not applied: the weights are those of the step before. Lower the learning rate.");
                }

                guard.Observe(loss);
                costSum += loss * indices.Length;
                correct += batchCorrect;
                if (context.Callbacks.Length > 0)
                {
                    int seen = first + indices.Length;
                    var position = new BatchProgress(epoch, options.Epochs, batch, batchCount, seen, training.Count, costSum / seen, Stopwatch.GetElapsedTime(start));
                    foreach (TrainingCallback callback in context.Callbacks)
                    {
                        callback.OnBatchEnd(position, context);
                    }
                }
            }

            run.Epoch = epoch;
            TimeSpan elapsed = Stopwatch.GetElapsedTime(start);
            guard.EnsureNotDiverged(epoch, costSum / training.Count, batchCount);
            Evaluation? validationResult = validation is not null ? trainer.Network.Evaluate(validation, trainer.Cost, cancellationToken: cancellationToken) : null;
            var report = new EpochReport(epoch, options.Epochs, trainer.Optimizer.LearningRate, costSum / training.Count, (double)correct / training.Count, validationResult, elapsed);
            context.Add(report);
            progress?.Report(report);
            foreach (TrainingCallback callback in context.Callbacks)
            {
                callback.OnEpochEnd(report, context);
            }
        }
    }
}
