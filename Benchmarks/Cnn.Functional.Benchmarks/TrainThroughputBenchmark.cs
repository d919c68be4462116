using System.Diagnostics;
using Cnn.Functional.Dsl;
using Cnn.Functional.Torch;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Cnn.Functional.Benchmarks;

/// <summary>
/// Training throughput of a zoo network through the library — <see cref="Trainer.Fit"/> itself on an in-memory
/// <see cref="Dataset"/> (GraphModule forward, <see cref="ModelOutput"/> loss, the library's written-out Adam, its
/// loss/accuracy bookkeeping) — against the same network written by hand in plain TorchSharp
/// (<see cref="HandWritten"/>, <c>torch.optim.Adam</c>, <c>cross_entropy</c>). Both start from the same weights, train
/// on the same Fashion-MNIST tensors with batch 64 and shuffled <c>index_select</c> batches, on this thread.
/// <para>
/// The machine is shared and noisy, so the two variants alternate in one process (A B, then B A, …) after a warm-up
/// round each, and the reported figure is the median of the per-round ratios, next to each variant's median samples/s.
/// Training GFLOP/s count forward + backward as 3 × the forward's 2·MACs (from the graph summary).
/// </para>
/// </summary>
internal static class TrainThroughputBenchmark
{
    private const int BatchSize = 64;

    public static int Run(TextWriter output, IReadOnlyList<string> args)
    {
        var models = args.Count > 0 && args[0] != "all" ? args[0].Split(',') : ["lenet5", "vgg_small"];
        var rounds = args.Count > 1 ? int.Parse(args[1]) : 6;
        NativeAllocator.EnsureTuned();
        output.WriteLine($"Train-throughput benchmark — {Environment.ProcessorCount} cores, torch threads {get_num_threads()} " +
                         $"(interop {get_num_interop_threads()}), .NET {Environment.Version}, {DateTime.UtcNow:yyyy-MM-dd}, batch {BatchSize}, {rounds} rounds");
        using var data = FashionMnist.Load().Train;
        foreach (var model in models) Measure(output, model, data, rounds);
        return 0;
    }

    private static void Measure(TextWriter output, string model, Dataset data, int rounds)
    {
        var graph = ModelZoo.Get(model);
        var flopsPerSample = 3.0 * 2 * graph.Summarize().Totals.Macs;
        // About 2 s a round on this machine: LeNet-5 trains ~150 steps/s, vgg_small ~30.
        var steps = model == "lenet5" ? 300 : 60;
        manual_seed(1);
        using var module = GraphModule.Create(graph);
        using var hand = HandWritten.For(model);
        hand.CopyFrom(module);
        using var trainer = new Trainer(module, new TrainingOptions
        {
            Epochs = int.MaxValue, BatchSize = BatchSize, LearningRate = 1e-3, BatchEventInterval = steps,
        });
        using var adam = optim.Adam(hand.parameters(), lr: 1e-3);
        using var shuffle = new Generator(1);
        var library = new List<double>();
        var handWritten = new List<double>();
        var ratios = new List<double>();

        // Warm-up: JIT, libtorch's first-call kernels, optimiser state, allocator caches.
        LibraryRound(trainer, data, steps);
        HandRound(hand, adam, data, steps, shuffle);
        for (var r = 0; r < rounds; r++)
        {
            double a, b;
            if (r % 2 == 0) { a = LibraryRound(trainer, data, steps); b = HandRound(hand, adam, data, steps, shuffle); }
            else { b = HandRound(hand, adam, data, steps, shuffle); a = LibraryRound(trainer, data, steps); }
            library.Add(steps * BatchSize / a);
            handWritten.Add(steps * BatchSize / b);
            ratios.Add(b / a);
        }
        output.WriteLine();
        output.WriteLine($"{model}: {steps} steps × {BatchSize} per round, {flopsPerSample / 1e6:N1} MFLOP per training sample");
        output.WriteLine($"  library samples/s per round:      {string.Join("  ", library.Select(s => $"{s,7:N0}"))}");
        output.WriteLine($"  hand-written samples/s per round: {string.Join("  ", handWritten.Select(s => $"{s,7:N0}"))}");
        output.WriteLine($"  ratio library/hand per round:     {string.Join("  ", ratios.Select(x => $"{x,7:0.000}"))}");
        output.WriteLine($"  median: library {Median(library):N0} samples/s ({Median(library) * flopsPerSample / 1e9:N1} GFLOP/s), " +
                         $"hand-written {Median(handWritten):N0} samples/s ({Median(handWritten) * flopsPerSample / 1e9:N1} GFLOP/s), " +
                         $"ratio {Median(ratios):0.000} (min {ratios.Min():0.000}, max {ratios.Max():0.000})");
    }

    /// <summary><paramref name="steps"/> steps of <see cref="Trainer.Fit"/>, stopped through its cancellation token; returns seconds.</summary>
    private static double LibraryRound(Trainer trainer, Dataset data, int steps)
    {
        using var cancel = new CancellationTokenSource();
        var progress = new StopAfter(steps, cancel);
        var clock = Stopwatch.StartNew();
        var result = trainer.Fit(data, progress: progress, cancellation: cancel.Token);
        var seconds = clock.Elapsed.TotalSeconds;
        if (result.Reason != StopReason.Cancelled || progress.Steps != steps)
            throw new InvalidOperationException($"the library round ran {progress.Steps} steps and stopped as {result.Reason}: {result.Message}");
        return seconds;
    }

    /// <summary>The plain TorchSharp loop: one dispose scope per step, the loss read every step (as any loop that reports it).</summary>
    private static double HandRound(HandWritten net, optim.Optimizer adam, Dataset data, int steps, Generator shuffle)
    {
        net.train();
        var lossSum = 0.0;
        var clock = Stopwatch.StartNew();
        using var order = randperm(data.Count, generator: shuffle);
        for (var b = 0; b < steps; b++)
        {
            using var scope = NewDisposeScope();
            var rows = order.narrow(0, (long)b * BatchSize, BatchSize);
            var images = data.Images.index_select(0, rows);
            var labels = data.Labels.index_select(0, rows);
            adam.zero_grad();
            var loss = F.cross_entropy(net.forward(images), labels);
            loss.backward();
            adam.step();
            lossSum += loss.item<float>();
        }
        var seconds = clock.Elapsed.TotalSeconds;
        if (!double.IsFinite(lossSum)) throw new InvalidOperationException("the hand-written loop diverged");
        return seconds;
    }

    internal static double Median(IReadOnlyList<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    /// <summary>Cancels the run once <paramref name="steps"/> steps have been reported (synchronously, on the training thread).</summary>
    private sealed class StopAfter(int steps, CancellationTokenSource cancel) : IProgress<TrainingEvent>
    {
        public int Steps { get; private set; }

        public void Report(TrainingEvent value)
        {
            if (value is not BatchEnded ended) return;
            Steps = ended.Batch;
            if (ended.Batch >= steps) cancel.Cancel();
        }
    }
}
