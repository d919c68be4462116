namespace Cnn.Functional.Tests;

/// <summary><see cref="Graph.Freeze(string)"/>: frozen nodes' parameters count as frozen, not trainable, in the summary.</summary>
public class FreezeTests
{
    // features/conv1: 8·3·3·3 + 8 = 216 + 8 = 224        (on [3, 8, 8], same padding → [8, 8, 8])
    // features/conv2: 16·8·3·3 + 16 = 1,152 + 16 = 1,168 (→ [16, 8, 8])
    // features2/bn:   2·16 = 32 (and 32 buffers)
    // classifier/fc:  16·10 + 10 = 170                    (after global pooling → [16])
    // total:          224 + 1,168 + 32 + 170 = 1,594
    private static Graph Net() =>
        Graph.Create("net", Shape.Image(3, 8, 8))
            .Then("features/conv1", Layers.Conv(8, 3, padding: 1))
            .Then("features/conv2", Layers.Conv(16, 3, padding: 1))
            .Then("features2/bn", Layers.BatchNorm())
            .Then("classifier/pool", Layers.GlobalAvgPool())
            .Then("classifier/fc", Layers.Dense(10));

    [Fact]
    public void Nothing_is_frozen_by_default()
    {
        var totals = Net().Summarize().Totals;

        Assert.Equal(1_594, totals.Parameters);
        Assert.Equal(1_594, totals.TrainableParameters);
        Assert.Equal(0, totals.FrozenParameters);
        Assert.Equal(32, totals.Buffers);
    }

    [Fact]
    public void Freezing_a_prefix_freezes_the_nodes_under_it_only()
    {
        var summary = Net().Freeze("features").Summarize();

        // frozen: 224 + 1,168 = 1,392; trainable: 32 + 170 = 202 ("features2" is not under "features")
        Assert.Equal(1_392, summary.Totals.FrozenParameters);
        Assert.Equal(202, summary.Totals.TrainableParameters);
        Assert.Equal(1_594, summary.Totals.Parameters);

        var conv1 = summary.Nodes.Single(n => n.Path == "features/conv1");
        Assert.Equal(224, conv1.FrozenParameters);
        Assert.Equal(0, conv1.TrainableParameters);
        var bn = summary.Nodes.Single(n => n.Path == "features2/bn");
        Assert.Equal(32, bn.TrainableParameters);
        Assert.Equal(0, bn.FrozenParameters);
    }

    [Fact]
    public void Freezing_a_single_node_by_its_full_path()
    {
        var totals = Net().Freeze("classifier/fc").Summarize().Totals;

        Assert.Equal(170, totals.FrozenParameters);
        Assert.Equal(1_424, totals.TrainableParameters);
    }

    [Fact]
    public void Freezing_by_predicate()
    {
        var graph = Net().Freeze(node => node.Layer is Conv);

        Assert.Equal(["features/conv1", "features/conv2"], graph.Nodes.Where(n => !n.Trainable).Select(n => n.Path));
        Assert.Equal(1_392, graph.Summarize().Totals.FrozenParameters);
    }

    [Fact]
    public void Unfreezing_part_of_a_frozen_prefix()
    {
        var totals = Net().Freeze("features").Unfreeze("features/conv2").Summarize().Totals;

        Assert.Equal(224, totals.FrozenParameters);
        Assert.Equal(1_370, totals.TrainableParameters);
    }

    [Fact]
    public void Frozen_parameters_need_no_gradient_or_optimiser_memory()
    {
        var options = new SummaryOptions(BatchSize: 1, BytesPerValue: 4, OptimizerMoments: 1);
        var trained = Net().Summarize(options).Nodes.Single(n => n.Path == "classifier/fc");
        var frozen = Net().Freeze("classifier").Summarize(options).Nodes.Single(n => n.Path == "classifier/fc");

        // trained: output 10 + weights 170 + gradients 170 + momentum 170 = 520 values · 4 bytes = 2,080
        Assert.Equal(2_080, trained.TrainingBytes);
        // frozen: output 10 + weights 170 = 180 values · 4 bytes = 720
        Assert.Equal(720, frozen.TrainingBytes);
    }

    [Fact]
    public void Freezing_a_prefix_that_matches_nothing_is_an_error()
    {
        var exception = Assert.Throws<GraphException>(() => Net().Freeze("feat"));

        Assert.Equal("feat: no node is at or under 'feat'", Assert.Single(exception.Errors).ToString());
    }
}
