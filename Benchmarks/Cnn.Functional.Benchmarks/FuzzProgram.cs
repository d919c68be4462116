using System.Globalization;
using Cnn.Functional.Properties;

namespace Cnn.Functional.Benchmarks;

/// <summary>
/// <c>fuzz [count] [seed] [first] [--trace]</c>: runs <see cref="GraphFuzz"/> over <c>count</c> graphs (default 10,000) of
/// <c>seed</c> (default 1) from number <c>first</c> (default 0: a crash's graph can be replayed alone) and prints the counts — generated, ran, rejected by kind of reason — and every bug with the
/// seed that regenerates its graph. Progress goes to stderr every 500 graphs; with <c>--trace</c> before every graph, with the graph, so
/// that a process crash (which no exception handler sees) names the graph that caused it. Exit code 1 when a bug was found.
/// </summary>
internal static class FuzzProgram
{
    public static int Run(TextWriter output, string[] args)
    {
        var trace = args.Contains("--trace");
        var numbers = args.Where(a => a != "--trace").Select(a => int.Parse(a, CultureInfo.InvariantCulture)).ToArray();
        var count = numbers.Length > 0 ? numbers[0] : 10_000;
        var seed = numbers.Length > 1 ? numbers[1] : 1;
        var first = numbers.Length > 2 ? numbers[2] : 0;
        var report = GraphFuzz.Run(count, seed, (i, graphSeed) =>
        {
            if (trace) Console.Error.WriteLine($"graph {i} (seed {graphSeed}): {GraphFuzz.Generate(seed, i).Graph}");
            else if (i % 500 == 0) Console.Error.WriteLine($"graph {i} (seed {graphSeed})");
        }, first);
        output.WriteLine($"fuzz: seed {seed}, graphs {first} to {first + count - 1}");
        output.WriteLine(report);
        return report.Bugs.Count == 0 ? 0 : 1;
    }
}
