using System.Text.Json;

namespace Cnn.Functional.Tests;

/// <summary>
/// The laws seed libtorch's global generator for every case: they run alone, so that the training tests, which rely
/// on that generator's sequence for reproducible runs, never see it move under them.
/// </summary>
[CollectionDefinition("Laws", DisableParallelization = true)]
public sealed class LawsCollection;

/// <summary><c>cnnf laws</c>: every law against every node of a zoo model or a saved graph, as text and as JSON.</summary>
[Collection("Laws")]
public class LawsCommandTests
{
    [Fact]
    public void Laws_of_lenet5_as_json_give_a_status_per_node_and_law()
    {
        var (code, output, error) = Cnnf.Run("laws", "lenet5", "--cases", "5", "--json");
        Assert.Equal(0, code);
        Assert.Equal("", error);
        using var doc = JsonDocument.Parse(output);
        var results = doc.RootElement.GetProperty("results").EnumerateArray().ToList();
        foreach (var field in new[] { "path", "law", "status" })
            Assert.All(results, r => Assert.True(r.TryGetProperty(field, out _), field));
        Assert.All(results, r => Assert.Contains(r.GetProperty("status").GetString(), new[] { "holds", "violated", "not-applicable" }));
        string Status(string path, string law) => results.Single(r => r.GetProperty("path").GetString() == path && r.GetProperty("law").GetString() == law).GetProperty("status").GetString()!;
        Assert.Equal("holds", Status("conv1", "translation-equivariance"));
        Assert.Equal("holds", Status("conv2", "conv-backprop"));
        Assert.Equal("holds", Status("pool1", "max-pool-switches"));
        Assert.Equal("holds", Status("/", "fully-convolutional-equivalence"));
        var relu = results.Single(r => r.GetProperty("path").GetString() == "relu1" && r.GetProperty("law").GetString() == "linearity");
        Assert.Equal("not-applicable", relu.GetProperty("status").GetString());
        Assert.Equal("is a nonlinearity", relu.GetProperty("reason").GetString());
        Assert.Equal(5, results.First(r => r.GetProperty("status").GetString() == "holds").GetProperty("cases").GetInt32());
        var pool = doc.RootElement.GetProperty("measurements").EnumerateArray().Single(m => m.GetProperty("path").GetString() == "pool1");
        Assert.InRange(pool.GetProperty("value").GetDouble(), 0.2, 0.5);
        Assert.Equal(0, doc.RootElement.GetProperty("summary").GetProperty("violated").GetInt32());
    }

    [Fact]
    public void Position_sensitive_layers_in_a_saved_graph_are_reported_violated_with_their_counterexample()
    {
        var path = Path.Combine(Path.GetTempPath(), $"cnnf-laws-{Guid.NewGuid():N}.json");
        try
        {
            File.WriteAllText(path, Graph.Create("positions", Shape.Image(2, 10, 10))
                .Then("conv", Layers.Conv(3, 3, padding: Padding.Same))
                .Then("coord", Layers.CoordConv(3, 3, padding: Padding.Same))
                .Then("unshared", Layers.LocallyConnected(2, 3)).ToJson());
            var (code, output, _) = Cnnf.Run("laws", path, "--law", "translation-equivariance", "--cases", "30", "--json");
            Assert.Equal(1, code);
            using var doc = JsonDocument.Parse(output);
            var results = doc.RootElement.GetProperty("results").EnumerateArray().ToDictionary(r => r.GetProperty("path").GetString()!);
            Assert.Equal("holds", results["conv"].GetProperty("status").GetString());
            foreach (var node in new[] { "coord", "unshared" })
            {
                Assert.Equal("violated", results[node].GetProperty("status").GetString());
                var counterexample = results[node].GetProperty("counterexample");
                Assert.Contains(node, counterexample.GetProperty("configuration").GetString());
                Assert.Matches("translation by|circular shift by", counterexample.GetProperty("transformation").GetString());
                Assert.True(counterexample.GetProperty("largestDifference").GetDouble() > counterexample.GetProperty("tolerance").GetDouble());
            }
            Assert.Equal(2, doc.RootElement.GetProperty("summary").GetProperty("violated").GetInt32());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Laws_as_text_list_each_nodes_verdicts_and_a_summary()
    {
        var (code, output, error) = Cnnf.Run("laws", "lenet5", "--node", "conv1", "--law", "linearity", "--law", "dirac-identity", "--cases", "5");
        Assert.Equal(0, code);
        Assert.Equal("", error);
        Assert.StartsWith("laws of lenet5: 2 laws, 5 cases each, seed 1", output);
        Assert.Contains("conv1  conv\n", output);
        Assert.Matches(@"  holds     linearity\s+5 cases\n", output);
        Assert.Contains("  not applicable: dirac-identity", output);
        Assert.EndsWith("lenet5: 1 hold, 0 violated, 1 not applicable\n", output.Replace("\r\n", "\n"));
    }

    [Theory]
    [InlineData("nosuchmodel", "--cases", "5")]
    [InlineData("lenet5", "--law", "no-such-law")]
    [InlineData("lenet5", "--cases", "0")]
    [InlineData("lenet5", "--node", "no/such/node")]
    public void Bad_input_is_one_clear_line_and_exit_code_2(params string[] arguments)
    {
        var (code, output, error) = Cnnf.Run(["laws", .. arguments]);
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.StartsWith("cnnf: error: ", error);
        Assert.Single(error.TrimEnd().Split('\n'));
    }

    [Fact]
    public void Bad_input_with_json_is_a_json_error()
    {
        var (code, output, _) = Cnnf.Run("laws", "lenet5", "--law", "no-such-law", "--json");
        Assert.Equal(2, code);
        using var doc = JsonDocument.Parse(output);
        Assert.Contains("translation-equivariance", doc.RootElement.GetProperty("error").GetProperty("message").GetString());
    }
}
