using System.Diagnostics;
using Cnn.Functional.Dsl;
using Cnn.Functional.Torch;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Cnn.Functional.Benchmarks;

/// <summary>
/// Resident memory while training LeNet-5 on the whole Fashion-MNIST training set for 5 epochs (batch 64, Adam):
/// VmRSS after loading and after each epoch, and the process's peak VmHWM, from /proc/self/status. Peak memory only
/// grows, so each variant runs in its own process: <c>train-memory library</c> is <see cref="FashionMnist.Load"/> +
/// <see cref="Trainer.Fit"/> + <see cref="Trainer.Evaluate"/> (what <c>cnnf train</c> runs); <c>train-memory hand</c> is
/// the usual hand-written TorchSharp program: data decompressed into managed arrays and copied into tensors, the
/// network of <see cref="HandWritten"/>, <c>torch.optim.Adam</c>. <c>train-memory library 20</c> is issue 9's long run (20
/// epochs); a third argument limits the training and test sets to their first N examples (a shorter run on a busy machine).
/// At the end the whole curve is printed on one line, with the growth over the second half of the epochs (a leak shows as
/// a steady slope there; allocator warm-up shows in the first epochs).
/// </summary>
internal static class TrainMemoryBenchmark
{
    private const double MiB = 1 << 20;

    public static int Run(TextWriter output, IReadOnlyList<string> args)
    {
        var variant = args.Count > 0 ? args[0] : "library";
        var epochs = args.Count > 1 ? int.Parse(args[1]) : 5;
        var limit = args.Count > 2 ? int.Parse(args[2]) : int.MaxValue;
        using (NewDisposeScope()) _ = ones(4) + 1; // libtorch loaded and initialised
        output.WriteLine($"Train-memory benchmark ({variant}) — LeNet-5, {epochs} epochs, {(limit == int.MaxValue ? "all" : $"the first {limit:N0}")} examples, batch 64, {Environment.ProcessorCount} cores, " +
                         $".NET {Environment.Version}, server GC {System.Runtime.GCSettings.IsServerGC}, {DateTime.UtcNow:yyyy-MM-dd}");
        Report(output, "before loading");
        var clock = Stopwatch.StartNew();
        var rss = variant switch
        {
            "library" => Library(output, epochs, limit),
            "hand" => Hand(output, epochs, limit),
            _ => throw new ArgumentException($"unknown variant '{variant}'; known: library, hand"),
        };
        Report(output, $"at the end ({clock.Elapsed.TotalSeconds:N0} s)");
        output.WriteLine("VmRSS curve, MiB after each epoch: " + string.Join(", ", rss.Select((r, i) => $"{i + 1}: {r / MiB:N1}")));
        var half = rss.Count / 2;
        if (rss.Count >= 2)
            output.WriteLine($"VmRSS growth over epochs {half + 1}–{rss.Count} (the second half): {(rss[^1] - rss[half]) / MiB:+0.0;-0.0} MiB, " +
                             $"{(rss[^1] - rss[half]) / MiB / Math.Max(1, rss.Count - 1 - half):+0.00;-0.00} MiB per epoch");
        output.WriteLine($"VmRSS after epoch {epochs} − after epoch 1: {(rss[^1] - rss[0]) / MiB:N1} MiB; " +
                         $"managed heap {GC.GetTotalMemory(false) / MiB:N1} MiB, {GC.CollectionCount(0)}/{GC.CollectionCount(1)}/{GC.CollectionCount(2)} gen0/1/2 collections");
        return 0;
    }

    private static List<long> Library(TextWriter output, int epochs, int limit)
    {
        using var sets = FashionMnist.Load(limit: limit);
        Report(output, "after FashionMnist.Load()");
        manual_seed(1);
        using var module = GraphModule.Create(LeNet.LeNet5());
        using var trainer = new Trainer(module, new TrainingOptions { Epochs = epochs, BatchEventInterval = int.MaxValue });
        var rss = new List<long>();
        var progress = new Reporter(e =>
        {
            if (e is not EpochEnded { Summary: var s }) return;
            rss.Add(Field("VmRSS"));
            Report(output, $"after epoch {s.Epoch} ({s.SamplesPerSecond:N0} samples/s, accuracy {s.Training.Accuracy:P1})");
        });
        trainer.Fit(sets.Train, progress: progress);
        var test = trainer.Evaluate(sets.Test);
        Report(output, $"after evaluation (test accuracy {test.Accuracy:P2})");
        return rss;
    }

    private static List<long> Hand(TextWriter output, int epochs, int limit)
    {
        var (images, labels) = LoadManaged("train", limit);
        var (testImages, testLabels) = LoadManaged("t10k", limit);
        Report(output, "after loading through managed arrays");
        manual_seed(1);
        using var net = new HandLeNet5();
        using var adam = optim.Adam(net.parameters(), lr: 1e-3);
        var n = labels.shape[0];
        var rss = new List<long>();
        for (var epoch = 1; epoch <= epochs; epoch++)
        {
            net.train();
            using var order = randperm(n);
            var clock = Stopwatch.StartNew();
            for (long start = 0; start < n; start += 64)
            {
                using var scope = NewDisposeScope();
                var rows = order.narrow(0, start, Math.Min(64, n - start));
                adam.zero_grad();
                var loss = F.cross_entropy(net.forward(images.index_select(0, rows)), labels.index_select(0, rows));
                loss.backward();
                adam.step();
                _ = loss.item<float>();
            }
            rss.Add(Field("VmRSS"));
            Report(output, $"after epoch {epoch} ({n / clock.Elapsed.TotalSeconds:N0} samples/s)");
        }
        using (no_grad())
        using (NewDisposeScope())
        {
            net.eval();
            var correct = net.forward(testImages).argmax(1).eq(testLabels).sum().item<long>();
            Report(output, $"after evaluation (test accuracy {(double)correct / testLabels.shape[0]:P2})");
        }
        return rss;
    }

    /// <summary>The typical hand-written loader: gunzip into byte[], convert into float[], torch.tensor(...).</summary>
    private static (Tensor Images, Tensor Labels) LoadManaged(string prefix, int limit)
    {
        static byte[] Decompress(string path)
        {
            using var gzip = new System.IO.Compression.GZipStream(File.OpenRead(path), System.IO.Compression.CompressionMode.Decompress);
            using var memory = new MemoryStream();
            gzip.CopyTo(memory);
            return memory.ToArray();
        }
        var pixels = Decompress(Path.Combine(FashionMnist.DefaultFolder, $"{prefix}-images-idx3-ubyte.gz"));
        var bytes = Decompress(Path.Combine(FashionMnist.DefaultFolder, $"{prefix}-labels-idx1-ubyte.gz"));
        var n = Math.Min(bytes.Length - 8, limit);
        var floats = new float[n * 784];
        for (var i = 0; i < floats.Length; i++) floats[i] = pixels[16 + i] / 255f;
        var longs = new long[n];
        for (var i = 0; i < n; i++) longs[i] = bytes[8 + i];
        return (tensor(floats).view(n, 1, 28, 28), tensor(longs));
    }

    internal static long Field(string name)
    {
        var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith(name + ":", StringComparison.Ordinal));
        return long.Parse(line[(name.Length + 1)..].Trim().Split(' ')[0]) * 1024;
    }

    private static void Report(TextWriter output, string when)
    {
        var gc = GC.GetGCMemoryInfo();
        var malloc = mallinfo2();
        output.WriteLine($"  {when,-58} VmRSS {Field("VmRSS") / MiB,6:N1} MiB  VmHWM {Field("VmHWM") / MiB,6:N1} MiB  " +
                         $"managed committed {gc.TotalCommittedBytes / MiB,5:N1} MiB  malloc in use {(malloc.uordblks + malloc.hblkhd) / MiB,6:N1} MiB, free {malloc.fordblks / MiB,6:N1} MiB");
    }

    // glibc's allocator statistics, summed over its arenas: bytes in use (uordblks, and hblkhd in mmapped chunks) and
    // bytes free but kept (fordblks).
    [System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Sequential)]
    private struct MallInfo2
    {
        public nuint arena, ordblks, smblks, hblks, hblkhd, usmblks, fsmblks, uordblks, fordblks, keepcost;
    }

    [System.Runtime.InteropServices.DllImport("libc")]
    private static extern MallInfo2 mallinfo2();

    private sealed class Reporter(Action<TrainingEvent> report) : IProgress<TrainingEvent>
    {
        public void Report(TrainingEvent value) => report(value);
    }
}
