using System.Diagnostics;
using static TorchSharp.torch;

namespace Cnn.Functional.Torch;

/// <summary>How <see cref="Speed.Measure"/> measures: batch sizes, how many training steps, how long to run inference.</summary>
public sealed record SpeedOptions
{
    /// <summary>Examples per training step.</summary>
    public int BatchSize { get; init; } = 64;

    /// <summary>Training steps timed (after two warm-up steps); the median step counts.</summary>
    public int Steps { get; init; } = 20;

    /// <summary>Examples per forward pass of <see cref="Inference.Predict"/>.</summary>
    public int InferenceBatchSize { get; init; } = 256;

    /// <summary>Seconds of timed inference (after one warm-up pass).</summary>
    public double InferenceSeconds { get; init; } = 2;

    /// <summary>Seconds of timed matrix multiplication per size.</summary>
    public double MatmulSeconds { get; init; } = 1;

    /// <summary>Seeds the random examples and the training run's shuffling.</summary>
    public long Seed { get; init; } = 1;
}

/// <summary>The float32 matrix-multiply throughput of n×n products.</summary>
public sealed record MatmulSpeed(int Size, double Gflops);

/// <summary>
/// What <see cref="Speed.Measure"/> found for a graph on this machine. Training work per sample is counted as 3 × the
/// forward's 2·MACs (the backward pass computes the gradients with respect to the input and to the weights, each as
/// costly as the forward), the usual convention; the matmul peak is the best of <see cref="Matmul"/>.
/// </summary>
public sealed record SpeedReport(
    string Model,
    long Parameters,
    double ForwardFlopsPerSample,
    int Threads,
    EquatableArray<MatmulSpeed> Matmul,
    int BatchSize,
    int Steps,
    double TrainSamplesPerSecond,
    int InferenceBatchSize,
    double InferenceSamplesPerSecond)
{
    public double MatmulPeakGflops => Matmul.Max(m => m.Gflops);

    public double TrainGflops => TrainSamplesPerSecond * 3 * ForwardFlopsPerSample / 1e9;

    public double InferenceGflops => InferenceSamplesPerSecond * ForwardFlopsPerSample / 1e9;

    /// <summary>Training GFLOP/s as a fraction of the matmul peak: how much of the machine's arithmetic training uses.</summary>
    public double TrainShareOfMatmulPeak => TrainGflops / MatmulPeakGflops;
}

/// <summary>
/// How fast a graph trains and predicts here, and how that compares with the machine's matrix-multiply throughput —
/// the measurements of BENCHMARKS.md for any graph, on random examples of its input shape (no data set needed).
/// Training runs through <see cref="Trainer.Fit"/> itself (its default Adam, cross-entropy, a progress event per step);
/// inference through <see cref="Inference.Predict"/>. The machine may be shared: compare figures measured together.
/// </summary>
public static class Speed
{
    /// <summary>Measures <paramref name="graph"/>, which must end in a class vector (its length is the number of classes).</summary>
    /// <exception cref="GraphException">The graph is invalid, or its output is not a vector of at least two classes.</exception>
    public static SpeedReport Measure(Graph graph, SpeedOptions? options = null)
    {
        options ??= new SpeedOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(options.BatchSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Steps, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.InferenceBatchSize, 1);
        var inferred = graph.Infer();
        var output = inferred.Output;
        if (!output.IsFlat || output.Dims[0] < 2)
            throw new GraphException(new GraphError(graph.OutputPaths[0], "output",
                $"measuring training needs a classifier: the output must be a vector of at least 2 classes, not [{string.Join(", ", output.Dims)}]"));
        var flops = 2.0 * ModelSummary.Of(inferred).Totals.Macs;
        NativeAllocator.EnsureTuned();
        using var module = GraphModule.Create(inferred);
        var train = TrainSamplesPerSecond(module, inferred, output.Dims[0], options);
        var infer = InferenceSamplesPerSecond(module, inferred, options);
        var matmul = Matmul([1024, 2048], options.MatmulSeconds);
        return new SpeedReport(graph.Name, inferred.Parameters, flops, get_num_threads(), matmul,
            options.BatchSize, options.Steps, train, options.InferenceBatchSize, infer);
    }

    /// <summary>
    /// The float32 matrix-multiply throughput of this machine: <c>torch.mm</c> of two random n×n matrices per size (the
    /// BLAS libtorch uses for convolutions and dense layers, on the same threads), 2n³ FLOP a product; the median of 5
    /// trials of <paramref name="seconds"/>/5 each.
    /// </summary>
    public static EquatableArray<MatmulSpeed> Matmul(IReadOnlyList<int> sizes, double seconds = 1)
    {
        var results = new List<MatmulSpeed>();
        foreach (var n in sizes)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
            using var a = randn(n, n);
            using var b = randn(n, n);
            mm(a, b).Dispose();
            var trials = new List<double>();
            for (var t = 0; t < 5; t++)
            {
                var clock = Stopwatch.StartNew();
                var count = 0;
                while (count < 1 || clock.Elapsed.TotalSeconds < seconds / 5)
                {
                    mm(a, b).Dispose();
                    count++;
                }
                trials.Add(2.0 * n * n * n * count / clock.Elapsed.TotalSeconds / 1e9);
            }
            trials.Sort();
            results.Add(new MatmulSpeed(n, trials[trials.Count / 2]));
        }
        return EquatableArray.Of(results.ToArray());
    }

    /// <summary>The median of <see cref="SpeedOptions.Steps"/> timed steps of Fit on random examples (after two), as samples/s.</summary>
    private static double TrainSamplesPerSecond(GraphModule module, InferredGraph graph, int classes, SpeedOptions options)
    {
        // Four batches of examples: an epoch ends every four steps, and the first step of each epoch (which holds the
        // epoch's set-up) is left out of the timing.
        using var data = Dataset.Random(graph.Nodes[0].OutputShape, classes, 4 * options.BatchSize, options.Seed);
        using var trainer = new Trainer(module, new TrainingOptions { Epochs = int.MaxValue, BatchSize = options.BatchSize, Seed = options.Seed });
        using var cancel = new CancellationTokenSource();
        var steps = new StepTimes(2 + options.Steps, cancel);
        var result = trainer.Fit(data, progress: steps, cancellation: cancel.Token);
        if (result.Reason != StopReason.Cancelled)
            throw new InvalidOperationException($"training stopped before the measured steps ran: {result.Reason}: {result.Message}");
        var timed = steps.Seconds.Skip(2).Order().ToList();
        return options.BatchSize / timed[timed.Count / 2];
    }

    private static double InferenceSamplesPerSecond(GraphModule module, InferredGraph graph, SpeedOptions options)
    {
        using var data = Dataset.Random(graph.Nodes[0].OutputShape, 2, options.InferenceBatchSize, options.Seed + 1);
        using (NewDisposeScope()) Inference.Predict(module, data.Images, options.InferenceBatchSize);
        var clock = Stopwatch.StartNew();
        var passes = 0;
        while (passes < 2 || clock.Elapsed.TotalSeconds < options.InferenceSeconds)
        {
            using var scope = NewDisposeScope();
            Inference.Predict(module, data.Images, options.InferenceBatchSize);
            passes++;
        }
        return passes * (double)options.InferenceBatchSize / clock.Elapsed.TotalSeconds;
    }

    /// <summary>Fit's progress sink: the time between consecutive steps of one epoch; cancels once it has <c>needed</c> of them.</summary>
    private sealed class StepTimes(int needed, CancellationTokenSource cancel) : IProgress<TrainingEvent>
    {
        private readonly Stopwatch clock = Stopwatch.StartNew();
        private double last;

        public List<double> Seconds { get; } = [];

        public void Report(TrainingEvent value)
        {
            if (value is not BatchEnded ended) return;
            var now = clock.Elapsed.TotalSeconds;
            if (ended.Batch > 1 && Seconds.Count < needed) Seconds.Add(now - last);
            if (Seconds.Count >= needed) cancel.Cancel();
            last = now;
        }
    }
}
