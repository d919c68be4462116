using Cnn.Functional.Properties;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Cnn.Functional.Tests.Properties;

/// <summary>The state-dict layout agrees with the summary: learned elements = parameters, kept ones = buffers.</summary>
public class StateDictProperties
{
    [Property(Arbitrary = new[] { typeof(Arbitraries) }, MaxTest = 300)]
    public Property Learned_elements_add_up_to_the_parameter_count(ValidGraph valid)
    {
        var inferred = valid.Graph.Infer();
        var layout = StateDictLayout.Of(inferred);
        var learned = layout.Where(t => t.Learnable).Sum(t => t.Elements);
        var kept = layout.Where(t => !t.Learnable && !t.Name.EndsWith(".num_batches_tracked", StringComparison.Ordinal)).Sum(t => t.Elements);
        var summary = valid.Graph.Summarize().Totals;
        return (learned == summary.Parameters && kept == summary.Buffers && layout.Select(t => t.Name).Distinct().Count() == layout.Count)
            .Label($"learned {learned} vs parameters {summary.Parameters}; kept {kept} vs buffers {summary.Buffers}");
    }
}

public class StateDictLayoutTests
{
    [Fact]
    public void LeNet5s_layout_has_pytorch_names_and_shapes()
    {
        var layout = Cnn.Functional.Dsl.LeNet.LeNet5().Infer();
        Assert.Equal(
            ["conv1.weight [6, 1, 5, 5]", "conv1.bias [6]", "conv2.weight [16, 6, 5, 5]", "conv2.bias [16]",
             "fc1.weight [120, 400]", "fc1.bias [120]", "fc2.weight [84, 120]", "fc2.bias [84]", "fc3.weight [10, 84]", "fc3.bias [10]"],
            StateDictLayout.Of(layout).Select(t => t.ToString()));
    }

    [Fact]
    public void Paths_become_dotted_module_names_and_batch_norm_keeps_its_statistics()
    {
        var graph = Graph.Create("g", Shape.Image(3, 8, 8))
            .Then("layer1/0/conv1", Layers.Conv(4, 3, padding: 1, bias: false, groups: 1))
            .Then("layer1/0/bn1", Layers.BatchNorm());
        Assert.Equal(
            ["layer1.0.conv1.weight [4, 3, 3, 3]", "layer1.0.bn1.weight [4]", "layer1.0.bn1.bias [4]",
             "layer1.0.bn1.running_mean [4] (buffer)", "layer1.0.bn1.running_var [4] (buffer)", "layer1.0.bn1.num_batches_tracked [] (buffer)"],
            StateDictLayout.Of(graph.Infer()).Select(t => t.ToString()));
    }
}
