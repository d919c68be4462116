using System.Diagnostics;
using Cnn.Functional.Dsl;
using Cnn.Functional.Torch;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Cnn.Functional.Benchmarks;

/// <summary>
/// Where a training step's time goes, library against hand-written, part by part, on one fixed batch of 64:
/// forward + loss, + backward, the optimiser step, zeroing gradients, and the trainer's per-step bookkeeping (loss and
/// accuracy read back). Parts are timed round-robin, one call each in turn, many times, and the median time of each is
/// reported in µs (robust to the bursts of other work on the shared machine).
/// </summary>
internal static class TrainProfileBenchmark
{
    public static int Run(TextWriter output, IReadOnlyList<string> args)
    {
        var models = args.Count > 0 && args[0] != "all" ? args[0].Split(',') : ["lenet5", "vgg_small"];
        var reps = args.Count > 1 ? int.Parse(args[1]) : 300;
        if (args.Count > 2) set_num_threads(int.Parse(args[2]));
        NativeAllocator.EnsureTuned();
        output.WriteLine($"Train-profile benchmark — torch threads {get_num_threads()}, {DateTime.UtcNow:yyyy-MM-dd}, median of {reps} calls each, µs");
        using var data = FashionMnist.Load(limit: 64).Train;
        foreach (var model in models)
        {
            var graph = ModelZoo.Get(model);
            manual_seed(1);
            using var module = GraphModule.Create(graph);
            using var hand = HandWritten.For(model);
            hand.load_state_dict(module.state_dict());
            module.train();
            hand.train();
            var head = ModelOutput.Of(module.Graph);
            using var ours = new Adam(module);
            using var theirs = optim.Adam(hand.parameters());
            var (x, y) = (data.Images, data.Labels);
            using var one = x.narrow(0, 0, 1);
            // Gradients for the optimisers to use.
            using (NewDisposeScope()) head.Score(module, x, y).Loss.backward();
            using (NewDisposeScope()) F.cross_entropy(hand.forward(x), y).backward();
            var parts = new (string Name, Action Run)[]
            {
                ("library forward + loss", () => head.Score(module, x, y)),
                ("hand forward + loss", () => F.cross_entropy(hand.forward(x), y)),
                ("library forward + loss + backward", () => head.Score(module, x, y).Loss.backward()),
                ("hand forward + loss + backward", () => F.cross_entropy(hand.forward(x), y).backward()),
                ("library Adam.Step", ours.Step),
                ("torch.optim.Adam.step", () => theirs.step()),
                ("library loss.item + accuracy", () =>
                {
                    using var noGrad = no_grad();
                    var scored = head.Score(module, x, y);
                    _ = scored.Loss.item<float>();
                    _ = scored.Scores.argmax(1).eq(y).sum().item<long>();
                }),
                ("library forward + loss (same, for the difference)", () => { using var noGrad = no_grad(); head.Score(module, x, y); }),
                // One example: the per-op and per-node overhead, not arithmetic, sets the time.
                ("library forward, 1 example, no_grad", () => { using var noGrad = no_grad(); module.forward(one); }),
                ("hand forward, 1 example, no_grad", () => { using var noGrad = no_grad(); hand.forward(one); }),
                ("batch gather (2 × index_select)", () => { var i = arange(64L); x.index_select(0, i); y.index_select(0, i); }),
            };
            if (args.Count > 3) parts = parts.Where(p => p.Name.Contains(args[3], StringComparison.OrdinalIgnoreCase)).ToArray();
            var times = parts.Select(_ => new List<double>()).ToArray();
            var clock = new Stopwatch();
            for (var r = 0; r < reps + 20; r++)
                for (var p = 0; p < parts.Length; p++)
                {
                    clock.Restart();
                    using (NewDisposeScope()) parts[p].Run();
                    if (r >= 20) times[p].Add(clock.Elapsed.TotalMicroseconds);
                }
            output.WriteLine();
            output.WriteLine($"{model}:");
            for (var p = 0; p < parts.Length; p++)
                output.WriteLine($"  {parts[p].Name,-52} {TrainThroughputBenchmark.Median(times[p]),9:N1} µs");
        }
        return 0;
    }
}
