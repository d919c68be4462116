using System.Diagnostics;
using Cnn.Functional.Dsl;
using Cnn.Functional.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace Cnn.Functional.Benchmarks;

/// <summary>
/// Training throughput of a zoo network through the library — <see cref="Trainer.Fit"/> itself on an in-memory
/// <see cref="Dataset"/> (GraphModule forward, <see cref="ModelOutput"/> loss, the library's written-out Adam, its
/// loss/accuracy bookkeeping, a progress event per step) — against the same network written by hand in plain
/// TorchSharp (<see cref="HandWritten"/>, <c>torch.optim.Adam</c>, <c>cross_entropy</c>, the loss read every step).
/// Both start from the same weights and train on the same Fashion-MNIST tensors with batch 64 and shuffled
/// <c>index_select</c> batches, on this thread, after a warm-up.
/// <para>
/// The machine is shared with builds and tests that come in bursts, and a libtorch kernel on 2 threads slows down
/// 10–30× while another process holds a core, so the variants alternate in one process at two grains:
/// <c>steps</c> (the default) interleaves single steps — each library step is followed by a hand-written one run from
/// Fit's per-step progress event — and reports the median step time of each (a burst then hits both alike, and the
/// median ignores it); <c>rounds</c> alternates rounds of N steps (A B, B A, …) and reports the median of the
/// per-round ratios. Training GFLOP/s count forward + backward as 3 × the forward's 2·MACs (graph summary).
/// </para>
/// </summary>
internal static class TrainThroughputBenchmark
{
    private const int BatchSize = 64;

    public static int Run(TextWriter output, IReadOnlyList<string> args)
    {
        var models = args.Count > 0 && args[0] != "all" ? args[0].Split(',') : ["lenet5", "vgg_small"];
        var rounds = args.Count > 1 ? int.Parse(args[1]) : 16;
        var grain = args.Count > 2 ? args[2] : "steps";
        if (args.Count > 3) set_num_threads(int.Parse(args[3]));
        NativeAllocator.EnsureTuned();
        output.WriteLine($"Train-throughput benchmark ({grain}) — allocator tuned: {NativeAllocator.Tuned}, {Environment.ProcessorCount} cores, " +
                         $"torch threads {get_num_threads()}, .NET {Environment.Version}, {DateTime.UtcNow:yyyy-MM-dd}, batch {BatchSize}, {rounds} rounds");
        using var data = FashionMnist.Load().Train;
        foreach (var model in models) Measure(output, model, data, rounds, grain);
        return 0;
    }

    private static void Measure(TextWriter output, string model, Dataset data, int rounds, string grain)
    {
        var graph = ModelZoo.Get(model);
        var flopsPerSample = 3.0 * 2 * graph.Summarize().Totals.Macs;
        // About 0.7 s of steps a round on a quiet machine (LeNet-5 trains ~150 steps/s, vgg_small ~30).
        var steps = model == "lenet5" ? 100 : 20;
        manual_seed(1);
        using var module = GraphModule.Create(graph);
        using var hand = HandWritten.For(model);
        hand.load_state_dict(module.state_dict());
        using var adam = optim.Adam(hand.parameters(), lr: 1e-3);
        using var shuffle = new Generator(1);
        var handLoop = new TrainLoop(hand, adam, data, shuffle, BatchSize);
        var interleaved = grain == "steps";
        // The library's defaults (a BatchEnded event every step) when interleaving; one event a round otherwise.
        using var trainer = new Trainer(module, new TrainingOptions
        {
            Epochs = int.MaxValue, BatchSize = BatchSize, LearningRate = 1e-3, BatchEventInterval = interleaved ? 1 : steps,
        });
        var load = Machine.LoadAverage();
        var wall = Stopwatch.StartNew();
        var (library, handWritten, ratios) = interleaved
            ? Interleaved(trainer, handLoop, data, steps, rounds)
            : Rounds(trainer, handLoop, data, steps, rounds);
        output.WriteLine();
        output.WriteLine($"{model}: {rounds} rounds of {steps} steps × {BatchSize}, {flopsPerSample / 1e6:N1} MFLOP per training sample, " +
                         $"{wall.Elapsed.TotalSeconds:N0} s, load average {load} before and {Machine.LoadAverage()} after");
        var (lib, hw) = (Median(library), Median(handWritten));
        if (!interleaved)
        {
            output.WriteLine($"  library samples/s per round:      {string.Join(" ", library.Select(s => $"{s,6:0}"))}");
            output.WriteLine($"  hand-written samples/s per round: {string.Join(" ", handWritten.Select(s => $"{s,6:0}"))}");
        }
        else
        {
            output.WriteLine($"  samples/s from the 25th/50th/75th percentile step time: library {Percentile(library, 0.25):N0}/{lib:N0}/{Percentile(library, 0.75):N0}, " +
                             $"hand-written {Percentile(handWritten, 0.25):N0}/{hw:N0}/{Percentile(handWritten, 0.75):N0}");
        }
        output.WriteLine($"  median: library {lib:N0} samples/s ({lib * flopsPerSample / 1e9:N1} GFLOP/s), " +
                         $"hand-written {hw:N0} samples/s ({hw * flopsPerSample / 1e9:N1} GFLOP/s); ratio library/hand {lib / hw:0.000} of the medians, " +
                         $"{Median(ratios):0.000} median of the {(interleaved ? "step pairs" : "rounds")}' ratios");
    }

    /// <summary>Each library step followed by one hand-written step; per-step samples/s of each, and per pair.</summary>
    private static (List<double>, List<double>, List<double>) Interleaved(Trainer trainer, TrainLoop hand, Dataset data, int steps, int rounds)
    {
        var pairs = new StepPairs([hand], steps);
        for (var w = 0; w < 2; w++) pairs.Round(trainer, data); // warm-up: JIT, first-call kernels, optimiser state, allocator
        pairs.Clear();
        for (var r = 0; r < rounds; r++) pairs.Round(trainer, data);
        var library = pairs.Library.Select(s => BatchSize / s).ToList();
        var handWritten = pairs.Peers[0].Select(s => BatchSize / s).ToList();
        return (library, handWritten, library.Zip(handWritten, (a, b) => a / b).ToList());
    }

    /// <summary>Rounds of <paramref name="steps"/> steps of each variant, A B then B A; samples/s per round.</summary>
    private static (List<double>, List<double>, List<double>) Rounds(Trainer trainer, TrainLoop hand, Dataset data, int steps, int rounds)
    {
        var stop = new StepPairs([], steps);
        double Library() => steps * BatchSize / stop.Round(trainer, data);
        double Hand() => steps * BatchSize / hand.Round(steps);
        for (var w = 0; w < 2; w++) (_, _) = (Library(), Hand());
        var library = new List<double>();
        var handWritten = new List<double>();
        for (var r = 0; r < rounds; r++)
        {
            if (r % 2 == 0) { library.Add(Library()); handWritten.Add(Hand()); }
            else { handWritten.Add(Hand()); library.Add(Library()); }
        }
        return (library, handWritten, library.Zip(handWritten, (a, b) => a / b).ToList());
    }

    internal static double Median(IReadOnlyList<double> values) => Percentile(values, 0.5);

    internal static double Percentile(IReadOnlyList<double> values, double p)
    {
        var sorted = values.Order().ToList();
        var at = p * (sorted.Count - 1);
        var below = (int)Math.Floor(at);
        return below + 1 < sorted.Count ? sorted[below] + (at - below) * (sorted[below + 1] - sorted[below]) : sorted[below];
    }
}
