using Cnn.Functional.Dsl;

namespace Cnn.Functional.Tests;

public class ZooTests
{
    public static TheoryData<string> Names() => new(ModelZoo.Names);

    [Theory]
    [MemberData(nameof(Names))]
    public void Every_zoo_model_builds_checks_and_summarises_at_its_native_size(string name)
    {
        var graph = ModelZoo.Get(name);
        Assert.Empty(graph.Validate());
        var summary = graph.Summarize();
        Assert.True(summary.Totals.Parameters > 0);
        Assert.Equal(graph, Graph.FromJson(graph.ToJson()));
        // The state dict the graph will lower to holds exactly the summary's parameters.
        var layout = StateDictLayout.Of(graph.Infer());
        Assert.Equal(summary.Totals.Parameters, layout.Where(t => t.Learnable).Sum(t => t.Elements));
        Assert.Equal(layout.Count, layout.Select(t => t.Name).Distinct().Count());
    }

    [Fact]
    public void Zoo_names_are_unique_and_lower_case()
    {
        Assert.Equal(ModelZoo.Names.Count, ModelZoo.Names.Distinct().Count());
        Assert.All(ModelZoo.Names, n => Assert.Equal(n.ToLowerInvariant(), n));
    }

    [Fact]
    public void An_unknown_name_lists_the_known_ones()
    {
        var error = Assert.Throws<GraphException>(() => ModelZoo.Get("lenet6"));
        Assert.Contains("lenet5", error.Message);
        Assert.Equal(LeNet.LeNet5(), ModelZoo.Get("LeNet-5"));
    }
}
