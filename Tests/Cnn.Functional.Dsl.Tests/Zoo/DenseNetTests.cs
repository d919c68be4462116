using System.Text.RegularExpressions;
using Cnn.Functional.Dsl;

namespace Cnn.Functional.Tests;

public class DenseNetTests
{
    [Fact]
    public void DenseNet121_has_torchvisions_parameter_count_and_output()
    {
        var graph = DenseNet.DenseNet121();
        // torchvision's densenet121: sum(p.numel() for p in model.parameters()) = 7,978,856.
        Assert.Equal(7_978_856, graph.Summarize().Totals.Parameters);
        Assert.Equal(Shape.Vector(1000), graph.Infer().Output);
    }

    // torchvision's counts for the other configurations of the same generator.
    [Theory]
    [InlineData("densenet169", 14_149_480, 1664)]
    [InlineData("densenet201", 20_013_928, 1920)]
    [InlineData("densenet161", 28_681_000, 2208)]
    public void Deeper_and_wider_densenets_have_torchvisions_counts(string name, long parameters, int features)
    {
        var graph = ModelZoo.Get(name);
        Assert.Equal(parameters, graph.Summarize().Totals.Parameters);
        Assert.Equal(Shape.Image(features, 7, 7), graph.Infer()["features/norm5"].OutputShape);
    }

    [Fact]
    public void The_first_dense_block_adds_up_by_hand()
    {
        // Layer j reads c = 64 + 32(j − 1) channels: norm1 2c + conv1 128c + norm2 2·128 + conv2 32·128·9 = 130c + 37,120.
        // Σ c over j = 1…6 is 6·64 + 32·15 = 864, so the block has 130·864 + 6·37,120 = 335,040 parameters.
        var block = DenseNet.DenseNet121().Infer().Nodes
            .Where(n => n.Path.StartsWith("features/denseblock1/", StringComparison.Ordinal))
            .Sum(n => n.Info.Parameters);
        Assert.Equal(335_040, block);
    }

    [Fact]
    public void Channels_grow_in_blocks_and_halve_in_transitions()
    {
        var inferred = DenseNet.DenseNet121().Infer();
        Assert.Equal(Shape.Image(64, 56, 56), inferred["features/pool0"].OutputShape);
        // denselayer6 reads 64 + 5·32 = 224 channels; the block puts out 64 + 6·32 = 256.
        Assert.Equal(["features/denseblock1/concat6"], inferred["features/denseblock1/denselayer6/norm1"].Node.Inputs);
        Assert.Equal(Shape.Image(224, 56, 56), inferred["features/denseblock1/concat6"].OutputShape);
        Assert.Equal(Shape.Image(256, 56, 56), inferred["features/denseblock1/concat"].OutputShape);
        Assert.Equal(Shape.Image(128, 56, 56), inferred["features/transition1/conv"].OutputShape);
        Assert.Equal(Shape.Image(128, 28, 28), inferred["features/transition1/pool"].OutputShape);
        Assert.Equal(Shape.Image(32, 7, 7), inferred["features/denseblock4/denselayer16/conv2"].OutputShape);
        Assert.Equal(Shape.Image(1024, 7, 7), inferred["features/norm5"].OutputShape);
    }

    [Fact]
    public void Parameter_nodes_are_named_like_torchvisions_modules()
    {
        var torchvision = new Regex(@"^(features/(conv0|norm0|norm5|denseblock[1-4]/denselayer\d+/(norm1|conv1|norm2|conv2)|transition[1-3]/(norm|conv))|classifier)$");
        var withParameters = DenseNet.DenseNet121().Infer().Nodes.Where(n => n.Info.Parameters > 0).Select(n => n.Path).ToList();
        Assert.All(withParameters, path => Assert.Matches(torchvision, path));
        // conv0, norm0, 4 modules in each of 6 + 12 + 24 + 16 = 58 dense layers, 2 in each of 3 transitions, norm5, classifier.
        Assert.Equal(2 + 4 * 58 + 2 * 3 + 2, withParameters.Count);
    }
}
