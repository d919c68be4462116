using Cnn.Functional.Dsl;

namespace Cnn.Functional.Tests;

public class SummaryTests
{
    [Fact]
    public void LeNet5_totals_match_the_hand_computed_figures()
    {
        var t = LeNet.LeNet5().Summarize().Totals;
        Assert.Equal(61_706, t.Parameters);
        Assert.Equal(61_706, t.TrainableParameters);
        Assert.Equal(0, t.FrozenParameters);
        // conv1 28·28·6·25 = 117,600; conv2 10·10·16·150 = 240,000; fc 400·120 + 120·84 + 84·10 = 58,920.
        Assert.Equal(416_520, t.Macs);
        Assert.Equal(61_706L * 4, t.ParameterBytes);
    }

    [Fact]
    public void Inference_memory_keeps_only_live_activations_and_training_keeps_all()
    {
        var s = LeNet.LeNet5().Summarize(new SummaryOptions(BatchSize: 2, BytesPerValue: 4, OptimizerMoments: 2));
        var conv1 = s.Nodes.Single(n => n.Path == "conv1");
        var relu1 = s.Nodes.Single(n => n.Path == "relu1");
        // conv1's output: 6·28·28 values · 2 examples · 4 bytes.
        Assert.Equal(6 * 28 * 28 * 2 * 4, conv1.ActivationBytes);
        // While relu1 runs, conv1's output (its input) and its own output are alive; the input image is freed.
        Assert.Equal(2 * conv1.ActivationBytes, relu1.InferenceBytes);
        Assert.Equal(2 * conv1.ActivationBytes, s.Totals.InferencePeakActivationBytes);
        Assert.Equal(s.Totals.ParameterBytes + s.Totals.InferencePeakActivationBytes, s.Totals.InferenceBytes);
        // Training: every activation, plus weights, gradients and Adam's two moments: 4 copies of 61,706 floats.
        Assert.Equal(s.Nodes.Sum(n => n.ActivationBytes) + 61_706L * 4 * 4, s.Totals.TrainingBytes);
        // conv1 in training: its output plus its 156 parameters four times over.
        Assert.Equal(conv1.ActivationBytes + 156 * 4 * 4, conv1.TrainingBytes);
    }

    [Fact]
    public void An_activation_read_by_a_later_merge_stays_alive_until_then()
    {
        var g = Graph.Create("skip", Shape.Image(1, 4, 4))
            .Then("a", Layers.Relu())
            .Then("b", Layers.Relu())
            .Then("c", Layers.Relu())
            .AddNode("sum", Layers.Add(), "c", "input");
        var s = g.Summarize();
        var one = 16 * 4L;
        // While c runs: input (needed by sum), b (c's input) and c.
        Assert.Equal(3 * one, s.Nodes.Single(n => n.Path == "c").InferenceBytes);
        // While sum runs: input, c and sum.
        Assert.Equal(3 * one, s.Nodes.Single(n => n.Path == "sum").InferenceBytes);
    }

    [Fact]
    public void Frozen_nodes_count_as_frozen_and_need_no_gradients()
    {
        var s = LeNet.LeNet5().Freeze("conv1").Freeze("conv2").Summarize(new SummaryOptions(OptimizerMoments: 0));
        Assert.Equal(156 + 2_416, s.Totals.FrozenParameters);
        Assert.Equal(61_706 - 156 - 2_416, s.Totals.TrainableParameters);
        var conv1 = s.Nodes.Single(n => n.Path == "conv1");
        Assert.Equal(conv1.ActivationBytes + 156 * 4, conv1.TrainingBytes);
    }

    [Fact]
    public void The_table_shows_every_node_and_the_totals()
    {
        var table = LeNet.LeNet5().Summarize().ToTable();
        var lines = table.Split('\n');
        Assert.StartsWith("Model: lenet5    input [1, 28, 28]", lines[0]);
        Assert.Contains(lines, l => l.StartsWith("conv1    conv     [6, 28, 28]      156  117,600"));
        Assert.Contains(lines, l => l.StartsWith("fc1      dense    [120]         48,120   48,000"));
        Assert.Contains("Parameters: 61,706 (trainable 61,706, frozen 0)", table);
        Assert.Contains("MACs per example: 416,520", table);
    }

    [Fact]
    public void The_json_has_the_documented_fields()
    {
        using var doc = System.Text.Json.JsonDocument.Parse(LeNet.LeNet5().Summarize().ToJson());
        var root = doc.RootElement;
        Assert.Equal("lenet5", root.GetProperty("model").GetString());
        var nodes = root.GetProperty("nodes");
        Assert.Equal(13, nodes.GetArrayLength());
        var conv1 = nodes[1];
        Assert.Equal("conv1", conv1.GetProperty("path").GetString());
        Assert.Equal("conv", conv1.GetProperty("kind").GetString());
        Assert.Equal(new[] { 6, 28, 28 }, conv1.GetProperty("outputShape").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal(156, conv1.GetProperty("parameters").GetInt64());
        Assert.Equal(117_600, conv1.GetProperty("macs").GetInt64());
        Assert.Equal(new[] { 5.0, 5.0 }, conv1.GetProperty("receptiveField").EnumerateArray().Select(e => e.GetDouble()));
        var totals = root.GetProperty("totals");
        Assert.Equal(61_706, totals.GetProperty("parameters").GetInt64());
        Assert.Equal(61_706, totals.GetProperty("trainableParameters").GetInt64());
        Assert.Equal(416_520, totals.GetProperty("macs").GetInt64());
    }

    [Fact]
    public void Invalid_options_and_overflowing_memory_are_graph_errors()
    {
        Assert.Throws<GraphException>(() => LeNet.LeNet5().Summarize(new SummaryOptions(BatchSize: 0)));
        var huge = Graph.Create("huge", Shape.Image(1_000_000, 1_000_000, 1_000));
        var error = Assert.Throws<GraphException>(() => huge.Summarize(new SummaryOptions(BatchSize: int.MaxValue)));
        Assert.Contains("overflows", error.Message);
    }

    [Fact]
    public void The_graph_project_depends_on_no_tensor_library()
    {
        var references = typeof(Graph).Assembly.GetReferencedAssemblies().Select(a => a.Name ?? "").ToList();
        Assert.DoesNotContain(references, r => r.Contains("Torch", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(references, r => r.StartsWith("Microsoft.ML", StringComparison.Ordinal));
        Assert.DoesNotContain(references, r => r.Contains("Plotly", StringComparison.Ordinal));
    }
}
