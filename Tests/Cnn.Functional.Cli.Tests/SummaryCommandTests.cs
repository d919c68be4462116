using System.Text.Json;
using Cnn.Functional.Cli;
using Cnn.Functional.Dsl;

namespace Cnn.Functional.Tests;

public class SummaryCommandTests
{
    private static (int Code, string Out, string Err) Run(params string[] args) => Cnnf.Run(args);

    [Fact]
    public void Summary_of_lenet5_prints_the_table_with_61706_parameters()
    {
        var (code, output, error) = Run("summary", "lenet5");
        Assert.Equal(0, code);
        Assert.Equal("", error);
        Assert.StartsWith("Model: lenet5", output);
        Assert.Contains("conv1    conv     [6, 28, 28]", output);
        Assert.Contains("Parameters: 61,706 (trainable 61,706, frozen 0)", output);
    }

    [Fact]
    public void Summary_json_has_model_nodes_and_totals()
    {
        var (code, output, _) = Run("summary", "LeNet-5", "--json");
        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(output);
        var root = doc.RootElement;
        Assert.Equal("lenet5", root.GetProperty("model").GetString());
        var nodes = root.GetProperty("nodes").EnumerateArray().ToList();
        Assert.Equal(13, nodes.Count);
        foreach (var field in new[] { "path", "kind", "outputShape", "parameters", "macs" })
            Assert.All(nodes, n => Assert.True(n.TryGetProperty(field, out _), field));
        var totals = root.GetProperty("totals");
        Assert.Equal(61_706, totals.GetProperty("parameters").GetInt64());
        Assert.Equal(61_706, totals.GetProperty("trainableParameters").GetInt64());
        Assert.Equal(416_520, totals.GetProperty("macs").GetInt64());
    }

    [Fact]
    public void Summary_reads_a_graph_saved_as_json()
    {
        var path = Path.Combine(Path.GetTempPath(), $"cnnf-{Guid.NewGuid():N}.json");
        try
        {
            File.WriteAllText(path, LeNet.LeNet5().Freeze("conv1").ToJson());
            var (code, output, _) = Run("summary", path);
            Assert.Equal(0, code);
            Assert.Contains("Parameters: 61,706 (trainable 61,550, frozen 156)", output);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void An_unknown_model_is_one_clear_line_and_exit_code_2()
    {
        var (code, output, error) = Run("summary", "resnet9000");
        Assert.Equal(CnnfApp.InputError, code);
        Assert.Equal("", output);
        Assert.Single(error.TrimEnd().Split('\n'));
        Assert.Contains("unknown model 'resnet9000'", error);
        Assert.Contains("lenet5", error);
    }

    [Fact]
    public void A_graph_with_a_shape_error_names_the_layer_path_and_numbers()
    {
        var bad = Graph.Create("bad", Shape.Image(3, 32, 32))
            .Then("stage1/conv1", Layers.Conv(8, 5, stride: 2))
            .Then("stage1/relu", Layers.Relu());
        var path = Path.Combine(Path.GetTempPath(), $"cnnf-{Guid.NewGuid():N}.json");
        try
        {
            File.WriteAllText(path, bad.ToJson());
            var (code, _, error) = Run("summary", path);
            Assert.Equal(CnnfApp.InputError, code);
            Assert.StartsWith("cnnf: error: stage1/conv1: (32 − 5 + 2·0)/2 + 1 = 14.5 is not an integer", error);

            var (jsonCode, json, _) = Run("summary", path, "--json");
            Assert.Equal(CnnfApp.InputError, jsonCode);
            using var doc = JsonDocument.Parse(json);
            var first = doc.RootElement.GetProperty("error").GetProperty("errors")[0];
            Assert.Equal("stage1/conv1", first.GetProperty("path").GetString());
            Assert.Equal("conv", first.GetProperty("kind").GetString());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_corrupt_graph_file_is_reported_not_a_crash()
    {
        var path = Path.Combine(Path.GetTempPath(), $"cnnf-{Guid.NewGuid():N}.json");
        try
        {
            File.WriteAllText(path, LeNet.LeNet5().ToJson()[..200]);
            var (code, _, error) = Run("summary", path);
            Assert.Equal(CnnfApp.InputError, code);
            Assert.StartsWith($"cnnf: error: {path}: not a valid graph document", error);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Help_lists_the_summary_command()
    {
        var (code, output, _) = Run("--help");
        Assert.Equal(0, code);
        Assert.Contains("summary", output);
        var (summaryCode, summaryHelp, _) = Run("summary", "--help");
        Assert.Equal(0, summaryCode);
        Assert.Contains("--json", summaryHelp);
    }

    [Fact]
    public void List_names_the_zoo_models()
    {
        var (code, output, _) = Run("summary", "--list");
        Assert.Equal(0, code);
        Assert.Contains("lenet5", output);
    }
}
