using Cnn.Functional.Dsl;

namespace Cnn.Functional.Tests;

public class SimpNetTests
{
    // A 3×3 convolution with bias followed by batch norm's γ and β: 9·in·out + out + 2·out.
    private static long Unit(int input, int output) => 9L * input * output + 3L * output;

    private static long HandCount(int[] widths, int classes = 10)
    {
        long total = 0;
        var input = 3;
        foreach (var w in widths)
        {
            total += Unit(input, w);
            input = w;
        }
        return total + (long)input * classes + classes;
    }

    [Fact]
    public void The_5m_simpnet_has_the_prototxts_widths_and_5_48_million_parameters()
    {
        var g = SimpNet.Cifar10().Infer();
        // 1,980 + 76,416 + 2·147,840 + 221,760 + 4·332,352 + 498,528 + 747,360 + 921,225 + 1,381,536 + 4,330 (ip1).
        Assert.Equal(5_478_223, HandCount([66, 128, 128, 128, 192, 192, 192, 192, 192, 288, 288, 355, 432]));
        Assert.Equal(5_478_223, g.Parameters);
        Assert.Equal(13, g.Nodes.Count(n => n.Node.Layer is Conv));
        Assert.Equal(Shape.Vector(10), g.Output);
    }

    [Fact]
    public void The_8_9m_simpnet_has_8_9_million_parameters()
    {
        Assert.Equal(8_902_729, HandCount([128, 182, 182, 182, 182, 182, 182, 182, 182, 430, 430, 455, 600]));
        Assert.Equal(8_902_729, SimpNet.Cifar10Wide().Infer().Parameters);
    }

    [Fact]
    public void Saf_pooling_is_max_pooling_then_dropout_and_pooling_is_delayed()
    {
        var graph = SimpNet.Cifar10();
        var g = graph.Infer();
        Assert.Equal(["pool2_1"], graph.Find("drop5").Inputs);
        Assert.Equal(["relu2_2"], graph.Find("pool2_1").Inputs);
        Assert.Equal(0.3, Assert.IsType<Dropout>(graph.Find("drop9").Layer).Rate);
        // Five convolutions at 32×32 before the first pooling, five more at 16×16, three at 8×8.
        Assert.Equal(Shape.Image(192, 32, 32), g["conv2_2"].OutputShape);
        Assert.Equal(Shape.Image(192, 16, 16), g["pool2_1"].OutputShape);
        Assert.Equal(Shape.Image(288, 8, 8), g["pool4_2"].OutputShape);
        Assert.Equal(Shape.Image(432, 8, 8), g["relu_conv12"].OutputShape);
        Assert.Equal(Shape.Vector(432), g["poolcp6"].OutputShape);
        Assert.IsType<BatchNorm>(graph.Find("bn_conv11").Layer);
        Assert.IsType<BatchNorm>(graph.Find("bn1_0").Layer);
        Assert.Equal(["drop12"], graph.Find("ip1").Inputs);
    }
}
