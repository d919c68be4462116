namespace Cnn.Functional.Tests;

/// <summary>
/// Receptive fields from <see cref="Graph.Summarize"/>: r' = r + (k − 1)·j and j' = j·s for a window of effective
/// size k = D(F − 1) + 1 and stride s, worked out by hand for each layer.
/// </summary>
public class ReceptiveFieldTests
{
    private static ReceptiveField Field(Graph graph, string path) => graph.Summarize().Nodes.Single(n => n.Path == path).ReceptiveField;

    private static void AssertField(double size, double jump, ReceptiveField field)
    {
        Assert.All(field.Size, s => Assert.Equal(size, s));
        Assert.All(field.Jump, j => Assert.Equal(jump, j));
        Assert.NotEmpty(field.Size);
    }

    [Fact]
    public void Dilated_3x3_convolutions_with_dilations_1_2_4_see_3_7_15_pixels()
    {
        var graph = Graph.Create("dilated", Shape.Image(1, 64, 64))
            .Then("f1", Layers.DilatedConv(8, 3, dilation: 1, padding: Padding.Same))
            .Then("f2", Layers.DilatedConv(8, 3, dilation: 2, padding: Padding.Same))
            .Then("f3", Layers.DilatedConv(8, 3, dilation: 4, padding: Padding.Same));
        var summary = graph.Summarize();

        // k = 1·2 + 1 = 3: r = 1 + 2·1 = 3
        AssertField(3, 1, summary.Nodes.Single(n => n.Path == "f1").ReceptiveField);
        // k = 2·2 + 1 = 5: r = 3 + 4·1 = 7
        AssertField(7, 1, summary.Nodes.Single(n => n.Path == "f2").ReceptiveField);
        // k = 4·2 + 1 = 9: r = 7 + 8·1 = 15
        AssertField(15, 1, summary.Nodes.Single(n => n.Path == "f3").ReceptiveField);
        // the parameters stay the same: 8·1·9 + 8 = 80, then 8·8·9 + 8 = 584 twice
        Assert.Equal([0L, 80L, 584L, 584L], summary.Nodes.Select(n => n.Parameters));
    }

    [Fact]
    public void Three_stacked_3x3_convolutions_see_as_far_as_one_7x7()
    {
        var graph = Graph.Create("vgg", Shape.Image(3, 32, 32))
            .Then("c1", Layers.Conv(8, 3, padding: 1))
            .Then("c2", Layers.Conv(8, 3, padding: 1))
            .Then("c3", Layers.Conv(8, 3, padding: 1))
            .AddNode("big", Layers.Conv(8, 7, padding: 3), "input");

        // 1 + 2 = 3, 3 + 2 = 5, 5 + 2 = 7
        AssertField(5, 1, Field(graph, "c2"));
        AssertField(7, 1, Field(graph, "c3"));
        // 1 + 6 = 7
        AssertField(7, 1, Field(graph, "big"));
    }

    [Fact]
    public void A_stride_multiplies_the_jump_of_the_layers_after_it()
    {
        var graph = Graph.Create("strided", Shape.Image(3, 33, 33))
            .Then("c1", Layers.Conv(8, 3, stride: 2))
            .Then("c2", Layers.Conv(8, 3));

        // c1: r = 1 + 2·1 = 3, j = 1·2 = 2; c2: r = 3 + 2·2 = 7, j = 2
        AssertField(3, 2, Field(graph, "c1"));
        AssertField(7, 2, Field(graph, "c2"));
    }

    [Fact]
    public void AlexNets_first_conv_and_pool_see_11_then_19_pixels()
    {
        var graph = Graph.Create("alexnet", Shape.Image(3, 227, 227))
            .Then("conv1", Layers.Conv(96, 11, stride: 4))
            .Then("pool1", Layers.OverlappingMaxPool());

        // conv1: 1 + 10·1 = 11, j = 4; pool1: 11 + 2·4 = 19, j = 4·2 = 8
        AssertField(11, 4, Field(graph, "conv1"));
        AssertField(19, 8, Field(graph, "pool1"));
    }

    [Fact]
    public void A_transposed_convolution_divides_the_jump_by_its_stride()
    {
        var graph = Graph.Create("updown", Shape.Image(3, 33, 33))
            .Then("up", Layers.ConvTranspose(8, 3, stride: 2))
            .AddNode("down", Layers.Conv(8, 3, stride: 2), "input")
            .Then("downup", Layers.ConvTranspose(8, 3, stride: 2));

        // up: r = 1 + (⌈3/2⌉ − 1)·1 = 2, j = 1/2
        AssertField(2, 0.5, Field(graph, "up"));
        // down: 3, j = 2; downup: 3 + (⌈3/2⌉ − 1)·2 = 5, j = 2/2 = 1
        AssertField(5, 1, Field(graph, "downup"));
    }

    [Fact]
    public void A_merge_takes_the_largest_field_of_its_inputs()
    {
        var graph = Graph.Create("inception", Shape.Image(3, 16, 16))
            .AddNode("b1", Layers.Conv(4, 1), "input")
            .AddNode("b3", Layers.Conv(4, 3, padding: 1), "input")
            .AddNode("b5", Layers.Conv(4, 5, padding: 2), "input")
            .AddNode("cat", Layers.Concat(), "b1", "b3", "b5");

        // 1, 3 and 5: the concatenation sees 5
        AssertField(1, 1, Field(graph, "b1"));
        AssertField(5, 1, Field(graph, "cat"));
    }

    [Fact]
    public void Global_pooling_spans_the_whole_feature_map()
    {
        var graph = Graph.Create("gap", Shape.Image(3, 8, 8))
            .Then("conv", Layers.Conv(4, 3, padding: 1))
            .Then("gap", Layers.GlobalAvgPool())
            .Then("fc", Layers.Dense(2));

        // conv: 3; the pool reads all 8 positions: 3 + (8 − 1)·1 = 10, j = 1·8 = 8; dense keeps it
        AssertField(10, 8, Field(graph, "gap"));
        AssertField(10, 8, Field(graph, "fc"));
    }

    [Fact]
    public void Adaptive_pooling_13_to_6_uses_its_largest_window_of_3()
    {
        var graph = Graph.Create("adaptive", Shape.Image(256, 13, 13)).Then("pool", Layers.AdaptiveAvgPool(6));

        // windows ⌊i·13/6⌋ … ⌈(i + 1)·13/6⌉ − 1: [0,2] [2,4] [4,6] [6,8] [8,10] [10,12], all 3 wide, 2 apart
        // r = 1 + (3 − 1)·1 = 3, j = 2
        AssertField(3, 2, Field(graph, "pool"));
    }

    [Fact]
    public void Adaptive_pooling_with_uneven_windows_uses_the_widest()
    {
        var graph = Graph.Create("adaptive", Shape.Image(1, 5, 5)).Then("pool", Layers.AdaptiveMaxPool(3));

        // windows [0,1] [1,3] [3,4]: the widest is 3, r = 1 + 2·1 = 3; starts advance ⌊5/3⌋ = 1
        AssertField(3, 1, Field(graph, "pool"));
    }

    [Fact]
    public void Adaptive_pooling_that_upsamples_reads_one_pixel_per_output()
    {
        var graph = Graph.Create("adaptive", Shape.Image(1, 3, 3)).Then("pool", Layers.AdaptiveAvgPool(6));

        // windows ⌊i/2⌋ … ⌈(i + 1)/2⌉ − 1 are single pixels: r = 1
        AssertField(1, 1, Field(graph, "pool"));
    }

    [Fact]
    public void Fields_are_kept_per_dimension_and_formatted()
    {
        var graph = Graph.Create("rect", Shape.Image(1, 16, 16)).Then("conv", Layers.Conv(1, Size.Of(3, 1)));
        var field = Field(graph, "conv");

        // H: 1 + 2 = 3; W: 1 + 0 = 1
        Assert.Equal([3.0, 1.0], field.Size);
        Assert.Equal("3×1 (jump 1)", field.ToString());
    }

    [Fact]
    public void A_graph_with_a_flat_input_has_no_spatial_field()
    {
        var field = Field(Graph.Create("mlp", Shape.Vector(10)).Then("fc", Layers.Dense(5)), "fc");

        Assert.Equal(ReceptiveField.None, field);
        Assert.Equal("- (jump -)", field.ToString());
    }
}
