using System.Diagnostics;
using Cnn.Functional.Dsl;

namespace Cnn.Functional.Benchmarks;

/// <summary>
/// Times shape inference + summary (and the table and JSON renderings) per graph, per layer, and counts
/// the bytes allocated per run. Warm-up first; the median of many runs is reported, since this machine is
/// shared and noisy.
/// </summary>
internal static class SummaryBenchmark
{
    public static void Run(TextWriter output)
    {
        var zoo = System.Diagnostics.Stopwatch.StartNew();
        var all = ModelZoo.Names.Select(name => ModelZoo.Get(name).Summarize()).ToList();
        output.WriteLine($"First (cold) summary of the whole zoo: {all.Count} models, {all.Sum(s => s.Nodes.Count)} nodes, {zoo.Elapsed.TotalMilliseconds:0} ms");
        // The whole zoo, at each model's native input size.
        var graphs = ModelZoo.Names.Select(ModelZoo.Get).ToList();
        output.WriteLine($"Summary benchmark — {Environment.ProcessorCount} cores, .NET {Environment.Version}, {DateTime.UtcNow:yyyy-MM-dd}");
        output.WriteLine($"{"graph",-22} {"nodes",6} {"params",13} {"infer+summary",14} {"per layer",10} {"+table",9} {"+json",9} {"allocated",11}");
        foreach (var graph in graphs)
        {
            var nodes = graph.Nodes.Count;
            var summary = Median(() => graph.Summarize());
            var table = Median(() => graph.Summarize().ToTable());
            var json = Median(() => graph.Summarize().ToJson());
            var before = GC.GetAllocatedBytesForCurrentThread();
            var s = graph.Summarize();
            var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            output.WriteLine($"{graph.Name,-22} {nodes,6} {s.Totals.Parameters,13:N0} {Ms(summary),14} {Us(summary / nodes),10} {Ms(table),9} {Ms(json),9} {allocated / 1024.0,8:0.0} KiB");
        }
    }

    private static double Median(Action action)
    {
        for (var i = 0; i < 20; i++) action();
        var times = new List<double>();
        var total = Stopwatch.StartNew();
        while (times.Count < 25 || (total.Elapsed.TotalSeconds < 2 && times.Count < 1000))
        {
            var sw = Stopwatch.StartNew();
            action();
            times.Add(sw.Elapsed.TotalMilliseconds);
        }
        times.Sort();
        return times[times.Count / 2];
    }

    private static string Ms(double ms) => $"{ms:0.000} ms";

    private static string Us(double ms) => $"{ms * 1000:0.0} µs";
}
