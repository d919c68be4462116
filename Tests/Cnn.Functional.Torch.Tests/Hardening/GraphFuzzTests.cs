using System.Globalization;
using Cnn.Functional.Dsl;
using Cnn.Functional.Properties;
using Cnn.Functional.Torch;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Cnn.Functional.Tests.Hardening;

/// <summary>
/// Graph fuzzing (<see cref="GraphFuzz"/>): random graphs, valid and invalid, go build → infer → lower → forward →
/// backward; each is refused with a <see cref="GraphException"/> or runs with the inferred shapes. A seeded run of 1,500
/// graphs here (~30 s); <c>CNNF_FUZZ_COUNT</c> and <c>CNNF_FUZZ_SEED</c> change it, and the benchmarks program's
/// <c>fuzz</c> verb runs as many as wanted (and survives process crashes with <c>--trace</c>).
/// </summary>
public class GraphFuzzTests(ITestOutputHelper output)
{
    private static int Setting(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : fallback;

    [Fact]
    public void Random_graphs_are_refused_with_a_graph_error_or_run_forward_and_backward_with_the_inferred_shapes()
    {
        var count = Setting("CNNF_FUZZ_COUNT", 1_500);
        var seed = Setting("CNNF_FUZZ_SEED", 20_261_129);
        var report = GraphFuzz.Run(count, seed);
        output.WriteLine($"seed {seed}: {report}");

        Assert.True(report.Bugs.Count == 0, $"seed {seed}: {report}");
        Assert.Equal(count, report.Ran + report.RejectedTotal);
        // The mixture keeps every path busy: a fuzzer that only ever refused (or only ran) would test little.
        Assert.InRange(report.Ran, count / 4, count - count / 5);
        Assert.Contains(report.Rejected, kv => kv.Key.StartsWith("inference:", StringComparison.Ordinal) && kv.Value >= count / 10);
        Assert.Contains(report.Rejected, kv => kv.Key == "lowering: memory limit" && kv.Value >= count / 100);
        Assert.Contains(report.Rejected, kv => kv.Key.Contains("merge of mismatched shapes", StringComparison.Ordinal));
    }

    [Fact]
    public void The_fuzzer_tells_a_run_from_a_refusal_and_the_refusals_apart()
    {
        var lenet = ModelZoo.Get("lenet5");
        Assert.Equal(FuzzVerdict.Ran, GraphFuzz.Check(lenet).Verdict);
        var wide = Graph.Create("wide", Shape.Image(3, 8, 8)).Then("conv", Layers.Conv(1_000_000_000, 3));
        Assert.Equal(new FuzzOutcome(FuzzVerdict.RejectedAtLowering, "memory limit"), GraphFuzz.Check(wide));
        var badStride = Graph.Create("bad", Shape.Image(3, 8, 8)).Then("conv", Layers.Conv(4, 3, stride: 2));
        Assert.Equal(new FuzzOutcome(FuzzVerdict.RejectedAtInference, "stride does not tile"), GraphFuzz.Check(badStride));
        var two = Graph.Empty("two").AddNode("a", Layers.Input(Shape.Vector(4))).AddNode("b", Layers.Input(Shape.Vector(4))).AddNode("sum", Layers.Add(), "a", "b");
        Assert.Equal(new FuzzOutcome(FuzzVerdict.RejectedAtForward, "several inputs for one tensor"), GraphFuzz.Check(two));
    }

    [Fact]
    public void The_same_seed_gives_the_same_graphs()
    {
        Assert.Equal(GraphFuzz.Generate(7, 3), GraphFuzz.Generate(7, 3));
        Assert.NotEqual(GraphFuzz.Generate(7, 3).Graph, GraphFuzz.Generate(7, 4).Graph);
    }
}
