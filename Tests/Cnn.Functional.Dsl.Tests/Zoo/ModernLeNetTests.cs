using Cnn.Functional.Dsl;

namespace Cnn.Functional.Tests;

/// <summary>LeNet-5 from the zoo: 61,706 parameters and the per-layer shapes, each worked out by hand.</summary>
public class ModernLeNetTests
{
    public static TheoryData<string, Shape, long, long> LayerRows => new()
    {
        // path       output shape                 parameters                           MACs
        { "input",   Shape.Image(1, 28, 28), 0, 0 },
        // (28 − 5 + 2·2)/1 + 1 = 28; 6·1·5·5 + 6 = 156; 28·28·6·25 = 117,600
        { "conv1",   Shape.Image(6, 28, 28), 156, 117_600 },
        { "relu1",   Shape.Image(6, 28, 28), 0, 0 },
        // (28 − 2)/2 + 1 = 14
        { "pool1",   Shape.Image(6, 14, 14), 0, 0 },
        // (14 − 5)/1 + 1 = 10; 16·6·5·5 + 16 = 2,400 + 16 = 2,416; 10·10·2,400 = 240,000
        { "conv2",   Shape.Image(16, 10, 10), 2_416, 240_000 },
        { "relu2",   Shape.Image(16, 10, 10), 0, 0 },
        // (10 − 2)/2 + 1 = 5
        { "pool2",   Shape.Image(16, 5, 5), 0, 0 },
        // 16·5·5 = 400
        { "flatten", Shape.Vector(400), 0, 0 },
        // 400·120 + 120 = 48,120; 400·120 = 48,000
        { "fc1",     Shape.Vector(120), 48_120, 48_000 },
        { "relu3",   Shape.Vector(120), 0, 0 },
        // 120·84 + 84 = 10,080 + 84 = 10,164; 10,080
        { "fc2",     Shape.Vector(84), 10_164, 10_080 },
        { "relu4",   Shape.Vector(84), 0, 0 },
        // 84·10 + 10 = 850; 840
        { "fc3",     Shape.Vector(10), 850, 840 },
    };

    [Theory]
    [MemberData(nameof(LayerRows))]
    public void Each_layer_has_the_hand_computed_shape_parameters_and_macs(string path, Shape shape, long parameters, long macs)
    {
        var node = LeNet.LeNet5().Summarize().Nodes.Single(n => n.Path == path);

        Assert.Equal(shape, node.OutputShape);
        Assert.Equal(parameters, node.Parameters);
        Assert.Equal(macs, node.Macs);
    }

    [Fact]
    public void LeNet5_has_61706_parameters()
    {
        var summary = LeNet.LeNet5().Summarize();

        // 156 + 2,416 + 48,120 + 10,164 + 850 = 61,706
        Assert.Equal(61_706, summary.Totals.Parameters);
        Assert.Equal(61_706, summary.Totals.TrainableParameters);
        Assert.Equal(61_706, LeNet.LeNet5().Infer().Parameters);
        // 117,600 + 240,000 + 48,000 + 10,080 + 840 = 416,520
        Assert.Equal(416_520, summary.Totals.Macs);
    }

    [Fact]
    public void The_shapes_run_from_6x28x28_to_10()
    {
        var shapes = LeNet.LeNet5().Infer().Nodes.Select(n => n.OutputShape).Distinct().ToArray();

        Assert.Equal(
            [Shape.Image(1, 28, 28), Shape.Image(6, 28, 28), Shape.Image(6, 14, 14), Shape.Image(16, 10, 10), Shape.Image(16, 5, 5),
             Shape.Vector(400), Shape.Vector(120), Shape.Vector(84), Shape.Vector(10)],
            shapes);
        Assert.Equal(Shape.Vector(10), LeNet.LeNet5().Infer().Output);
    }

    [Fact]
    public void The_class_count_sets_the_last_layer()
    {
        var inferred = LeNet.LeNet5(classes: 100).Infer();

        Assert.Equal(Shape.Vector(100), inferred.Output);
        // fc3: 84·100 + 100 = 8,500; total 61,706 − 850 + 8,500 = 69,356
        Assert.Equal(8_500, inferred["fc3"].Info.Parameters);
        Assert.Equal(69_356, inferred.Parameters);
    }

    [Fact]
    public void The_zoo_serves_LeNet5_by_name()
    {
        Assert.Equal(LeNet.LeNet5(), ModelZoo.Get("LeNet-5"));
    }
}
