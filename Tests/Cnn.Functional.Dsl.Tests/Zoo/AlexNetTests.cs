using Cnn.Functional.Dsl;

namespace Cnn.Functional.Tests;

/// <summary>torchvision's AlexNet and the paper's two-stream and single-stream layouts, counted by hand.</summary>
public class AlexNetTests
{
    // ---- torchvision's alexnet --------------------------------------------------------------------

    public static TheoryData<string, Shape, long> TorchvisionRows => new()
    {
        // path          output shape               parameters (torchvision's weight + bias sizes)
        // ⌊(224 + 4 − 11)/4⌋ + 1 = 55; 64·3·121 + 64
        { "features/0",  Shape.Image(64, 55, 55),   23_296 },
        // (55 − 3)/2 + 1 = 27
        { "features/2",  Shape.Image(64, 27, 27),   0 },
        // 192·64·25 + 192
        { "features/3",  Shape.Image(192, 27, 27),  307_392 },
        { "features/5",  Shape.Image(192, 13, 13),  0 },
        // 384·192·9 + 384
        { "features/6",  Shape.Image(384, 13, 13),  663_936 },
        // 256·384·9 + 256
        { "features/8",  Shape.Image(256, 13, 13),  884_992 },
        // 256·256·9 + 256
        { "features/10", Shape.Image(256, 13, 13),  590_080 },
        { "features/12", Shape.Image(256, 6, 6),    0 },
        { "avgpool",     Shape.Image(256, 6, 6),    0 },
        // 9,216·4,096 + 4,096
        { "classifier/1", Shape.Vector(4096),       37_752_832 },
        { "classifier/4", Shape.Vector(4096),       16_781_312 },
        { "classifier/6", Shape.Vector(1000),       4_097_000 },
    };

    [Theory]
    [MemberData(nameof(TorchvisionRows))]
    public void Torchvision_alexnet_layers_have_torchvisions_shapes_and_sizes(string path, Shape shape, long parameters)
    {
        var node = AlexNet.Torchvision().Infer()[path];

        Assert.Equal(shape, node.OutputShape);
        Assert.Equal(parameters, node.Info.Parameters);
    }

    [Fact]
    public void Torchvision_alexnet_has_61100840_parameters_in_exactly_its_eight_weighted_modules()
    {
        var inferred = ModelZoo.Get("alexnet").Infer();

        // 23,296 + 307,392 + 663,936 + 884,992 + 590,080 + 37,752,832 + 16,781,312 + 4,097,000 (torchvision's docs: 61.1M)
        Assert.Equal(61_100_840, inferred.Parameters);
        Assert.Equal(
            ["features/0", "features/3", "features/6", "features/8", "features/10", "classifier/1", "classifier/4", "classifier/6"],
            inferred.Nodes.Where(n => n.Info.Parameters > 0).Select(n => n.Path));
        Assert.Equal(Shape.Vector(1000), inferred.Output);
        Assert.IsType<Dropout>(inferred.Graph.Find("classifier/0").Layer);
        Assert.IsType<Dropout>(inferred.Graph.Find("classifier/3").Layer);
    }

    [Fact]
    public void Only_the_first_convolution_needs_floor_rounding_at_224()
    {
        var conv1 = Assert.IsType<Conv>(AlexNet.Torchvision().Find("features/0").Layer);
        Assert.Equal(Rounding.Floor, conv1.Rounding);

        var exact = AlexNet.TorchvisionConvs.Select(c => c with { Rounding = Rounding.Exact });
        var error = Assert.Throws<GraphException>(() => AlexNet.Configuration("exact", exact));
        Assert.Contains("55.25 is not an integer", error.Message);
        Assert.Equal("features/0", error.Errors.Single().Path);
    }

    // ---- the paper's layout ------------------------------------------------------------------------

    public static TheoryData<string, Shape, long, long> PaperRows => new()
    {
        // path    output shape             two streams   one stream
        // (227 − 11)/4 + 1 = 55; 96·3·121 + 96
        { "conv1", Shape.Image(96, 55, 55),   34_944,     34_944 },
        // groups 2: 256·(96/2)·25 + 256; one stream: 256·96·25 + 256
        { "conv2", Shape.Image(256, 27, 27),  307_456,    614_656 },
        // the cross connection, groups 1 in both: 384·256·9 + 384
        { "conv3", Shape.Image(384, 13, 13),  885_120,    885_120 },
        // 384·192·9 + 384; 384·384·9 + 384
        { "conv4", Shape.Image(384, 13, 13),  663_936,    1_327_488 },
        // 256·192·9 + 256; 256·384·9 + 256
        { "conv5", Shape.Image(256, 13, 13),  442_624,    884_992 },
        { "pool5", Shape.Image(256, 6, 6),    0,          0 },
        { "fc6",   Shape.Vector(4096),        37_752_832, 37_752_832 },
        { "fc7",   Shape.Vector(4096),        16_781_312, 16_781_312 },
        { "fc8",   Shape.Vector(1000),        4_097_000,  4_097_000 },
        { "prob",  Shape.Vector(1000),        0,          0 },
    };

    [Theory]
    [MemberData(nameof(PaperRows))]
    public void The_papers_layers_have_the_hand_computed_shapes_and_parameters(string path, Shape shape, long twoStreams, long oneStream)
    {
        var grouped = AlexNet.Krizhevsky2012().Infer()[path];
        var single = AlexNet.SingleStream().Infer()[path];

        Assert.Equal(shape, grouped.OutputShape);
        Assert.Equal(shape, single.OutputShape);
        Assert.Equal(twoStreams, grouped.Info.Parameters);
        Assert.Equal(oneStream, single.Info.Parameters);
    }

    [Fact]
    public void AlexNet_2012_has_60965224_parameters()
    {
        // 34,944 + 307,456 + 885,120 + 663,936 + 442,624 + 37,752,832 + 16,781,312 + 4,097,000
        Assert.Equal(60_965_224, ModelZoo.Get("alexnet_2012").Infer().Parameters);
    }

    [Fact]
    public void The_single_stream_alexnet_has_62378344_parameters()
    {
        // 34,944 + 614,656 + 885,120 + 1,327,488 + 884,992 + 37,752,832 + 16,781,312 + 4,097,000
        Assert.Equal(62_378_344, ModelZoo.Get("alexnet_single_stream").Infer().Parameters);
    }

    [Theory]
    [InlineData("conv1", 1)]
    [InlineData("conv2", 2)]
    [InlineData("conv3", 1)]
    [InlineData("conv4", 2)]
    [InlineData("conv5", 2)]
    public void The_two_gpu_streams_are_groups_except_at_the_first_layer_and_the_cross_connection(string path, int groups)
    {
        Assert.Equal(groups, Assert.IsType<Conv>(AlexNet.Krizhevsky2012().Find(path).Layer).Groups);
        Assert.Equal(1, Assert.IsType<Conv>(AlexNet.SingleStream().Find(path).Layer).Groups);
    }

    [Fact]
    public void The_paper_normalises_after_the_first_two_relus_pools_after_them_and_conv5_and_drops_the_hidden_outputs()
    {
        var graph = AlexNet.Krizhevsky2012();
        string InputOf(string path) => graph.Find(path).Inputs.Single();

        Assert.Equal(new LocalResponseNorm(5, 1e-4, 0.75, 2), graph.Find("norm1").Layer);
        Assert.Equal(new LocalResponseNorm(5, 1e-4, 0.75, 2), graph.Find("norm2").Layer);
        Assert.Equal("relu1", InputOf("norm1"));
        Assert.Equal("relu2", InputOf("norm2"));
        Assert.Equal(["norm1", "norm2", "relu5"], new[] { "pool1", "pool2", "pool5" }.Select(InputOf));
        Assert.Equal(new Pool(PoolKind.Max, 3, 2, Padding.Valid, Rounding.Exact), graph.Find("pool1").Layer);
        Assert.Equal(["relu6", "relu7"], new[] { "drop6", "drop7" }.Select(InputOf));
        Assert.Equal(new Dropout(0.5, false), graph.Find("drop6").Layer);
        Assert.IsType<Softmax>(graph.Find("prob").Layer);
        Assert.Equal(Shape.Image(3, 227, 227), graph.Infer()["input"].OutputShape);
    }
}
