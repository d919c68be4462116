using System.Diagnostics;
using Cnn.Functional.Dsl;
using Cnn.Functional.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace Cnn.Functional.Benchmarks;

/// <summary>
/// Inference speed (forward only, evaluation mode) of <c>vgg_small</c> and <c>lenet5</c> on Fashion-MNIST test images,
/// in GFLOP/s = 2·MACs (graph summary) × samples/s. Variants alternate round by round in one process (the machine is
/// shared and noisy; medians are reported):
/// <list type="bullet">
/// <item>the library's evaluation path (<see cref="Trainer.Evaluate"/>'s forward: <c>eval()</c>, no_grad, GraphModule),
/// with its gradient mode switched between no_grad and inference_mode;</item>
/// <item>the same with channels-last (NHWC-strided) input and convolution weights;</item>
/// <item>the hand-written TorchSharp network (<see cref="HandWritten"/>);</item>
/// </list>
/// then a batch-size sweep, one thread against two, and the time of each layer at batch 256.
/// <c>inference default-allocator</c> measures the hand-written network only, in a process where the library never
/// tunes glibc's allocator: what plain TorchSharp (and PyTorch) get.
/// </summary>
internal static class InferenceBenchmark
{
    public static int Run(TextWriter output, IReadOnlyList<string> args)
    {
        var mode = args.Count > 0 ? args[0] : "all";
        var rounds = args.Count > 1 ? int.Parse(args[1]) : 5;
        if (mode != "default-allocator") NativeAllocator.EnsureTuned();
        output.WriteLine($"Inference benchmark ({mode}) — {Environment.ProcessorCount} cores, torch threads {get_num_threads()} " +
                         $"(interop {get_num_interop_threads()}), allocator tuned: {mode != "default-allocator"}, .NET {Environment.Version}, {DateTime.UtcNow:yyyy-MM-dd}");
        using var data = FashionMnist.Load().Test;
        using var images = data.Images.narrow(0, 0, 1024).contiguous();
        var models = mode is "all" or "default-allocator" ? ["vgg_small", "lenet5"] : mode.Split(',');
        var sweep = args.Count <= 2 || args[2] != "quick";
        foreach (var model in models)
        {
            var graph = ModelZoo.Get(model);
            var flops = 2.0 * graph.Summarize().Totals.Macs;
            manual_seed(1);
            using var hand = HandWritten.For(model);
            hand.eval();
            output.WriteLine();
            output.WriteLine($"{model}: {flops / 1e6:N1} MFLOP per image forward");
            if (mode == "default-allocator")
            {
                Compare(output, rounds, flops, images, 256, [("hand-written, no_grad", x => hand.forward(x), Grad.NoGrad)]);
                continue;
            }
            using var module = GraphModule.Create(graph);
            hand.load_state_dict(module.state_dict());
            module.eval();
            using var channelsLast = GraphModule.Create(graph);
            channelsLast.load_state_dict(module.state_dict());
            channelsLast.eval();
            ToChannelsLast(channelsLast);
            Compare(output, rounds, flops, images, 256,
            [
                ("library, no_grad (Evaluator before)", x => module.forward(x), Grad.NoGrad),
                ("library, inference_mode", x => module.forward(x), Grad.Inference),
                ("library, channels-last input, no_grad", x => module.forward(ChannelsLast(x)), Grad.NoGrad),
                ("library, channels-last input, inference_mode", x => module.forward(ChannelsLast(x)), Grad.Inference),
                ("library, channels-last input+weights, inf.", x => channelsLast.forward(ChannelsLast(x)), Grad.Inference),
                ("Inference.Predict (library, after)", x => Inference.Predict(module, x), Grad.NoGrad),
                ("hand-written, no_grad", x => hand.forward(x), Grad.NoGrad),
                ("hand-written, inference_mode", x => hand.forward(x), Grad.Inference),
            ]);
            if (!sweep) continue;
            output.WriteLine("  batch-size sweep, before (no_grad, NCHW) and after (Inference.Predict):");
            foreach (var batch in new[] { 32, 64, 128, 256, 512, 1024 })
                Compare(output, Math.Max(3, rounds / 2), flops, images, batch,
                [
                    ($"before, batch {batch}", x => module.forward(x), Grad.NoGrad),
                    ($"after, batch {batch}", x => Inference.Predict(module, x, batch), Grad.NoGrad),
                ]);
            output.WriteLine("  threads, batch 256, before and after:");
            var threads = get_num_threads();
            foreach (var n in new[] { 1, threads })
            {
                set_num_threads(n);
                Compare(output, Math.Max(3, rounds / 2), flops, images, 256,
                [
                    ($"before, {n} thread(s)", x => module.forward(x), Grad.NoGrad),
                    ($"after, {n} thread(s)", x => Inference.Predict(module, x), Grad.NoGrad),
                ]);
            }
            set_num_threads(threads);
            using (var batch = images.narrow(0, 0, 256))
            {
                Layers(output, "NCHW (before)", module, graph, batch.alias());
                Layers(output, "channels-last (after)", module, graph, ChannelsLast(batch));
            }
        }
        return 0;
    }

    internal enum Grad { NoGrad, Inference }

    /// <summary>
    /// Times each variant on batches of <paramref name="batch"/>, alternating variants round by round (forward order on
    /// even rounds, backward on odd); prints and returns each variant's median samples/s.
    /// </summary>
    internal static double[] Compare(TextWriter output, int rounds, double flops, Tensor images, int batch,
        IReadOnlyList<(string Name, Func<Tensor, Tensor> Forward, Grad Grad)> variants)
    {
        var input = images.narrow(0, 0, Math.Min(batch, images.shape[0]));
        using var owned = batch > images.shape[0] ? cat([images, images], 0).narrow(0, 0, batch) : null;
        input = owned ?? input;
        var perSecond = variants.Select(_ => new List<double>()).ToArray();
        foreach (var v in variants) Time(v.Forward, v.Grad, input, 0.3); // warm-up
        for (var r = 0; r < rounds; r++)
            for (var k = 0; k < variants.Count; k++)
            {
                var i = r % 2 == 0 ? k : variants.Count - 1 - k;
                perSecond[i].Add(batch / Time(variants[i].Forward, variants[i].Grad, input, 1.0));
            }
        for (var i = 0; i < variants.Count; i++)
        {
            var median = TrainThroughputBenchmark.Median(perSecond[i]);
            output.WriteLine($"  {variants[i].Name,-42} batch {batch,5}: {median,9:N0} samples/s  {median * flops / 1e9,7:N1} GFLOP/s" +
                             $"  (rounds {perSecond[i].Min():N0}–{perSecond[i].Max():N0})");
        }
        return perSecond.Select(TrainThroughputBenchmark.Median).ToArray();
    }

    /// <summary>Seconds per forward, over as many forwards as fit in about <paramref name="seconds"/> (at least 3).</summary>
    private static double Time(Func<Tensor, Tensor> forward, Grad grad, Tensor input, double seconds)
    {
        using var mode = grad == Grad.Inference ? inference_mode() : no_grad();
        var clock = Stopwatch.StartNew();
        var n = 0;
        while (n < 3 || clock.Elapsed.TotalSeconds < seconds)
        {
            using var scope = NewDisposeScope();
            forward(input);
            n++;
        }
        return clock.Elapsed.TotalSeconds / n;
    }

    /// <summary>Each node's forward on its own input at batch 256 (inference_mode): which layer dominates.</summary>
    private static void Layers(TextWriter output, string layout, GraphModule module, Graph graph, Tensor input)
    {
        output.WriteLine($"  per layer, {layout}, inference_mode, batch 256:");
        var summary = graph.Summarize();
        using var mode = inference_mode();
        var x = input.alias();
        var total = 0.0;
        var rows = new List<(string, double, long)>();
        foreach (var node in module.Graph.Nodes.Skip(1))
        {
            var layer = module[node.Path];
            var current = x;
            var ms = 1000 * Time(t => layer.Forward([t]), Grad.Inference, current, 0.3);
            var next = layer.Forward([current]);
            current.Dispose();
            x = next;
            total += ms;
            rows.Add((node.Path, ms, summary.Nodes.First(n => n.Path == node.Path).Macs));
        }
        x.Dispose();
        foreach (var (path, ms, macs) in rows)
            output.WriteLine($"    {path,-10} {ms,8:0.000} ms  {100 * ms / total,5:0.0} %  {(macs > 0 ? $"{2.0 * macs * 256 / (ms / 1000) / 1e9,6:N1} GFLOP/s" : "")}");
        output.WriteLine($"    {"total",-10} {total,8:0.000} ms");
    }

    /// <summary>
    /// An NCHW tensor with NHWC strides (PyTorch's channels_last; TorchSharp 0.107 has no memory_format argument). A
    /// one-channel tensor is restrided as a view: permute().contiguous() would copy nothing (a permuted [N, H, W, 1]
    /// already counts as contiguous) and libtorch would still see NCHW.
    /// </summary>
    internal static Tensor ChannelsLast(Tensor x) => x.shape[1] == 1 && x.is_contiguous()
        ? x.as_strided(x.shape, [x.shape[2] * x.shape[3], 1, x.shape[3], 1], x.storage_offset())
        : x.permute(0, 2, 3, 1).contiguous().permute(0, 3, 1, 2);

    private static void ToChannelsLast(GraphModule module)
    {
        using var noGrad = no_grad();
        foreach (var p in module.parameters())
            if (p.dim() == 4)
                using (var strided = ChannelsLast(p)) p.set_(strided);
    }
}
