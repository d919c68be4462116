namespace Cnn.Functional.Tests;

public class LeNetLayersTests
{
    [Fact]
    public void C3s_connection_table_has_60_connections_and_1516_parameters()
    {
        var info = OneLayer.Info(Shape.Image(6, 14, 14), Layers.PartialConv(PartialConv.LeNetC3.Select(r => r.AsEnumerable()), 5));

        // (14 − 5)/1 + 1 = 10; 16 maps.
        Assert.Equal(Shape.Image(16, 10, 10), info.Output);
        // 6 maps read 3 inputs, 9 read 4, 1 reads 6: 18 + 36 + 6 = 60 connections · 25 + 16 biases = 1,516.
        Assert.Equal(1_516, info.Parameters);
        // 60 · 25 · 10 · 10 = 150,000
        Assert.Equal(150_000, info.Macs);
    }

    [Fact]
    public void A_connection_to_a_missing_channel_is_refused()
    {
        Assert.Equal(
            "layer: filter 1 reads input channel 3, but the input [3, 8, 8] has channels 0 to 2",
            OneLayer.Error(Shape.Image(3, 8, 8), Layers.PartialConv([[0, 1], [1, 3]], 3)));
    }

    [Fact]
    public void Trainable_subsampling_has_a_coefficient_and_a_bias_per_channel()
    {
        var info = OneLayer.Info(Shape.Image(6, 28, 28), Layers.Subsampling(2));

        Assert.Equal(Shape.Image(6, 14, 14), info.Output);
        // S2: 2 · 6 = 12
        Assert.Equal(12, info.Parameters);
    }

    [Fact]
    public void The_rbf_output_holds_fixed_prototypes_not_parameters()
    {
        var info = OneLayer.Info(Shape.Vector(84), Layers.RbfOutput(10));

        Assert.Equal(Shape.Vector(10), info.Output);
        Assert.Equal(0, info.Parameters);
        // 84 · 10 = 840 fixed prototype values
        Assert.Equal(840, info.Buffers);
    }

    [Fact]
    public void A_partial_conv_round_trips_through_json()
    {
        var graph = Graph.Create("c3", Shape.Image(6, 14, 14))
            .Then("c3", Layers.PartialConv(PartialConv.LeNetC3.Select(r => r.AsEnumerable()), 5));
        Assert.Equal(graph, Graph.FromJson(graph.ToJson()));
    }
}

public class BinaryAndDiracLayersTests
{
    [Fact]
    public void Binary_convolutions_count_like_real_ones()
    {
        var xnor = OneLayer.Info(Shape.Image(96, 27, 27), Layers.BinaryConv(256, 5, padding: 2, groups: 2, mode: Binarization.WeightsAndInputs));
        // AlexNet conv2: 256 · 48 · 25 + 256 = 307,456
        Assert.Equal(307_456, xnor.Parameters);
        Assert.Equal(Shape.Image(256, 27, 27), xnor.Output);
        Assert.Equal("xnorConv", Layers.BinaryConv(1, 1, mode: Binarization.WeightsAndInputs).Kind);
        Assert.Equal("binaryWeightConv", Layers.BinaryConv(1, 1).Kind);
    }

    [Fact]
    public void A_binary_dense_layer_counts_like_a_dense_one_and_needs_a_flat_input()
    {
        Assert.Equal(9216L * 4096 + 4096, OneLayer.Info(Shape.Vector(9216), Layers.BinaryDense(4096)).Parameters);
        Assert.StartsWith("layer: a fully connected layer expects a flat input", OneLayer.Error(Shape.Image(1, 2, 2), Layers.BinaryDense(3)));
    }

    [Fact]
    public void A_dirac_convolution_adds_two_scalars_per_filter()
    {
        var info = OneLayer.Info(Shape.Image(16, 32, 32), Layers.DiracConv(16, 3, padding: 1));
        // 16 · 16 · 9 + 16 (bias) + 2 · 16 (a, b) = 2,352
        Assert.Equal(2_352, info.Parameters);
        Assert.Equal(Shape.Image(16, 32, 32), info.Output);
    }

    [Fact]
    public void A_dirac_convolution_may_widen_as_the_first_layer_of_a_diracnet_group_does()
    {
        // DiracNet-18's group1/block0: 64 → 128 channels, no bias: 128 · 64 · 9 + 2 · 128 (a, b) = 73,984
        var info = OneLayer.Info(Shape.Image(64, 28, 28), Layers.DiracConv(128, 3, padding: 1, bias: false));
        Assert.Equal(73_984, info.Parameters);
        Assert.Equal(Shape.Image(128, 28, 28), info.Output);
        Assert.StartsWith("layer: filters must be at least 1; got 0", OneLayer.Error(Shape.Image(16, 8, 8), Layers.DiracConv(0, 3, padding: 1)));
    }

    [Fact]
    public void A_weighted_sum_learns_one_weight_per_input()
    {
        var graph = Graph.Create("ws", Shape.Image(8, 4, 4))
            .Then("a", Layers.Relu())
            .AddNode("b", Layers.Sigmoid(), "input")
            .AddNode("sum", Layers.WeightedSum(), "a", "b", "input");
        var node = graph.Infer()["sum"];
        Assert.Equal(3, node.Info.Parameters);
        Assert.Equal(Shape.Image(8, 4, 4), node.OutputShape);
    }
}
