using Cnn.Functional.Dsl;

namespace Cnn.Functional.Tests;

/// <summary>LeNet-5 as published (LeCun et al., 1998): 60,000 trainable parameters, each layer worked out by hand.</summary>
public class LeNetTests
{
    public static TheoryData<string, Shape, long> LayerRows => new()
    {
        // path      output shape               parameters
        // (32 − 5)/1 + 1 = 28; 6·1·25 + 6 = 156
        { "c1",     Shape.Image(6, 28, 28),    156 },
        // a coefficient and a bias per map: 2·6
        { "s2",     Shape.Image(6, 14, 14),    12 },
        // Table I: 6 maps read 3 inputs, 9 read 4, 1 reads 6: 18 + 36 + 6 = 60 connections; 60·25 + 16 = 1,516
        { "c3",     Shape.Image(16, 10, 10),   1_516 },
        { "s4",     Shape.Image(16, 5, 5),     32 },
        // (5 − 5)/1 + 1 = 1; 120·16·25 + 120 = 48,120
        { "c5",     Shape.Image(120, 1, 1),    48_120 },
        { "flatten", Shape.Vector(120),        0 },
        // 120·84 + 84 = 10,164
        { "f6",     Shape.Vector(84),          10_164 },
        // fixed prototypes: buffers, not parameters
        { "output", Shape.Vector(10),          0 },
    };

    [Theory]
    [MemberData(nameof(LayerRows))]
    public void Each_layer_has_the_papers_shape_and_parameters(string path, Shape shape, long parameters)
    {
        var node = LeNet.LeNet5Original().Infer()[path];

        Assert.Equal(shape, node.OutputShape);
        Assert.Equal(parameters, node.Info.Parameters);
    }

    [Fact]
    public void LeNet5_of_1998_has_exactly_60000_trainable_parameters_and_840_fixed_prototype_values()
    {
        var totals = ModelZoo.Get("lenet5_1998").Summarize().Totals;

        // 156 + 12 + 1,516 + 32 + 48,120 + 10,164 = 60,000 (the paper: "60,000 trainable parameters")
        Assert.Equal(60_000, totals.Parameters);
        Assert.Equal(60_000, totals.TrainableParameters);
        // 10 RBF units, each with an 84-value prototype (the 7×12 bitmaps)
        Assert.Equal(840, totals.Buffers);
    }

    [Fact]
    public void C3_uses_the_papers_connection_table_and_the_input_is_32x32()
    {
        var graph = LeNet.LeNet5Original();

        var c3 = Assert.IsType<PartialConv>(graph.Find("c3").Layer);
        Assert.Equal(PartialConv.LeNetC3, c3.Connections);
        Assert.Equal(Shape.Image(1, 32, 32), graph.Infer()["input"].OutputShape);
        Assert.IsType<RbfOutput>(graph.Find("output").Layer);
    }

    [Theory]
    [InlineData("c1")]
    [InlineData("s2")]
    [InlineData("c3")]
    [InlineData("s4")]
    [InlineData("c5")]
    [InlineData("f6")]
    public void Every_hidden_layer_is_followed_by_the_scaled_tanh(string path)
    {
        var graph = LeNet.LeNet5Original();

        var next = graph.Nodes.Single(n => n.Inputs.Contains(path));
        Assert.Equal(new Activation(ActivationFunction.ScaledTanh, 0), next.Layer);
        Assert.Equal($"{path}_tanh", next.Path);
    }

    [Fact]
    public void The_modern_lenet5_is_unchanged()
    {
        Assert.Equal(61_706, ModelZoo.Get("lenet5").Infer().Parameters);
        Assert.Equal(Shape.Image(1, 28, 28), ModelZoo.Get("lenet5").Infer()["input"].OutputShape);
    }
}
