using System.Diagnostics;
using System.IO.Compression;
using Cnn.Functional.Torch;
using static TorchSharp.torch;

namespace Cnn.Functional.Benchmarks;

/// <summary>
/// Loading Fashion-MNIST's training set (60,000 × 28 × 28): wall time, the process's peak and current resident
/// memory (VmHWM, VmRSS from /proc/self/status) before and after, and the managed memory it allocates and leaves.
/// Peak resident memory only grows, so each variant runs in its own process:
/// <c>data-load</c> measures the library (bytes streamed into the tensor's storage), <c>data-load managed</c> a
/// typical hand-written loader for comparison (decompress into a byte[], convert into a float[], torch.tensor(...)).
/// </summary>
internal static class DataLoadBenchmark
{
    private const double MiB = 1 << 20;

    public static int Run(TextWriter output, string variant)
    {
        var folder = FashionMnist.DefaultFolder;
        var images = Path.Combine(folder, "train-images-idx3-ubyte.gz");
        var labels = Path.Combine(folder, "train-labels-idx1-ubyte.gz");
        Func<Dataset> load = variant switch
        {
            "library" => () => Idx.LoadDataset("train", images, labels, FashionMnist.ClassNames),
            "managed" => () => LoadThroughManagedArrays(images, labels),
            _ => throw new ArgumentException($"unknown variant '{variant}'; known: library, managed"),
        };
        using (var warm = NewDisposeScope()) { _ = ones(4) + 1; } // libtorch loaded and initialised
        output.WriteLine($"Data-load benchmark ({variant}) — {Environment.ProcessorCount} cores, .NET {Environment.Version}, {DateTime.UtcNow:yyyy-MM-dd}");
        Report(output, "before loading");
        var heapBefore = GC.GetTotalMemory(forceFullCollection: true);
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);

        var clock = Stopwatch.StartNew();
        var train = load();
        var cold = clock.Elapsed.TotalMilliseconds;

        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        var heapNoCollection = GC.GetTotalMemory(forceFullCollection: false);
        Report(output, $"after the first load ({train.Count:N0} images, {cold:N0} ms)");
        var heapAfter = GC.GetTotalMemory(forceFullCollection: true);
        output.WriteLine($"managed: {allocated / MiB:N1} MiB allocated while loading; heap {heapBefore / MiB:N1} MiB before, " +
                         $"{heapNoCollection / MiB:N1} MiB right after, {heapAfter / MiB:N1} MiB after a full collection");
        Report(output, "after a full collection");
        train.Dispose();

        var times = new List<double>();
        for (var i = 0; i < 7; i++)
        {
            clock.Restart();
            using (load()) times.Add(clock.Elapsed.TotalMilliseconds);
        }
        times.Sort();
        output.WriteLine($"warm loads: median {times[times.Count / 2]:N0} ms, min {times[0]:N0} ms, max {times[^1]:N0} ms ({times.Count} runs)");
        clock.Restart();
        using (FashionMnist.Load()) output.WriteLine($"FashionMnist.Load() (train + test): {clock.Elapsed.TotalMilliseconds:N0} ms");
        Report(output, "at the end");
        return 0;
    }

    /// <summary>The usual hand-written loader: whole file into managed arrays, then a managed float copy to a tensor.</summary>
    private static Dataset LoadThroughManagedArrays(string imagesPath, string labelsPath)
    {
        static byte[] Decompress(string path)
        {
            using var gzip = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
            using var memory = new MemoryStream();
            gzip.CopyTo(memory);
            return memory.ToArray();
        }
        var pixels = Decompress(imagesPath);
        var labels = Decompress(labelsPath);
        var n = labels.Length - 8;
        var floats = new float[n * 784];
        for (var i = 0; i < floats.Length; i++) floats[i] = pixels[16 + i] / 255f;
        var longs = new long[n];
        for (var i = 0; i < n; i++) longs[i] = labels[8 + i];
        return new Dataset("train", tensor(floats).view(n, 1, 28, 28), tensor(longs), 10, FashionMnist.ClassNames);
    }

    private static void Report(TextWriter output, string when)
    {
        var status = File.ReadAllLines("/proc/self/status");
        string Field(string name) => status.FirstOrDefault(l => l.StartsWith(name + ":"))?.Split(':', 2)[1].Trim() ?? "?";
        output.WriteLine($"{when,-50} VmHWM {Kb(Field("VmHWM")),9}  VmRSS {Kb(Field("VmRSS")),9}");
    }

    private static string Kb(string field) =>
        long.TryParse(field.Replace(" kB", ""), out var kb) ? $"{kb / 1024.0:N1} MiB" : field;
}
