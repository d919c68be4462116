namespace Cnn.Functional.Tests;

/// <summary>
/// VGG-16, configuration D of the lecture's table, built by hand: 13 conv3 layers with padding 1, five 2×2 max
/// pools and FC-4096, FC-4096, FC-1000 on a 3×224×224 input — 138,357,544 parameters.
/// </summary>
public class Vgg16Tests
{
    private static Graph Vgg16()
    {
        var graph = Graph.Create("vgg16", Shape.Image(3, 224, 224));
        int[][] blocks = [[64, 64], [128, 128], [256, 256, 256], [512, 512, 512], [512, 512, 512]];
        for (var b = 0; b < blocks.Length; b++)
        {
            for (var c = 0; c < blocks[b].Length; c++)
                graph = graph
                    .Then($"block{b + 1}/conv{c + 1}", Layers.Conv(blocks[b][c], 3, padding: 1))
                    .Then($"block{b + 1}/relu{c + 1}", Layers.Relu());
            graph = graph.Then($"block{b + 1}/pool", Layers.MaxPool(2));
        }
        return graph
            .Then("flatten", Layers.Flatten())
            .Then("fc6", Layers.Dense(4096)).Then("relu6", Layers.Relu()).Then("drop6", Layers.Dropout())
            .Then("fc7", Layers.Dense(4096)).Then("relu7", Layers.Relu()).Then("drop7", Layers.Dropout())
            .Then("fc8", Layers.Dense(1000))
            .Then("softmax", Layers.Softmax());
    }

    [Fact]
    public void Vgg16_has_138357544_parameters()
    {
        // conv1_1   64·3·9 + 64       =       1,792
        // conv1_2   64·64·9 + 64      =      36,928
        // conv2_1   128·64·9 + 128    =      73,856
        // conv2_2   128·128·9 + 128   =     147,584
        // conv3_1   256·128·9 + 256   =     295,168
        // conv3_2,3 256·256·9 + 256   =     590,080 × 2
        // conv4_1   512·256·9 + 512   =   1,180,160
        // conv4_2,3 512·512·9 + 512   =   2,359,808 × 2
        // conv5_1-3                   =   2,359,808 × 3
        // convolutions                =  14,714,688
        // fc6       25,088·4,096 + 4,096 = 102,764,544
        // fc7       4,096·4,096 + 4,096  =  16,781,312
        // fc8       4,096·1,000 + 1,000  =   4,097,000
        // total     14,714,688 + 123,642,856 = 138,357,544
        Assert.Equal(138_357_544, Vgg16().Infer().Parameters);
    }

    [Theory]
    [InlineData("block1/conv1", 1_792)]
    [InlineData("block3/conv1", 295_168)]
    [InlineData("block5/conv3", 2_359_808)]
    [InlineData("fc6", 102_764_544)]
    [InlineData("fc8", 4_097_000)]
    public void Layer_parameters_match_the_hand_count(string path, long parameters)
    {
        Assert.Equal(parameters, Vgg16().Infer()[path].Info.Parameters);
    }

    [Theory]
    [InlineData("block1/conv2", 64, 224)]
    [InlineData("block1/pool", 64, 112)]
    [InlineData("block2/pool", 128, 56)]
    [InlineData("block3/pool", 256, 28)]
    [InlineData("block4/pool", 512, 14)]
    [InlineData("block5/pool", 512, 7)]
    public void Padding_1_keeps_the_size_and_each_pool_halves_it(string path, int channels, int size)
    {
        // conv3 with padding 1: (W − 3 + 2)/1 + 1 = W; pool: (W − 2)/2 + 1 = W/2
        Assert.Equal(Shape.Image(channels, size, size), Vgg16().Infer()[path].OutputShape);
    }

    [Fact]
    public void The_classifier_sees_512x7x7_features_and_gives_1000_scores()
    {
        var inferred = Vgg16().Infer();

        // 512·7·7 = 25,088
        Assert.Equal(Shape.Vector(25_088), inferred["flatten"].OutputShape);
        Assert.Equal(Shape.Vector(1000), inferred.Output);
    }
}
