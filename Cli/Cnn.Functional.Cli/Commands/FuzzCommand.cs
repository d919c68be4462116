using System.CommandLine;
using System.Text.Json;
using Cnn.Functional.Properties;

namespace Cnn.Functional.Cli;

/// <summary>
/// <c>cnnf fuzz</c>: graph fuzzing (<see cref="GraphFuzz"/>) — random graphs through build → infer → lower → forward →
/// backward, each either refused with the library's shape error or run with the inferred shapes. Prints the counts and
/// every bug with the seed that regenerates its graph; exit code 1 when a bug was found. Graphs are numbered, and each
/// has its own seed, so <c>--first N --count 1</c> replays one alone. Progress goes to stderr every 500 graphs.
/// </summary>
internal static class FuzzCommand
{
    public static Command Create()
    {
        var count = new Option<int>("--count") { Description = "Graphs to generate and check.", DefaultValueFactory = _ => 1000 };
        var seed = new Option<int>("--seed") { Description = "The run's seed: the same seed gives the same graphs.", DefaultValueFactory = _ => 1 };
        var first = new Option<int>("--first") { Description = "The number of the first graph (to replay one, with --count 1).", DefaultValueFactory = _ => 0 };
        var trace = new Option<bool>("--trace") { Description = "Print every graph to stderr before it runs (a process crash then names its graph)." };
        var json = CliOutput.JsonOption();
        var command = new Command("fuzz", "Fuzz the library with random graphs (build, infer, lower, forward, backward) and report every bug with its seed.")
        {
            count, seed, first, trace, json,
        };
        command.SetAction(parse =>
        {
            var asJson = parse.GetValue(json);
            var (n, s, from) = (parse.GetValue(count), parse.GetValue(seed), parse.GetValue(first));
            if (n < 1 || from < 0)
                return CliOutput.Fail(parse, asJson, new ArgumentException($"--count must be at least 1 (got {n}) and --first at least 0 (got {from})"));
            var error = parse.InvocationConfiguration.Error;
            var tracing = parse.GetValue(trace);
            var report = GraphFuzz.Run(n, s, (i, graphSeed) =>
            {
                if (tracing) error.WriteLine($"graph {i} (seed {graphSeed}): {GraphFuzz.Generate(s, i).Graph}");
                else if (i > from && (i - from) % 500 == 0) error.WriteLine($"graph {i} (seed {graphSeed})");
            }, from);
            var output = parse.InvocationConfiguration.Output;
            if (asJson) output.WriteLine(Json(report, s, from));
            else
            {
                output.WriteLine($"fuzz: seed {s}, graphs {from} to {from + n - 1}");
                output.WriteLine(report);
            }
            return report.Bugs.Count == 0 ? 0 : 1;
        });
        return command;
    }

    /// <summary>The report as JSON: counts, refusals by reason, and every bug with its graph and seed.</summary>
    internal static string Json(FuzzReport report, int seed, int first) => CliOutput.Json(w =>
    {
        w.WriteStartObject();
        w.WriteNumber("seed", seed);
        w.WriteNumber("first", first);
        w.WriteNumber("generated", report.Generated);
        w.WriteNumber("nodes", report.Nodes);
        w.WriteNumber("ran", report.Ran);
        w.WriteNumber("rejected", report.RejectedTotal);
        w.WriteNumber("bugCount", report.Bugs.Count);
        w.WriteNumber("seconds", Math.Round(report.Elapsed.TotalSeconds, 3));
        w.WriteStartArray("rejections");
        foreach (var (reason, times) in report.Rejected.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal))
        {
            w.WriteStartObject();
            w.WriteString("reason", reason);
            w.WriteNumber("count", times);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartArray("bugs");
        foreach (var bug in report.Bugs) WriteBug(w, bug);
        w.WriteEndArray();
        w.WriteEndObject();
    });

    private static void WriteBug(Utf8JsonWriter w, FuzzBug bug)
    {
        w.WriteStartObject();
        w.WriteNumber("index", bug.Index);
        w.WriteNumber("graphSeed", bug.Seed);
        w.WriteString("stage", bug.Stage);
        w.WriteString("detail", bug.Detail);
        w.WriteString("graph", bug.Graph);
        w.WriteEndObject();
    }
}
