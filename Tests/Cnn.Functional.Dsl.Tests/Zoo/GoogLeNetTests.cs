using Cnn.Functional.Dsl;

namespace Cnn.Functional.Tests;

public class GoogLeNetTests
{
    private static readonly string[] Modules =
        ["inception3a", "inception3b", "inception4a", "inception4b", "inception4c", "inception4d", "inception4e", "inception5a", "inception5b"];

    private static long ParametersUnder(InferredGraph g, string prefix) =>
        g.Nodes.Where(n => Graph.IsUnder(n.Path, prefix)).Sum(n => n.Info.Parameters);

    [Fact]
    public void Torchvision_googlenet_has_exactly_torchvisions_parameter_count()
    {
        var g = GoogLeNet.Torchvision().Infer();
        // BasicConv2d = conv weights + 2·filters (bn). Stem: 7·7·3·64 + 128 = 9,536; 64·64 + 128 = 4,224;
        // 9·64·192 + 384 = 110,976. Inception 3a: 192·64 + 192·96 + 9·96·128 + 192·16 + 9·16·32 + 192·32
        // = 155,136 weights + 2·368 = 155,872. The nine modules: 155,872 + 340,224 + 364,512 + 425,232 +
        // 486,192 + 573,312 + 803,840 + 978,944 + 1,347,040; fc 1024·1000 + 1000 = 1,025,000.
        Assert.Equal(155_872, ParametersUnder(g, "inception3a"));
        Assert.Equal(1_347_040, ParametersUnder(g, "inception5b"));
        Assert.Equal(6_624_904, g.Parameters);
        Assert.Equal(Shape.Vector(1000), g.Output);
    }

    [Fact]
    public void Torchvision_googlenet_shapes_follow_the_papers_table()
    {
        var g = GoogLeNet.Torchvision().Infer();
        Assert.Equal(Shape.Image(64, 112, 112), g["conv1/conv"].OutputShape);
        Assert.Equal(Shape.Image(64, 56, 56), g["maxpool1"].OutputShape);
        Assert.Equal(Shape.Image(192, 28, 28), g["maxpool2"].OutputShape);
        Assert.Equal(Shape.Image(256, 28, 28), g["inception3a/concat1"].OutputShape);
        Assert.Equal(Shape.Image(480, 14, 14), g["maxpool3"].OutputShape);
        Assert.Equal(Shape.Image(832, 7, 7), g["maxpool4"].OutputShape);
        Assert.Equal(Shape.Image(1024, 7, 7), g["inception5b/concat1"].OutputShape);
        Assert.Equal(Shape.Image(1024, 1, 1), g["avgpool"].OutputShape);
    }

    [Fact]
    public void Torchvision_googlenet_parameter_nodes_are_torchvisions_module_names()
    {
        // The modules of torchvision.models.googlenet(aux_logits=False) that own parameters.
        var expected = new List<string>();
        foreach (var stem in new[] { "conv1", "conv2", "conv3" }) expected.AddRange([$"{stem}.conv", $"{stem}.bn"]);
        foreach (var m in Modules)
            foreach (var branch in new[] { "branch1", "branch2.0", "branch2.1", "branch3.0", "branch3.1", "branch4.1" })
                expected.AddRange([$"{m}.{branch}.conv", $"{m}.{branch}.bn"]);
        expected.Add("fc");

        var g = GoogLeNet.Torchvision().Infer();
        var ours = g.Nodes.Where(n => n.Info.Parameters > 0).Select(n => n.Path.Replace('/', '.')).ToList();
        Assert.Equal(expected.Order(StringComparer.Ordinal), ours.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Torchvisions_5x5_branch_is_a_3x3_convolution_and_its_batch_norm_uses_epsilon_one_thousandth()
    {
        var graph = GoogLeNet.Torchvision();
        var conv = Assert.IsType<Conv>(graph.Find("inception3a/branch3/1/conv").Layer);
        Assert.Equal(Size.All(3), conv.Kernel);
        Assert.False(conv.Bias);
        Assert.Equal(0.001, Assert.IsType<BatchNorm>(graph.Find("inception3a/branch3/1/bn").Layer).Epsilon);
        Assert.Equal(0.2, Assert.IsType<Dropout>(graph.Find("dropout").Layer).Rate);
    }

    [Fact]
    public void The_papers_googlenet_counts_weights_and_biases_of_table_1()
    {
        var g = GoogLeNet.Original().Infer();
        // Inception 3a with true 5×5: 192·64 + 192·96 + 9·96·128 + 192·16 + 25·16·32 + 192·32 = 163,328
        // weights (159.5K with K = 1024; Table 1 lists 159K) + 368 biases.
        Assert.Equal(163_696, ParametersUnder(g, "inception3a"));
        // Table 1 lists 2.7K for this layer; 7·7·3·64 = 9,408 weights + 64 biases.
        Assert.Equal(9_472, g["conv1/conv"].Info.Parameters);
        // Stem 9,472 + 4,160 + 110,784; modules 163,696 + 388,736 + 376,176 + 449,160 + 510,104 + 605,376 +
        // 868,352 + 1,043,456 + 1,444,080; linear 1,025,000.
        Assert.Equal(6_998_552, g.Parameters);
        // Without the 8,280 biases: 6,990,272 weights = 6,826K, which Table 1's column (summing to 6,798K,
        // the quoted "≈ 6.8M") undercounts mainly through its 2.7K for the first convolution.
        var biases = g.Nodes.Sum(n => n.Node.Layer switch { Conv c => c.Filters, Dense d => d.Units, _ => 0 });
        Assert.Equal(6_990_272, g.Parameters - biases);
        Assert.Equal(Shape.Vector(1000), g.Output);
    }

    [Fact]
    public void The_papers_googlenet_has_lrn_true_5x5_branches_and_a_7x7_average_pool()
    {
        var graph = GoogLeNet.Original();
        var g = graph.Infer();
        Assert.IsType<LocalResponseNorm>(graph.Find("lrn1").Layer);
        Assert.Equal(["conv3/relu"], graph.Find("lrn2").Inputs);
        Assert.Equal(Size.All(5), Assert.IsType<Conv>(graph.Find("inception4e/branch3/1/conv").Layer).Kernel);
        Assert.Null(graph.TryFind("conv1/bn"));
        Assert.Equal(Shape.Image(64, 56, 56), g["lrn1"].OutputShape);
        Assert.Equal(Shape.Image(832, 7, 7), g["maxpool4"].OutputShape);
        Assert.Equal(Shape.Image(1024, 1, 1), g["avgpool"].OutputShape);
        Assert.Equal(0.4, Assert.IsType<Dropout>(graph.Find("dropout").Layer).Rate);
    }

    [Fact]
    public void Naive_inception_modules_blow_up_the_channels_parameters_and_macs()
    {
        var naive = GoogLeNet.Naive().Infer();
        var reduced = GoogLeNet.Original().Infer();

        // Every module adds its 1×1, 3×3 and 5×5 filters to the input channels that pooling passes through:
        // 192 + 64 + 128 + 32 = 416, 416 + 128 + 192 + 96 = 832, …
        var channels = Modules.Select(m => naive[$"{m}/concat1"].OutputShape.Channels).ToArray();
        Assert.Equal([416, 832, 1280, 1728, 2176, 2640, 3344, 4048, 4944], channels);
        foreach (var m in Modules)
            Assert.True(naive[$"{m}/concat1"].OutputShape.Channels > naive[$"{m}/concat1"].InputShapes[3].Channels);

        // By hand: stem 124,416; modules 387,296 + 1,770,912 + 2,716,096 + 4,833,728 + 6,967,744 +
        // 9,365,968 + 16,727,744 + 21,188,288 + 28,498,816; fc 4944·1000 + 1000 = 4,945,000.
        Assert.Equal(97_526_008, naive.Parameters);
        Assert.True(naive.Parameters > 10 * reduced.Parameters);
        // The paper budgets "1.5 billion multiply-adds at inference time"; without reductions it is 12.6 billion.
        var reducedMacs = reduced.Nodes.Sum(n => n.Info.Macs);
        Assert.InRange(reducedMacs, 1_500_000_000L, 1_600_000_000L);
        Assert.True(naive.Nodes.Sum(n => n.Info.Macs) > 7 * reducedMacs);
    }
}
