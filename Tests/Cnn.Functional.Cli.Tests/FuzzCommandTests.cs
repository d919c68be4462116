using System.Text.Json;
using Cnn.Functional.Cli;
using Cnn.Functional.Properties;

namespace Cnn.Functional.Tests;

/// <summary>
/// <c>cnnf fuzz</c>: graph fuzzing from the command line, as text and as JSON. The fuzzer seeds libtorch's global
/// generator per graph, so these run in the laws' non-parallel collection.
/// </summary>
[Collection("Laws")]
public class FuzzCommandTests
{
    [Fact]
    public void Json_counts_every_graph_as_run_or_refused_with_its_reasons()
    {
        var (code, output, error) = Cnnf.Run("fuzz", "--count", "30", "--seed", "3", "--json");
        Assert.Equal(0, code);
        Assert.Equal("", error);
        using var doc = JsonDocument.Parse(output);
        var root = doc.RootElement;
        Assert.Equal(30, root.GetProperty("generated").GetInt32());
        Assert.Equal(3, root.GetProperty("seed").GetInt32());
        var (ran, rejected) = (root.GetProperty("ran").GetInt32(), root.GetProperty("rejected").GetInt32());
        Assert.Equal(30, ran + rejected);
        // Both outcomes occur in 30 graphs of this seed: the mixture is made of valid and broken graphs.
        Assert.True(ran > 0 && rejected > 0, $"ran {ran}, rejected {rejected}");
        Assert.Equal(0, root.GetProperty("bugCount").GetInt32());
        Assert.Empty(root.GetProperty("bugs").EnumerateArray());
        var reasons = root.GetProperty("rejections").EnumerateArray().ToList();
        Assert.Equal(rejected, reasons.Sum(r => r.GetProperty("count").GetInt32()));
        Assert.All(reasons, r => Assert.Matches("^(inference|lowering|forward): ", r.GetProperty("reason").GetString()));
        Assert.True(root.GetProperty("nodes").GetInt32() >= 30);
    }

    [Fact]
    public void A_run_split_in_two_by_first_counts_what_the_whole_run_counts()
    {
        static (int Ran, int Rejected) Counts(params string[] args)
        {
            var (code, output, _) = Cnnf.Run(["fuzz", "--seed", "5", "--json", .. args]);
            Assert.Equal(0, code);
            using var doc = JsonDocument.Parse(output);
            return (doc.RootElement.GetProperty("ran").GetInt32(), doc.RootElement.GetProperty("rejected").GetInt32());
        }
        var whole = Counts("--count", "12");
        var head = Counts("--count", "7");
        var tail = Counts("--count", "5", "--first", "7");
        Assert.Equal(whole, (head.Ran + tail.Ran, head.Rejected + tail.Rejected));
    }

    [Fact]
    public void Text_names_the_graphs_and_trace_prints_each_graph_before_it_runs()
    {
        var (code, output, error) = Cnnf.Run("fuzz", "--count", "3", "--seed", "2", "--first", "10", "--trace");
        Assert.Equal(0, code);
        Assert.Contains("fuzz: seed 2, graphs 10 to 12", output);
        Assert.Contains("generated 3 graphs", output);
        var traced = error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["graph 10 (seed", "graph 11 (seed", "graph 12 (seed"], traced.Select(l => l[..l.IndexOf(')')].Split(' ').Take(3)).Select(p => string.Join(' ', p)));
    }

    [Fact]
    public void A_long_run_reports_its_progress_on_stderr_every_500_graphs()
    {
        var (code, output, error) = Cnnf.Run("fuzz", "--count", "501", "--seed", "4", "--first", "100", "--json");
        Assert.Equal(0, code);
        Assert.Equal(501, JsonDocument.Parse(output).RootElement.GetProperty("generated").GetInt32());
        Assert.Equal("graph 600 (seed", string.Join(' ', error.Trim().Split(' ').Take(3)));
        Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Theory]
    [InlineData("--count", "0")]
    [InlineData("--first", "-1")]
    public void A_count_below_one_or_a_negative_first_is_refused_in_one_line(string option, string value)
    {
        var (code, output, error) = Cnnf.Run("fuzz", option, value);
        Assert.Equal(CnnfApp.InputError, code);
        Assert.Equal("", output);
        Assert.StartsWith("cnnf: error: --count must be at least 1", error);
        Assert.Contains($"(got {value})", error);
    }

    [Fact]
    public void A_bug_is_reported_with_its_index_seed_stage_and_graph()
    {
        var bug = new FuzzBug(17, 42UL, "backward", "InvalidOperationException: boom", "graph 'g': input 1×8×8 → conv");
        var report = new FuzzReport(20, 15, 60, new Dictionary<string, int> { ["inference: channels"] = 4 }, [bug], TimeSpan.FromSeconds(1.5));
        using var doc = JsonDocument.Parse(FuzzCommand.Json(report, 9, 0));
        var root = doc.RootElement;
        Assert.Equal(1, root.GetProperty("bugCount").GetInt32());
        var reported = root.GetProperty("bugs").EnumerateArray().Single();
        Assert.Equal(17, reported.GetProperty("index").GetInt32());
        Assert.Equal(42UL, reported.GetProperty("graphSeed").GetUInt64());
        Assert.Equal("backward", reported.GetProperty("stage").GetString());
        Assert.Equal("InvalidOperationException: boom", reported.GetProperty("detail").GetString());
        Assert.Equal("graph 'g': input 1×8×8 → conv", reported.GetProperty("graph").GetString());
        Assert.Equal(4, root.GetProperty("rejections").EnumerateArray().Single().GetProperty("count").GetInt32());
        Assert.Equal(1.5, root.GetProperty("seconds").GetDouble());
    }
}
