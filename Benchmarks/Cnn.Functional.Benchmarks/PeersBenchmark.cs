using System.Diagnostics;
using Cnn.Functional.Dsl;
using Cnn.Functional.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace Cnn.Functional.Benchmarks;

/// <summary>
/// The library against its peers, in one process and one window of time: each network built three ways — the zoo's
/// graph lowered by the library, the same network written by hand in plain TorchSharp (<see cref="HandWritten"/>),
/// and TorchVision's own model where it has one (ResNet-18; TorchVision has no LeNet-5 or vgg_small) — all starting
/// from the same weights, checked to compute the same function, then timed:
/// <list type="bullet">
/// <item>training: the library through <see cref="Trainer.Fit"/> (its Adam, loss and bookkeeping), each library step
/// followed by one step of each peer in a plain loop with <c>torch.optim.Adam</c> (<see cref="TrainLoop"/>); medians
/// of the per-step times, and the median of the per-step ratios;</item>
/// <item>inference: <see cref="Inference.Predict"/> (the library's path), the lowered module's plain no_grad forward,
/// and each peer's no_grad forward, alternating round by round (<see cref="InferenceBenchmark.Compare"/>);</item>
/// <item>the machine's float32 matrix-multiply throughput (<see cref="MatmulPeak"/>), measured before and after each
/// network, against which training GFLOP/s are stated (the higher of the two readings).</item>
/// </list>
/// Training FLOPs are 3 × the forward's 2·MACs from the graph summary (the backward pass computes the gradients
/// with respect to the input and to the weights, each as costly as the forward); the first convolution's input
/// gradient is not computed, so this slightly overstates the work for LeNet-5.
/// </summary>
internal static class PeersBenchmark
{
    public static int Run(TextWriter output, IReadOnlyList<string> args)
    {
        var models = args.Count > 0 && args[0] != "all" ? args[0].Split(',') : ["lenet5", "vgg_small", "resnet18"];
        var rounds = args.Count > 1 ? int.Parse(args[1]) : 8;
        NativeAllocator.EnsureTuned();
        output.WriteLine($"Peers benchmark — {Machine.Describe()}");
        output.WriteLine($"  torch threads {get_num_threads()}, TorchSharp {typeof(torch).Assembly.GetName().Version}, .NET {Environment.Version}, " +
                         $"{DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, allocator tuned: {NativeAllocator.Tuned}, {rounds} rounds");
        var results = new List<string>();
        foreach (var model in models) results.AddRange(Measure(output, model, rounds));
        output.WriteLine();
        output.WriteLine("Summary");
        foreach (var line in results) output.WriteLine(line);
        return 0;
    }

    private sealed record Setup(Graph Graph, int BatchSize, int StepsPerRound, int InferenceBatch);

    private static Setup For(string model) => model switch
    {
        // ResNet-18 at 64×64 (Tiny-ImageNet-sized inputs, torchvision's 1000 classes): adaptive pooling makes it valid.
        "resnet18" => new Setup(ModelZoo.Get("resnet18").WithInput(Shape.Image(3, 64, 64)), 32, 4, 64),
        "vgg_small" => new Setup(ModelZoo.Get(model), 64, 20, 256),
        "lenet5" => new Setup(ModelZoo.Get(model), 64, 100, 256),
        _ => throw new ArgumentException($"no peers for '{model}'; known: lenet5, vgg_small, resnet18"),
    };

    private static IEnumerable<string> Measure(TextWriter output, string model, int rounds)
    {
        var setup = For(model);
        var forwardFlops = 2.0 * setup.Graph.Summarize().Totals.Macs;
        var trainFlops = 3 * forwardFlops;
        manual_seed(1);
        using var library = GraphModule.Create(setup.Graph);
        var peers = new List<(string Name, nn.Module<Tensor, Tensor> Module)> { ("hand-written TorchSharp", HandWritten.For(model)) };
        if (model == "resnet18") peers.Add(("TorchVision resnet18", torchvision.models.resnet18()));
        try
        {
            // Strict: every name of the library's state dict and no other, or it throws.
            foreach (var (_, peer) in peers) peer.load_state_dict(library.state_dict());
            using var data = Data(model, setup);
            output.WriteLine();
            output.WriteLine($"{model}: input {string.Join('×', InputShape(setup.Graph).Dims)}, {forwardFlops / 1e6:N1} MFLOP forward and {trainFlops / 1e6:N1} MFLOP training " +
                             $"per sample, {library.parameters().Sum(p => p.numel()):N0} parameters, load average {Machine.LoadAverage()}");
            SameFunction(output, library, peers, data);

            var peakBefore = MatmulPeak.Measure(output, "before");
            var (trainRates, trainRatios) = Train(output, library, peers, data, setup, rounds, trainFlops);
            var inferRates = Infer(output, library, peers, data, setup, rounds, forwardFlops);
            var peakAfter = MatmulPeak.Measure(output, "after");
            // The higher of the two: a low reading means another process took the CPU for a moment, not a slower machine.
            var peak = Math.Max(peakBefore, peakAfter);

            var lines = new List<string>
            {
                $"  {model}: training, samples/s (GFLOP/s, % of the {peak:N0} GFLOP/s matmul peak, the higher of the two measured around it; ratio library/peer, median of per-step ratios)",
                $"    library (Trainer.Fit)      {trainRates[0],8:N0}  ({trainRates[0] * trainFlops / 1e9:N1} GFLOP/s, {100 * trainRates[0] * trainFlops / 1e9 / peak:N0} %)",
            };
            for (var i = 0; i < peers.Count; i++)
                lines.Add($"    {peers[i].Name,-26} {trainRates[i + 1],8:N0}  ({trainRates[i + 1] * trainFlops / 1e9:N1} GFLOP/s, {100 * trainRates[i + 1] * trainFlops / 1e9 / peak:N0} %)  ratio {trainRatios[i]:0.000}");
            lines.Add($"  {model}: inference at batch {setup.InferenceBatch}, samples/s (ratio library/peer of the medians)");
            lines.Add($"    Inference.Predict          {inferRates[0],8:N0}  ({inferRates[0] * forwardFlops / 1e9:N1} GFLOP/s)");
            lines.Add($"    library, plain forward     {inferRates[1],8:N0}  ({inferRates[1] * forwardFlops / 1e9:N1} GFLOP/s)");
            for (var i = 0; i < peers.Count; i++)
                lines.Add($"    {peers[i].Name,-26} {inferRates[i + 2],8:N0}  ({inferRates[i + 2] * forwardFlops / 1e9:N1} GFLOP/s)  " +
                          $"ratio Predict {inferRates[0] / inferRates[i + 2]:0.000}, plain forward {inferRates[1] / inferRates[i + 2]:0.000}");
            foreach (var line in lines) output.WriteLine(line);
            return lines;
        }
        finally
        {
            foreach (var (_, peer) in peers) peer.Dispose();
        }
    }

    /// <summary>Fashion-MNIST's training set for the 28×28 networks; for ResNet-18, 1,024 seeded random 3×64×64 images with random labels of 1000 classes.</summary>
    private static Dataset Data(string model, Setup setup)
    {
        if (model != "resnet18")
        {
            var fashion = FashionMnist.Load();
            fashion.Test.Dispose();
            return fashion.Train;
        }
        return Dataset.Random(InputShape(setup.Graph), 1000, 1024, seed: 2);
    }

    private static Shape InputShape(Graph graph) =>
        graph.Nodes[0].Layer is Input input ? input.Shape : throw new InvalidOperationException("the graph has no input");

    /// <summary>Evaluation-mode logits of each peer against the library's on 8 examples: they are one network.</summary>
    private static void SameFunction(TextWriter output, GraphModule library, IReadOnlyList<(string Name, nn.Module<Tensor, Tensor> Module)> peers, Dataset data)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        library.eval();
        var x = data.Images.narrow(0, 0, 8);
        var expected = library.forward(x);
        foreach (var (name, peer) in peers)
        {
            peer.eval();
            var difference = Scalars.Read<float>((peer.call(x) - expected).abs().max());
            output.WriteLine($"  same weights, same function: largest |logit difference| library vs {name} = {difference:0.0e+0}");
            if (!(difference < 1e-3)) throw new InvalidOperationException($"{name} does not compute the library's function (difference {difference})");
        }
    }

    /// <summary>Interleaved training steps; returns samples/s per variant (library first) and the per-step ratio medians.</summary>
    private static (double[], double[]) Train(TextWriter output, GraphModule library, IReadOnlyList<(string Name, nn.Module<Tensor, Tensor> Module)> peers,
        Dataset data, Setup setup, int rounds, double trainFlops)
    {
        var optimizers = peers.Select(p => optim.Adam(p.Module.parameters(), lr: 1e-3)).ToList();
        var shuffles = peers.Select((_, i) => new Generator((ulong)(10 + i))).ToList();
        try
        {
            var loops = peers.Select((p, i) => new TrainLoop(p.Module, optimizers[i], data, shuffles[i], setup.BatchSize)).ToList();
            using var trainer = new Trainer(library, new TrainingOptions { Epochs = int.MaxValue, BatchSize = setup.BatchSize, LearningRate = 1e-3 });
            var pairs = new StepPairs(loops, setup.StepsPerRound + 1);
            var clock = Stopwatch.StartNew();
            pairs.Round(trainer, data); // warm-up: JIT, first-call kernels, optimiser state, allocator
            pairs.Clear();
            for (var r = 0; r < rounds; r++) pairs.Round(trainer, data);
            var perStep = new[] { pairs.Library }.Concat(pairs.Peers).ToArray();
            var rates = perStep.Select(s => setup.BatchSize / TrainThroughputBenchmark.Median(s)).ToArray();
            // Library speed over peer speed, step pair by step pair: the peer's seconds over the library's.
            var stepRatios = pairs.Peers.Select(p => pairs.Library.Zip(p, (l, h) => h / l).ToList()).ToArray();
            var ratios = stepRatios.Select(TrainThroughputBenchmark.Median).ToArray();
            output.WriteLine($"  training, batch {setup.BatchSize}, {pairs.Library.Count} steps of each after a warm-up, {clock.Elapsed.TotalSeconds:N0} s, load average {Machine.LoadAverage()} after:");
            output.WriteLine($"    {"library (Trainer.Fit)",-28} {rates[0],8:N1} samples/s  {rates[0] * trainFlops / 1e9,6:N1} GFLOP/s");
            for (var i = 0; i < peers.Count; i++)
                output.WriteLine($"    {peers[i].Name,-28} {rates[i + 1],8:N1} samples/s  {rates[i + 1] * trainFlops / 1e9,6:N1} GFLOP/s  library/peer {ratios[i]:0.000} " +
                                 $"(25th–75th percentile of the step ratios {TrainThroughputBenchmark.Percentile(stepRatios[i], 0.25):0.000}–" +
                                 $"{TrainThroughputBenchmark.Percentile(stepRatios[i], 0.75):0.000})");
            return (rates, ratios);
        }
        finally
        {
            foreach (var o in optimizers) o.Dispose();
            foreach (var g in shuffles) g.Dispose();
        }
    }

    private static double[] Infer(TextWriter output, GraphModule library, IReadOnlyList<(string Name, nn.Module<Tensor, Tensor> Module)> peers,
        Dataset data, Setup setup, int rounds, double forwardFlops)
    {
        library.eval();
        foreach (var (_, peer) in peers) peer.eval();
        using var images = data.Images.narrow(0, 0, setup.InferenceBatch).contiguous();
        output.WriteLine($"  inference, batch {setup.InferenceBatch}, variants alternating round by round:");
        var variants = new List<(string, Func<Tensor, Tensor>, InferenceBenchmark.Grad)>
        {
            ("Inference.Predict (library)", x => Inference.Predict(library, x, setup.InferenceBatch), InferenceBenchmark.Grad.NoGrad),
            ("library, plain no_grad forward", x => library.forward(x), InferenceBenchmark.Grad.NoGrad),
        };
        variants.AddRange(peers.Select(p => (p.Name + ", no_grad", (Func<Tensor, Tensor>)(x => p.Module.call(x)), InferenceBenchmark.Grad.NoGrad)));
        return InferenceBenchmark.Compare(output, rounds, forwardFlops, images, setup.InferenceBatch, variants);
    }
}
