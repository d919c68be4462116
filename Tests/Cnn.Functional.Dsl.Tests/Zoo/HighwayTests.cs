using Cnn.Functional.Dsl;

namespace Cnn.Functional.Tests;

public class HighwayTests
{
    [Fact]
    public void The_mnist_highway_network_counts_by_hand()
    {
        var graph = Highway.HighwayMlp();
        // plain 784·50 + 50 = 39,250; 9 highway layers of 2·(50·50 + 50) = 5,100; output 50·10 + 10 = 510.
        Assert.Equal(39_250 + 9 * 5_100 + 510, graph.Summarize().Totals.Parameters);
        Assert.Equal(85_660, ModelZoo.Get("highway").Summarize().Totals.Parameters);
        Assert.Equal(Shape.Vector(10), graph.Infer().Output);
    }

    [Fact]
    public void Each_highway_layer_gates_its_transform_against_its_input_with_a_sigmoid()
    {
        var graph = Highway.HighwayMlp();
        Assert.Equal(9, graph.Nodes.Count(n => n.Layer is HighwayGate));
        Assert.Equal(["highway2/transform/relu", "highway2/gate/sigmoid", "highway1/highway"], graph.Find("highway2/highway").Inputs);
        Assert.Equal(["plain/relu"], graph.Find("highway1/gate/fc").Inputs);
        Assert.Equal(Layers.Sigmoid(), graph.Find("highway9/gate/sigmoid").Layer);
        Assert.Equal(["highway9/highway"], graph.Find("fc").Inputs);
    }

    [Fact]
    public void Depth_and_width_are_the_papers_knobs()
    {
        // Depth counts the plain layer: depth 100 has 99 highway layers.
        var deep = Highway.HighwayMlp(depth: 100);
        Assert.Equal(99, deep.Nodes.Count(n => n.Layer is HighwayGate));
        Assert.Equal(39_250 + 99 * 5_100 + 510, deep.Summarize().Totals.Parameters);
        // Width 71 (the plain networks' width): 784·71 + 71 + 9·2·(71·71 + 71) + 71·10 + 10.
        Assert.Equal(55_735 + 9 * 10_224 + 720, Highway.HighwayMlp(width: 71).Summarize().Totals.Parameters);
    }
}
