using Cnn.Functional.Dsl;

namespace Cnn.Functional.Tests;

/// <summary>VGG: the lecture's Tables 1 and 2, and torchvision's vgg11 … vgg19 with and without batch norm.</summary>
public class VggTests
{
    // ---- the paper ---------------------------------------------------------------------------------

    [Theory]
    [InlineData("vgg_a", 133)]
    [InlineData("vgg_a_lrn", 133)]
    [InlineData("vgg_b", 133)]
    [InlineData("vgg_c", 134)]
    [InlineData("vgg_d", 138)]
    [InlineData("vgg_e", 144)]
    public void The_paper_columns_reproduce_table_2_in_millions(string name, int millions)
    {
        var parameters = ModelZoo.Get(name).Infer().Parameters;

        Assert.Equal(millions, (int)Math.Round(parameters / 1e6, MidpointRounding.AwayFromZero));
    }

    [Theory]
    // A: 1,792 + 73,856 + 295,168 + 590,080 + 1,180,160 + 3·2,359,808 = 9,220,480 in convolutions;
    //    FC 25,088·4,096 + 4,096 = 102,764,544, 16,781,312, 4,097,000: 123,642,856
    [InlineData("vgg_a", 132_863_336)]
    [InlineData("vgg_a_lrn", 132_863_336)]
    // B: A + conv1_2 (64·64·9 + 64 = 36,928) + conv2_2 (128·128·9 + 128 = 147,584)
    [InlineData("vgg_b", 133_047_848)]
    // C: B + conv3_3 1×1 (256·256 + 256 = 65,792) + conv4_3 and conv5_3 1×1 (512·512 + 512 = 262,656 each)
    [InlineData("vgg_c", 133_638_952)]
    // D: B + conv3_3 (590,080) + conv4_3 and conv5_3 (2,359,808 each)
    [InlineData("vgg_d", 138_357_544)]
    // E: D + conv3_4 (590,080) + conv4_4 and conv5_4 (2,359,808 each)
    [InlineData("vgg_e", 143_667_240)]
    public void The_paper_columns_have_their_exact_counts(string name, long parameters)
    {
        Assert.Equal(parameters, ModelZoo.Get(name).Infer().Parameters);
    }

    [Fact]
    public void Column_C_closes_its_last_three_stages_with_1x1_convolutions_and_no_padding()
    {
        var inferred = Vgg.C().Infer();

        Assert.Equal(["conv3_3", "conv4_3", "conv5_3"],
            inferred.Nodes.Where(n => n.Node.Layer is Conv { Kernel.Values: [1] }).Select(n => n.Path));
        Assert.Equal(new Conv(256, 1, 1, 0, 1, 1, true, Rounding.Exact, PaddingMode.Zeros), inferred.Graph.Find("conv3_3").Layer);
        Assert.Equal(65_792, inferred["conv3_3"].Info.Parameters);
        Assert.Equal(262_656, inferred["conv5_3"].Info.Parameters);
        Assert.Equal(Shape.Image(512, 14, 14), inferred["conv5_3"].OutputShape);
    }

    [Fact]
    public void The_paper_layout_follows_table_1_from_224_to_softmax()
    {
        var inferred = Vgg.D().Infer();

        Assert.Equal(Shape.Image(3, 224, 224), inferred["input"].OutputShape);
        Assert.Equal(Shape.Image(64, 224, 224), inferred["conv1_2"].OutputShape);
        Assert.Equal(Shape.Image(512, 7, 7), inferred["pool5"].OutputShape);
        Assert.Equal(Shape.Vector(25_088), inferred["flatten"].OutputShape);
        Assert.Equal(13, inferred.Nodes.Count(n => n.Node.Layer is Conv));
        Assert.Equal(3, inferred.Nodes.Count(n => n.Node.Layer is Dense));
        Assert.Equal(5, inferred.Nodes.Count(n => n.Node.Layer is Pool { Function: PoolKind.Max }));
        Assert.IsType<Softmax>(inferred.Graph.Find("prob").Layer);
        Assert.Equal(["prob"], inferred.Graph.OutputPaths);
    }

    [Fact]
    public void A_lrn_normalises_after_the_first_layer_with_krizhevskys_constants()
    {
        var graph = Vgg.ALrn();

        Assert.Equal(new LocalResponseNorm(5, 1e-4, 0.75, 2), graph.Find("norm1").Layer);
        Assert.Equal(["relu1_1"], graph.Find("norm1").Inputs);
        Assert.Equal(["norm1"], graph.Find("pool1").Inputs);
        Assert.Single(graph.Nodes, n => n.Layer is LocalResponseNorm);
    }

    [Fact]
    public void An_input_that_five_halvings_do_not_tile_is_reported_not_rounded()
    {
        // 200 → 100 → 50 → 25 → 12.5
        var error = Assert.Throws<GraphException>(() => Vgg.Configuration("vgg200", Vgg.ColumnA, imageSize: 200));

        Assert.Equal("features/15", error.Errors.Single().Path);
        Assert.Contains("12.5 is not an integer", error.Message);
    }

    [Fact]
    public void The_generator_builds_other_configurations()
    {
        // Column A's stages with batch norm on 32×32 CIFAR images, 10 classes: the last map is 1×1.
        var inferred = Vgg.Configuration("vgg_a_cifar", Vgg.ColumnA, LayoutStyle.Paper, batchNorm: true, classes: 10, imageSize: 32).Infer();

        Assert.Equal(Shape.Image(512, 1, 1), inferred["pool5"].OutputShape);
        // 2·128 (γ and β per channel)
        Assert.Equal(256, inferred["bn2_1"].Info.Parameters);
        Assert.Equal(Shape.Vector(10), inferred.Output);
        // convolutions 9,220,480 + batch norms 5,504 + FC 512·4,096 + 4,096 + 16,781,312 + 4,096·10 + 10
        Assert.Equal(9_220_480 + 5_504 + 2_101_248 + 16_781_312 + 40_970, inferred.Parameters);
        Assert.Throws<GraphException>(() => Vgg.Configuration("empty", [[VggConv.Conv3(64)], []]));
    }

    // ---- torchvision -------------------------------------------------------------------------------

    [Theory]
    [InlineData("vgg11", 132_863_336)]
    [InlineData("vgg13", 133_047_848)]
    [InlineData("vgg16", 138_357_544)]
    [InlineData("vgg19", 143_667_240)]
    // batch norm adds 2·C per convolution: A 2·(64 + 128 + 2·256 + 4·512) = 5,504; B 5,888; D 8,448; E 11,008
    [InlineData("vgg11_bn", 132_868_840)]
    [InlineData("vgg13_bn", 133_053_736)]
    [InlineData("vgg16_bn", 138_365_992)]
    [InlineData("vgg19_bn", 143_678_248)]
    public void Torchvision_vggs_have_torchvisions_counts(string name, long parameters)
    {
        Assert.Equal(parameters, ModelZoo.Get(name).Infer().Parameters);
    }

    // torchvision's cfgs, with 0 for "M"
    public static TheoryData<string, int[], bool> TorchvisionConfigurations => new()
    {
        { "vgg11", [64, 0, 128, 0, 256, 256, 0, 512, 512, 0, 512, 512, 0], false },
        { "vgg13", [64, 64, 0, 128, 128, 0, 256, 256, 0, 512, 512, 0, 512, 512, 0], false },
        { "vgg16", [64, 64, 0, 128, 128, 0, 256, 256, 256, 0, 512, 512, 512, 0, 512, 512, 512, 0], false },
        { "vgg19", [64, 64, 0, 128, 128, 0, 256, 256, 256, 256, 0, 512, 512, 512, 512, 0, 512, 512, 512, 512, 0], false },
        { "vgg11_bn", [64, 0, 128, 0, 256, 256, 0, 512, 512, 0, 512, 512, 0], true },
        { "vgg16_bn", [64, 64, 0, 128, 128, 0, 256, 256, 256, 0, 512, 512, 512, 0, 512, 512, 512, 0], true },
        { "vgg19_bn", [64, 64, 0, 128, 128, 0, 256, 256, 256, 256, 0, 512, 512, 512, 512, 0, 512, 512, 512, 512, 0], true },
    };

    [Theory]
    [MemberData(nameof(TorchvisionConfigurations))]
    public void Every_features_module_sits_at_torchvisions_index(string name, int[] cfg, bool batchNorm)
    {
        // torchvision's make_layers: "M" adds one module, a convolution two (conv, ReLU) or three (conv, BN, ReLU).
        var expected = new List<(string Path, Type Layer, int Channels)>();
        var channels = 3;
        foreach (var v in cfg)
        {
            if (v == 0)
            {
                expected.Add(($"features/{expected.Count}", typeof(Pool), channels));
                continue;
            }
            expected.Add(($"features/{expected.Count}", typeof(Conv), v));
            if (batchNorm) expected.Add(($"features/{expected.Count}", typeof(BatchNorm), v));
            expected.Add(($"features/{expected.Count}", typeof(Activation), v));
            channels = v;
        }

        var inferred = ModelZoo.Get(name).Infer();
        var features = inferred.Nodes.Where(n => n.Path.StartsWith("features/", StringComparison.Ordinal)).ToList();
        Assert.Equal(expected.Select(e => e.Path), features.Select(n => n.Path));
        Assert.Equal(expected.Select(e => e.Layer), features.Select(n => n.Node.Layer.GetType()));
        Assert.Equal(expected.Select(e => e.Channels), features.Select(n => n.OutputShape.Channels));
    }

    [Fact]
    public void Torchvision_vgg16_has_its_avgpool_and_classifier_indices()
    {
        var inferred = Vgg.Vgg16().Infer();

        Assert.Equal(Shape.Image(512, 14, 14), inferred["features/28"].OutputShape);
        Assert.Equal(Shape.Image(512, 7, 7), inferred["features/30"].OutputShape);
        Assert.Equal(new AdaptivePool(PoolKind.Average, 7), inferred.Graph.Find("avgpool").Layer);
        Assert.Equal(
            ["classifier/0", "classifier/3", "classifier/6"],
            inferred.Nodes.Where(n => n.Node.Layer is Dense).Select(n => n.Path));
        Assert.Equal(102_764_544, inferred["classifier/0"].Info.Parameters);
        Assert.IsType<Dropout>(inferred.Graph.Find("classifier/2").Layer);
        Assert.IsType<Dropout>(inferred.Graph.Find("classifier/5").Layer);
        Assert.Equal(["classifier/6"], inferred.Graph.OutputPaths);
        Assert.Equal(Shape.Vector(1000), inferred.Output);
    }

    [Fact]
    public void Torchvision_vgg16_bn_puts_batch_norm_between_each_conv_and_its_relu()
    {
        var graph = Vgg.Vgg16BatchNorm();

        Assert.IsType<Conv>(graph.Find("features/40").Layer);
        Assert.Equal(new BatchNorm(1e-5, 0.1, true), graph.Find("features/41").Layer);
        Assert.IsType<Activation>(graph.Find("features/42").Layer);
        Assert.IsType<Pool>(graph.Find("features/43").Layer);
        Assert.Null(graph.TryFind("features/44"));
    }
}
