using Cnn.Functional.Dsl;

namespace Cnn.Functional.Tests;

public class SmallVggTests
{
    [Fact]
    public void The_small_VGG_keeps_28_then_halves_twice_and_has_the_hand_counted_parameters()
    {
        var graph = ModelZoo.Get("vgg_small").Infer();

        Assert.Equal(Shape.Image(32, 28, 28), graph["conv2"].OutputShape);
        Assert.Equal(Shape.Image(64, 7, 7), graph["pool2"].OutputShape);
        Assert.Equal(Shape.Vector(3_136), graph["flatten"].OutputShape);
        Assert.Equal(Shape.Vector(10), graph["fc2"].OutputShape);
        Assert.Equal(18_691_840, graph.Graph.Summarize().Totals.Macs);
        Assert.Equal(320 + 9_248 + 18_496 + 36_928 + 401_536 + 1_290, graph.Graph.Summarize().Totals.Parameters);
    }
}
