using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Cnn.Functional.Properties;

namespace Cnn.Functional.Cli;

/// <summary>
/// <c>cnnf laws MODEL</c>: checks the layer laws (Properties' <see cref="Laws"/>) against every node of a zoo model or a
/// saved graph, node by node on small maps: which hold, which are violated (with the shrunk counterexample) and which do
/// not apply; plus the max-pool shift stability, measured. <c>--json</c> gives
/// <c>{"results": [{"path", "kind", "law", "status": "holds" | "violated" | "not-applicable", …}], "measurements": […]}</c>.
/// Exit code 0 when no law is violated, 1 when one is, 2 for bad input.
/// </summary>
internal static class LawsCommand
{
    /// <summary>Exit code when a law is violated.</summary>
    public const int Violation = 1;

    public static Command Create()
    {
        var model = new Argument<string>("MODEL") { Description = ModelSource.Help };
        var cases = new Option<int>("--cases") { Description = "Generated cases per node and law.", DefaultValueFactory = _ => 20 };
        var seed = new Option<int>("--seed") { Description = "Seed of the generated cases (the same seed gives the same cases).", DefaultValueFactory = _ => 1 };
        var law = new Option<string[]>("--law") { Description = $"Check only this law (repeatable): {string.Join(", ", Laws.All.Select(l => l.Name))}." };
        var node = new Option<string?>("--node") { Description = "Check only the nodes at or under this path." };
        var json = CliOutput.JsonOption();
        var command = new Command("laws", "Check the layer laws (equivariance, invariance, linearity, adjointness, backprop, …) against every node of a model.")
        {
            model, cases, seed, law, node, json,
        };
        command.SetAction(parse =>
        {
            var asJson = parse.GetValue(json);
            var output = parse.InvocationConfiguration.Output;
            try
            {
                var graph = ModelSource.Load(parse.GetValue(model)!);
                var chosen = (parse.GetValue(law) ?? []).Select(name => Laws.Find(name)
                    ?? throw new ArgumentException($"unknown law '{name}'; the laws are {string.Join(", ", Laws.All.Select(l => l.Name))}")).ToList();
                var count = parse.GetValue(cases);
                if (count < 1) throw new ArgumentException($"--cases must be at least 1; got {count}");
                var options = new LawOptions { Cases = count, Seed = parse.GetValue(seed) };
                // The header comes with the first result, so that bad input (a --node that names nothing) prints only the error.
                var printer = asJson ? null : new NodePrinter(output,
                    $"laws of {graph.Name}: {Count(chosen.Count == 0 ? Laws.All.Count : chosen.Count, "law")}, {Count(count, "case")} each, seed {options.Seed} (nodes on maps of at most 8 positions a side)");
                var report = GraphLaws.Check(graph, options, chosen.Count == 0 ? null : chosen, parse.GetValue(node), printer);
                printer?.Flush();
                if (asJson) output.WriteLine(Json(report));
                else Summary(output, report);
                return report.Violated == 0 ? 0 : Violation;
            }
            catch (Exception e) when (e is GraphException or ArgumentException)
            {
                return CliOutput.Fail(parse, asJson, e);
            }
        });
        return command;
    }

    private static void Summary(TextWriter output, GraphLawReport report)
    {
        foreach (var m in report.Measurements)
            output.WriteLine(string.Format(CultureInfo.InvariantCulture, "measured   {0}  {1}: {2:0.###} of {3} outputs unchanged by a 1-pixel shift", m.Subject, m.Name, m.Value, m.Samples));
        var notApplicable = report.Results.Count(r => r.Result.Status == LawStatus.NotApplicable);
        output.WriteLine($"{report.Graph}: {report.Holding} hold, {report.Violated} violated, {notApplicable} not applicable");
    }

    /// <summary>Prints each node's results as soon as the next node starts: holds and violations one per line, the rest on one line.</summary>
    private sealed class NodePrinter(TextWriter output, string header) : IProgress<NodeLawResult>
    {
        private readonly List<NodeLawResult> pending = [];
        private bool started;

        public void Report(NodeLawResult value)
        {
            if (!started) output.WriteLine(header);
            started = true;
            if (pending.Count > 0 && pending[0].Path != value.Path) Flush();
            pending.Add(value);
        }

        public void Flush()
        {
            if (pending.Count == 0) return;
            output.WriteLine($"{pending[0].Path}  {pending[0].Kind}");
            foreach (var r in pending.Where(r => r.Result.Status != LawStatus.NotApplicable))
            {
                var status = r.Result.Status == LawStatus.Holds ? "holds   " : "VIOLATED";
                output.WriteLine($"  {status}  {r.Result.Law,-34}  {Count(r.Result.Cases, "case")}");
                if (r.Result.Counterexample is { } c)
                    output.WriteLine("    " + c.ToString().Replace("\n", "\n    "));
            }
            var skipped = pending.Where(r => r.Result.Status == LawStatus.NotApplicable).Select(r => r.Result.Law).ToList();
            if (skipped.Count > 0) output.WriteLine($"  not applicable: {string.Join(", ", skipped)}");
            pending.Clear();
        }
    }

    private static string Json(GraphLawReport report) => CliOutput.Json(w =>
    {
        w.WriteStartObject();
        w.WriteString("model", report.Graph);
        w.WriteNumber("cases", report.Cases);
        w.WriteNumber("seed", report.Seed);
        w.WriteStartArray("results");
        foreach (var r in report.Results)
        {
            w.WriteStartObject();
            w.WriteString("path", r.Path);
            w.WriteString("kind", r.Kind);
            w.WriteString("law", r.Result.Law);
            w.WriteString("status", r.Result.Status switch { LawStatus.Holds => "holds", LawStatus.Violated => "violated", _ => "not-applicable" });
            if (r.Result.Status != LawStatus.NotApplicable) w.WriteNumber("cases", r.Result.Cases);
            if (r.Result.Status == LawStatus.NotApplicable) w.WriteString("reason", r.Result.Reason);
            if (r.Result.Counterexample is { } c)
            {
                w.WriteStartObject("counterexample");
                w.WriteString("configuration", c.Configuration);
                w.WriteString("case", c.Trial.ToString());
                w.WriteString("transformation", c.Transformation);
                WriteNumber(w, "largestDifference", c.LargestDifference);
                WriteNumber(w, "tolerance", c.Tolerance);
                w.WriteString("detail", c.Detail);
                w.WriteNumber("shrinks", c.Shrinks);
                w.WriteEndObject();
            }
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartArray("measurements");
        foreach (var m in report.Measurements)
        {
            w.WriteStartObject();
            w.WriteString("path", m.Subject);
            w.WriteString("name", m.Name);
            WriteNumber(w, "value", m.Value);
            w.WriteNumber("samples", m.Samples);
            w.WriteString("description", m.Description);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartObject("summary");
        w.WriteNumber("holds", report.Holding);
        w.WriteNumber("violated", report.Violated);
        w.WriteNumber("notApplicable", report.Results.Count(r => r.Result.Status == LawStatus.NotApplicable));
        w.WriteEndObject();
        w.WriteEndObject();
    });

    private static string Count(int n, string noun) => n == 1 ? $"1 {noun}" : $"{n} {noun}s";

    // JSON has no NaN or ∞: a difference that is not a number (a shape, a crash) is null.
    private static void WriteNumber(Utf8JsonWriter w, string name, double value)
    {
        if (double.IsFinite(value)) w.WriteNumber(name, value);
        else w.WriteNull(name);
    }
}
