using Cnn.Functional.Dsl;

namespace Cnn.Functional.Tests;

public class ChainTests
{
    private static Chain LeNetChain() =>
        Chain.Input(1, 28, 28)
            .Conv(6, 5, padding: 2).Relu().MaxPool(2)
            .Conv(16, 5).Relu().MaxPool(2)
            .Flatten().Dense(120).Relu().Dense(84).Relu().Dense(10);

    [Fact]
    public void A_chain_names_layers_by_kind_and_counter()
    {
        var graph = LeNetChain().ToGraph("lenet");
        Assert.Equal(
            ["input", "conv1", "relu1", "maxPool1", "conv2", "relu2", "maxPool2", "flatten1", "dense1", "relu3", "dense2", "relu4", "dense3"],
            graph.Nodes.Select(n => n.Path));
        Assert.Equal(61_706, graph.Summarize().Totals.Parameters);
    }

    [Fact]
    public void Every_call_returns_a_new_chain_and_equal_chains_give_equal_graphs()
    {
        var start = Chain.Input(1, 28, 28);
        var withConv = start.Conv(6, 5);
        Assert.Empty(start.Blocks);
        Assert.Single(withConv.Blocks);
        Assert.Equal(LeNetChain(), LeNetChain());
        Assert.Equal(LeNetChain().ToGraph("a"), LeNetChain().ToGraph("a"));
    }

    [Fact]
    public void Named_renames_the_last_layer()
    {
        var graph = Chain.Input(1, 8, 8).Conv(2, 3).Named("stem").Relu().ToGraph("g");
        Assert.Equal(["input", "stem", "relu1"], graph.Nodes.Select(n => n.Path));
    }

    [Fact]
    public void A_shape_mistake_is_reported_when_the_graph_is_built()
    {
        var error = Assert.Throws<GraphException>(() => Chain.Input(3, 32, 32).Conv(8, 5, stride: 2).ToGraph("bad"));
        Assert.StartsWith("conv1: (32 − 5 + 2·0)/2 + 1 = 14.5 is not an integer", error.Message);
    }
}
