using Cnn.Functional.Dsl;

namespace Cnn.Functional.Tests;

/// <summary>XNOR-Net and Binary-Weight-Network AlexNets (Rastegari et al., 2016), laid out as the authors' implementation.</summary>
public class BinaryAlexNetTests
{
    // The weighted layers are the single-stream AlexNet's on a 224 input with conv1 padding 2:
    // 34,944 + 614,656 + 885,120 + 1,327,488 + 884,992 + 37,752,832 + 16,781,312 + 4,097,000 = 62,378,344.
    private const long WeightedLayers = 62_378_344;

    [Fact]
    public void Xnor_alexnet_has_62397672_parameters()
    {
        var totals = ModelZoo.Get("xnor_alexnet").Summarize().Totals;

        // batch norms: 2·(96 + 96 + 256 + 384 + 384 + 256 + 4,096 + 4,096) = 2·9,664 = 19,328
        Assert.Equal(WeightedLayers + 19_328, totals.Parameters);
        Assert.Equal(62_397_672, totals.Parameters);
        // running mean and variance of the same channels
        Assert.Equal(19_328, totals.Buffers);
    }

    [Fact]
    public void Bwn_alexnet_has_62397480_parameters()
    {
        var totals = ModelZoo.Get("bwn_alexnet").Summarize().Totals;

        // batch norms after conv1 … conv5, fc6, fc7: 2·(96 + 256 + 384 + 384 + 256 + 4,096 + 4,096) = 2·9,568 = 19,136
        Assert.Equal(WeightedLayers + 19_136, totals.Parameters);
        Assert.Equal(62_397_480, totals.Parameters);
        Assert.Equal(19_136, totals.Buffers);
    }

    [Fact]
    public void Xnor_binarises_weights_and_inputs_everywhere_but_the_first_convolution_and_the_last_layer()
    {
        var graph = BinaryAlexNet.Xnor();

        Assert.Equal(["features/5", "features/8", "features/10", "features/12"], PathsOf<BinaryConv>(graph));
        Assert.Equal(["classifier/0", "classifier/2"], PathsOf<BinaryDense>(graph));
        Assert.Equal(["features/0"], PathsOf<Conv>(graph));
        Assert.Equal(["classifier/5"], PathsOf<Dense>(graph));
        Assert.All(graph.Nodes.Select(n => n.Layer).OfType<BinaryConv>(), c => Assert.Equal(Binarization.WeightsAndInputs, c.Mode));
        Assert.All(graph.Nodes.Select(n => n.Layer).OfType<BinaryDense>(), d => Assert.Equal(Binarization.WeightsAndInputs, d.Mode));
    }

    [Fact]
    public void Bwn_binarises_the_weights_of_the_same_layers()
    {
        var graph = BinaryAlexNet.BinaryWeights();

        Assert.Equal(["features/4", "features/8", "features/11", "features/14"], PathsOf<BinaryConv>(graph));
        Assert.Equal(["classifier/1", "classifier/5"], PathsOf<BinaryDense>(graph));
        Assert.Equal(["features/0"], PathsOf<Conv>(graph));
        Assert.Equal(["classifier/8"], PathsOf<Dense>(graph));
        Assert.All(graph.Nodes.Select(n => n.Layer).OfType<BinaryConv>(), c => Assert.Equal(Binarization.Weights, c.Mode));
        Assert.All(graph.Nodes.Select(n => n.Layer).OfType<BinaryDense>(), d => Assert.Equal(Binarization.Weights, d.Mode));
    }

    [Fact]
    public void Xnor_normalises_the_input_of_every_binary_layer_and_puts_no_relu_after_one()
    {
        var graph = BinaryAlexNet.Xnor();

        foreach (var binary in graph.Nodes.Where(n => n.Layer is BinaryConv or BinaryDense))
        {
            // the BN feeding it may sit behind the avgpool and flatten (fc6's normalises channels)
            var feeder = graph.Find(binary.Inputs.Single());
            while (feeder.Layer is AdaptivePool or Flatten) feeder = graph.Find(feeder.Inputs.Single());
            Assert.IsType<BatchNorm>(feeder.Layer);
            Assert.DoesNotContain(graph.Nodes, n => n.Inputs.Contains(binary.Path) && n.Layer is Activation);
        }
        // the output layer reads BN → ReLU
        Assert.Equal(["classifier/4"], graph.Find("classifier/5").Inputs);
        Assert.IsType<Activation>(graph.Find("classifier/4").Layer);
        Assert.Equal(new BatchNorm(1e-3, 0.1, true), graph.Find("classifier/3").Layer);
    }

    [Fact]
    public void Xnor_normalises_fc6s_input_over_the_256_channels_of_the_6x6_map()
    {
        var inferred = BinaryAlexNet.Xnor().Infer();

        Assert.IsType<BatchNorm>(inferred.Graph.Find("features/14").Layer);
        Assert.Equal(Shape.Image(256, 6, 6), inferred["features/14"].OutputShape);
        Assert.Equal(512, inferred["features/14"].Info.Parameters);
        Assert.DoesNotContain(inferred.Nodes, n => n.Node.Layer is Dropout);
    }

    [Fact]
    public void Bwn_follows_each_layer_but_the_last_with_batch_norm_and_relu_and_drops_before_fc6_and_fc7()
    {
        var graph = BinaryAlexNet.BinaryWeights();

        foreach (var weighted in graph.Nodes.Where(n => n.Layer is Conv or BinaryConv or BinaryDense))
        {
            var bn = graph.Nodes.Single(n => n.Inputs.Contains(weighted.Path));
            Assert.Equal(new BatchNorm(1e-3, 0.1, true), bn.Layer);
            Assert.Equal(ActivationFunction.Relu, Assert.IsType<Activation>(graph.Nodes.Single(n => n.Inputs.Contains(bn.Path)).Layer).Function);
        }
        Assert.Equal(new Dropout(0.5, false), graph.Find("classifier/0").Layer);
        Assert.Equal(new Dropout(0.5, false), graph.Find("classifier/4").Layer);
    }

    [Theory]
    [InlineData("xnor_alexnet")]
    [InlineData("bwn_alexnet")]
    public void Both_take_224_and_floor_conv1_to_55(string name)
    {
        var inferred = ModelZoo.Get(name).Infer();

        Assert.Equal(Shape.Image(3, 224, 224), inferred["input"].OutputShape);
        // ⌊(224 + 4 − 11)/4⌋ + 1 = 55
        Assert.Equal(Shape.Image(96, 55, 55), inferred["features/0"].OutputShape);
        Assert.Equal(Rounding.Floor, Assert.IsType<Conv>(inferred.Graph.Find("features/0").Layer).Rounding);
        Assert.Equal(Shape.Vector(1000), inferred.Output);
    }

    private static IEnumerable<string> PathsOf<T>(Graph graph) where T : Layer =>
        graph.Nodes.Where(n => n.Layer.GetType() == typeof(T)).Select(n => n.Path);
}
