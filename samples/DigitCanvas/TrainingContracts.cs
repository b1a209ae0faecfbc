namespace DigitCanvas;

/// <summary>The answer of <c>POST /api/train</c> (202), and the first event of its stream.</summary>
/// <param name="Id">The job; its stream is <c>GET /api/train/{id}/events</c>.</param>
/// <param name="Model">The name the trained network gets in <c>POST /api/predict</c>, once training ends.</param>
/// <param name="Description">The recipe in one line.</param>
/// <param name="Options">The options, with every left-out field filled in.</param>
/// <param name="Neurons">Neurons in the first layer: how many weight images there are.</param>
/// <param name="Parameters">Trainable values in the network.</param>
/// <param name="BatchesPerEpoch">Minibatches in one epoch.</param>
public sealed record TrainingStarted(string Id, string Model, string Description, TrainingRequest Options, int Neurons, int Parameters, int BatchesPerEpoch);

/// <summary>A <c>progress</c> event: where training stands, and the cost points since the last event.</summary>
/// <param name="Epoch">The current epoch, from 1.</param>
/// <param name="Epochs">The epochs planned.</param>
/// <param name="Batch">The minibatch just done in this epoch, from 1.</param>
/// <param name="Batches">Minibatches per epoch.</param>
/// <param name="SamplesPerSecond">Training speed in this epoch.</param>
/// <param name="ElapsedSeconds">Time since training started.</param>
/// <param name="SecondsLeft">Time the rest should take at the speed so far (validation included).</param>
/// <param name="Costs">New cost points.</param>
public sealed record TrainingProgress(int Epoch, int Epochs, int Batch, int Batches, double SamplesPerSecond, double ElapsedSeconds, double SecondsLeft, IReadOnlyList<CostPoint> Costs);

/// <summary>The mean training cost over a stretch of minibatches (a few hundred with the seed's batch of 10).</summary>
/// <param name="Epochs">Where the stretch ends, in epochs (2.5 = half-way through the third).</param>
/// <param name="Cost">The mean cost C̄ of the stretch's minibatches, each measured before its step.</param>
public sealed record CostPoint(double Epochs, double Cost);

/// <summary>A <c>weights</c> event: each first-layer neuron's 784 weights, for a 28 × 28 image.</summary>
/// <param name="Neurons">Neurons in the first layer.</param>
/// <param name="Inputs">Weights per neuron, 784.</param>
/// <param name="Epochs">When the weights were taken, in epochs.</param>
/// <param name="Scales">Each neuron's largest |w|.</param>
/// <param name="Weights">Base64 of one signed byte per weight, neuron by neuron: round(127 · w / scale), so each image uses its full range.</param>
public sealed record FirstLayerWeights(int Neurons, int Inputs, double Epochs, float[] Scales, string Weights);

/// <summary>An <c>epoch</c> event: the test set after an epoch.</summary>
/// <param name="Epoch">The epoch, from 1.</param>
/// <param name="TestAccuracy">Accuracy on the 10,000 test images, 0 to 1.</param>
/// <param name="TestCost">Mean cost on the test images.</param>
/// <param name="TrainingCost">Mean cost over the epoch's minibatches.</param>
/// <param name="TrainingAccuracy">Accuracy over the epoch's minibatches.</param>
/// <param name="ElapsedSeconds">Time since training started.</param>
public sealed record EpochResult(int Epoch, double TestAccuracy, double TestCost, double TrainingCost, double TrainingAccuracy, double ElapsedSeconds);

/// <summary>The <c>done</c> event, and <c>GET /api/train/{id}</c>'s result: how training ended and what the network does on the test set.</summary>
/// <param name="State"><c>finished</c>, <c>stopped</c> (Stop, or the time limit) or <c>failed</c>.</param>
/// <param name="Reason">Why it stopped or failed, else null.</param>
/// <param name="Model">The network's name for <c>POST /api/predict</c>; null when it failed.</param>
/// <param name="Accuracy">Test accuracy, 0 to 1; null when it failed.</param>
/// <param name="Correct">Test images read right.</param>
/// <param name="Count">Test images, 10,000.</param>
/// <param name="Confusion">The confusion matrix, [true digit][predicted digit].</param>
/// <param name="Misread">The first few test digits read wrong.</param>
/// <param name="ElapsedSeconds">Time from the start of training to its end, evaluation included.</param>
public sealed record TrainingResult(
    string State, string? Reason, string? Model, double? Accuracy, int? Correct, int? Count, int[][]? Confusion, IReadOnlyList<MisreadDigit>? Misread, double ElapsedSeconds);

/// <summary>A test image the network read wrong.</summary>
/// <param name="Index">Its index in the MNIST test set.</param>
/// <param name="Label">The digit it is.</param>
/// <param name="Predicted">The digit the network said.</param>
/// <param name="Pixels">Base64 of its 784 grey bytes, row-major, 0 = background.</param>
public sealed record MisreadDigit(int Index, int Label, int Predicted, string Pixels);

/// <summary>The answer of <c>GET /api/train/{id}</c>.</summary>
/// <param name="Id">The job.</param>
/// <param name="State"><c>training</c>, <c>finished</c>, <c>stopped</c> or <c>failed</c>.</param>
/// <param name="Model">The network's name for predictions.</param>
/// <param name="Epochs">The epochs done, each with its test accuracy.</param>
/// <param name="Result">How it ended, or null while it trains.</param>
public sealed record TrainingStatus(string Id, string State, string Model, IReadOnlyList<EpochResult> Epochs, TrainingResult? Result);

/// <summary>The answer of <c>GET /api/train</c>: what may be asked for, and the seed network's recipe.</summary>
/// <param name="Limits">The allowed values.</param>
/// <param name="Seed">The seed network's options (<see cref="TrainingRequest.SeedNetwork"/>).</param>
/// <param name="Running">Jobs training now.</param>
/// <param name="MaxRunning">Jobs that may train at once.</param>
public sealed record TrainingSetup(TrainingOptionLimits Limits, TrainingRequest Seed, int Running, int MaxRunning);

/// <summary>The allowed values of <see cref="TrainingRequest"/>'s fields.</summary>
/// <param name="MaxHiddenLayers">The most hidden layers.</param>
/// <param name="MaxWidth">The most neurons per hidden layer.</param>
/// <param name="Activations">The activations.</param>
/// <param name="Costs">The costs.</param>
/// <param name="Optimizers">The optimizers.</param>
/// <param name="Schedules">How η moves from the first epoch's to the last's.</param>
/// <param name="MinLearningRate">The smallest η.</param>
/// <param name="MaxLearningRate">The largest η.</param>
/// <param name="MaxWeightDecay">The largest λ.</param>
/// <param name="MaxBatchSize">The largest minibatch.</param>
/// <param name="MaxEpochs">The most epochs.</param>
public sealed record TrainingOptionLimits(
    int MaxHiddenLayers, int MaxWidth, IReadOnlyList<string> Activations, IReadOnlyList<string> Costs, IReadOnlyList<string> Optimizers, IReadOnlyList<string> Schedules,
    float MinLearningRate, float MaxLearningRate, float MaxWeightDecay, int MaxBatchSize, int MaxEpochs);
