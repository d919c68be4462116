using Cnn.Functional.Dsl;

namespace Cnn.Functional.Tests;

public class ResNetTests
{
    // torchvision's sum(p.numel() for p in model.parameters()), as listed in its model documentation.
    [Theory]
    [InlineData("resnet18", 11_689_512)]
    [InlineData("resnet34", 21_797_672)]
    [InlineData("resnet50", 25_557_032)]
    [InlineData("resnet101", 44_549_160)]
    [InlineData("resnet152", 60_192_808)]
    [InlineData("resnext50_32x4d", 25_028_904)]
    [InlineData("resnext101_32x8d", 88_791_336)]
    public void Parameter_counts_are_torchvisions(string name, long parameters)
    {
        var graph = ModelZoo.Get(name);
        Assert.Equal(parameters, graph.Summarize().Totals.Parameters);
        Assert.Equal(Shape.Vector(1000), graph.Infer().Output);
    }

    [Fact]
    public void ResNet18_adds_up_stage_by_stage()
    {
        var graph = ResNet.ResNet18();
        // stem 64·3·49 + 2·64 = 9,536; layer1 2·(2·64·64·9 + 4·64) = 147,968;
        // layer2 (128·64·9 + 128·128·9 + 128·64 + 6·128) + (2·128·128·9 + 4·128) = 230,144 + 295,424 = 525,568;
        // layer3 919,040 + 1,180,672 = 2,099,712; layer4 3,673,088 + 4,720,640 = 8,393,728; fc 512·1000 + 1000 = 513,000.
        Assert.Equal(9_536 + 147_968 + 525_568 + 2_099_712 + 8_393_728 + 513_000, graph.Summarize().Totals.Parameters);
        var stage = graph.Infer().Nodes.Where(n => n.Path.StartsWith("layer2/", StringComparison.Ordinal)).Sum(n => n.Info.Parameters);
        Assert.Equal(525_568, stage);
    }

    [Fact]
    public void ResNet18_parameter_nodes_are_named_like_torchvisions_modules()
    {
        var graph = ResNet.ResNet18();
        string[] expected =
        [
            "conv1", "bn1",
            .. from layer in Enumerable.Range(1, 4)
               from block in Enumerable.Range(0, 2)
               from module in new[] { "conv1", "bn1", "conv2", "bn2" }
               select $"layer{layer}/{block}/{module}",
            .. from layer in Enumerable.Range(2, 3) from module in new[] { "0", "1" } select $"layer{layer}/0/downsample/{module}",
            "fc",
        ];
        var withParameters = graph.Infer().Nodes.Where(n => n.Info.Parameters > 0).Select(n => n.Path);
        Assert.Equal(expected.Order(StringComparer.Ordinal), withParameters.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Stages_halve_the_size_with_floor_rounding_and_project_the_shortcut()
    {
        var inferred = ResNet.ResNet18().Infer();
        Assert.Equal(Shape.Image(64, 112, 112), inferred["conv1"].OutputShape);
        Assert.Equal(Shape.Image(64, 56, 56), inferred["maxpool"].OutputShape);
        Assert.Equal(Shape.Image(128, 28, 28), inferred["layer2/0/conv1"].OutputShape);
        Assert.Equal(Shape.Image(128, 28, 28), inferred["layer2/0/downsample/0"].OutputShape);
        Assert.Equal(["layer2/0/bn2", "layer2/0/downsample/1"], inferred["layer2/0/add"].Node.Inputs);
        Assert.Equal(Shape.Image(512, 7, 7), inferred["layer4/1/relu"].OutputShape);
        Assert.Equal(Shape.Image(512, 1, 1), inferred["avgpool"].OutputShape);
        // An identity shortcut where nothing changes.
        Assert.Equal(["layer1/1/bn2", "layer1/0/relu"], inferred["layer1/1/add"].Node.Inputs);
    }

    [Fact]
    public void Bottlenecks_stride_on_the_3x3_and_project_even_the_first_stage()
    {
        var inferred = ResNet.ResNet50().Infer();
        // v1.5: layer2/0/conv1 is a 1×1 at stride 1 (still 56×56); its 3×3 conv2 halves the size.
        Assert.Equal(Shape.Image(128, 56, 56), inferred["layer2/0/conv1"].OutputShape);
        Assert.Equal(Shape.Image(128, 28, 28), inferred["layer2/0/conv2"].OutputShape);
        Assert.Equal(Shape.Image(512, 28, 28), inferred["layer2/0/conv3"].OutputShape);
        // layer1 keeps 56×56 but widens 64 → 256, so its block 0 has a (stride-1) projection: 256·64 + 2·256.
        Assert.Equal(Shape.Image(256, 56, 56), inferred["layer1/0/downsample/0"].OutputShape);
        Assert.Equal(256 * 64, inferred["layer1/0/downsample/0"].Info.Parameters);
        Assert.Null(ResNet.ResNet50().TryFind("layer1/1/downsample/0"));
    }

    [Fact]
    public void ResNeXt_groups_the_3x3_with_the_cardinality()
    {
        var inferred = ResNet.ResNeXt50_32x4d().Infer();
        // width = ⌊64 · 4/64⌋ · 32 = 128 in layer1; each of 32 groups maps 4 channels to 4: 128 · 4 · 9 weights.
        Assert.Equal(Shape.Image(128, 56, 56), inferred["layer1/0/conv2"].OutputShape);
        Assert.Equal(128 * 4 * 9, inferred["layer1/0/conv2"].Info.Parameters);
        Assert.Equal(32, Assert.IsType<Conv>(inferred["layer4/2/conv2"].Node.Layer).Groups);
        // ResNeXt-101 32×8d: width = 512 · 8/64 · 32 = 2,048 in layer4.
        Assert.Equal(Shape.Image(2048, 7, 7), ResNet.ResNeXt101_32x8d().Infer()["layer4/0/conv2"].OutputShape);
    }

    [Fact]
    public void The_classifier_follows_the_number_of_classes()
    {
        var graph = ResNet.ResNet18(classes: 10);
        Assert.Equal(Shape.Vector(10), graph.Infer().Output);
        Assert.Equal(11_689_512 - 990 * 513, graph.Summarize().Totals.Parameters);
    }
}
