using Cnn.Functional.Dsl;
using Cnn.Functional.Torch;
using static TorchSharp.torch;

namespace Cnn.Functional.Tests.Explain;

public class ReceptiveFieldTests
{
    [Fact]
    public void LeNet5s_conv2_units_see_14_pixels_starting_two_before_the_image()
    {
        // conv1 pads 2 (starts at −2, 5 wide); pool1 doubles the jump (6 wide); conv2's 5×5 adds 4 jumps of 2: 14.
        var graph = LeNet.LeNet5().Infer();
        Assert.Equal(new Region(-2, -2, 14, 14), ReceptiveFields.Of(graph, "conv2", 0, 0));
        Assert.Equal(new Region(-2 + 2 * 3, -2 + 2 * 9, 14, 14), ReceptiveFields.Of(graph, "conv2", 3, 9));
        Assert.Equal(new Region(0, 0, 28, 28), ReceptiveFields.Of(graph, "fc1", 0, 0));
    }

    [Fact]
    public void The_placed_field_is_exactly_where_the_gradient_reaches_in_a_linear_net()
    {
        // No ReLU and average pooling: every pixel of the field reaches the unit, none outside does.
        var graph = Graph.Create("linear", Shape.Image(1, 20, 20))
            .Then("conv1", Layers.Conv(3, 3, padding: 1))
            .Then("pool", Layers.AvgPool(2))
            .Then("conv2", Layers.Conv(3, 3, dilation: 2))
            .Then("flatten", Layers.Flatten()).Then("fc", Layers.Dense(2));
        manual_seed(1);
        using var module = GraphModule.Create(graph);
        foreach (var (row, column) in new[] { (0, 0), (2, 3), (5, 5) })
        {
            var field = ReceptiveFields.Of(module.Graph, "conv2", row, column).Clip(20, 20);
            var measured = ReceptiveFields.Measure(module, "conv2", 1, row, column);
            for (var r = 0; r < 20; r++)
                for (var c = 0; c < 20; c++)
                    Assert.True(field.Contains(r, c) == measured[r, c] > 0, $"unit ({row}, {column}), pixel ({r}, {c}): field {field}, gradient {measured[r, c]}");
        }
    }

    [Fact]
    public void Dilated_stacks_grow_exponentially_and_plain_ones_linearly()
    {
        // Yu & Koltun 2016, Fig. 1: 3×3 convolutions with dilations 1, 2, 4 see 3, 7, 15 pixels.
        Graph Stack(params int[] dilations) => dilations.Select((d, i) => (d, i))
            .Aggregate(Graph.Create("stack", Shape.Image(1, 64, 64)), (g, x) => g.Then($"conv{x.i + 1}", Layers.Conv(1, 3, padding: x.d, dilation: x.d)));
        Assert.Equal([1.0, 3, 7, 15, 31], ReceptiveFields.Growth(Stack(1, 2, 4, 8)).Select(f => f.Size));
        Assert.Equal([1.0, 3, 5, 7, 9], ReceptiveFields.Growth(Stack(1, 1, 1, 1)).Select(f => f.Size));
    }

    [Fact]
    public void A_position_outside_the_map_or_an_unknown_node_is_refused()
    {
        var graph = LeNet.LeNet5().Infer();
        Assert.Throws<ArgumentOutOfRangeException>(() => ReceptiveFields.Of(graph, "conv2", 10, 0));
        Assert.Contains("no node has the path 'conv9'", Assert.Throws<GraphException>(() => ReceptiveFields.Of(graph, "conv9", 0, 0)).Message);
    }
}
