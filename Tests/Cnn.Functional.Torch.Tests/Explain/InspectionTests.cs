using Cnn.Functional.Torch;
using static TorchSharp.torch;

namespace Cnn.Functional.Tests.Explain;

/// <summary>Activations, filters and top-activating inputs read exactly what the module computes and holds.</summary>
[Collection("Training")]
public class InspectionTests(TrainedSquares trained) : IClassFixture<TrainedSquares>
{
    private GraphModule Module => trained.Module;

    [Fact]
    public void Activation_maps_are_the_nodes_output_channel_by_channel()
    {
        using var scope = NewDisposeScope();
        var image = trained.Test.Data.Images[1];
        var maps = Activations.Of(Module, image, "relu1");
        Assert.Equal(8, maps.Channels.Count);
        Assert.Equal(Shape.Image(8, 16, 16), maps.Shape);
        using var noGrad = no_grad();
        var expected = Module.Run(image.unsqueeze(0), ["relu1"])["relu1"][0];
        Assert.Equal(expected[5, 7, 3].item<float>(), maps.Channels[5][7, 3]);
        Assert.InRange(maps.ZeroFraction, 0.0, 1.0);
        Assert.Equal(2, Activations.Of(Module, image, "fc").Channels[0].Width);
    }

    [Fact]
    public void Filters_are_the_convolutions_kernels()
    {
        var bank = Filters.Of(Module);
        Assert.Equal(("conv1", 8, 1), (bank.Path, bank.Filters, bank.InputChannels));
        using var scope = NewDisposeScope();
        var weight = Module["conv2"].named_parameters().First(p => p.name == "weight").parameter;
        var second = Filters.Of(Module, "conv2");
        Assert.Equal((16, 8), (second.Filters, second.InputChannels));
        Assert.Equal(weight[3, 5, 2, 1].item<float>(), second[3, 5][2, 1]);
        var error = Assert.Throws<GraphException>(() => Filters.Of(Module, "relu1"));
        Assert.Contains("conv1, conv2, conv3", error.Message);
    }

    [Fact]
    public void The_top_examples_of_the_square_score_are_squares_largest_first()
    {
        var top = MaxActivating.TopK(Module, trained.Test.Data, "fc", channel: 1, k: 9);
        Assert.Equal(9, top.Items.Count);
        Assert.All(top.Items, t => Assert.Equal(1, t.Label));
        Assert.Equal(top.Items.Select(t => t.Value).OrderByDescending(v => v), top.Items.Select(t => t.Value));
        Assert.All(top.Items, t => Assert.Equal(new Region(0, 0, 16, 16), t.Field));
    }

    [Fact]
    public void A_feature_units_top_examples_peak_where_the_field_says()
    {
        var top = MaxActivating.TopK(Module, trained.Test.Data, "features", channel: 0, k: 4);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        foreach (var t in top.Items)
        {
            var map = Module.Run(trained.Test.Data.Images[t.Example].unsqueeze(0), ["features"])["features"][0, 0];
            Assert.Equal(map.max().item<float>(), t.Value, 5);
            Assert.Equal(map[t.Row, t.Column].item<float>(), t.Value, 5);
            // conv1, conv2 (3×3 each), pool, conv3 (3×3 at jump 2): 1 + 2 + 2 + 1 + 4 = 10 pixels.
            Assert.Equal(ReceptiveFields.Of(Module.Graph, "features", t.Row, t.Column), t.Field);
            Assert.Equal((10, 10), (t.Field.Height, t.Field.Width));
            var patch = t.Patch();
            var clipped = t.Field.Clip(16, 16);
            Assert.Equal((clipped.Height, clipped.Width), (patch.Height, patch.Width));
        }
    }

    [Fact]
    public void The_techniques_refuse_an_image_of_another_shape_or_a_class_the_output_lacks()
    {
        using var scope = NewDisposeScope();
        var wrong = zeros(1, 28, 28);
        var image = trained.Test.Data.Images[1];
        Assert.Contains("input shape [1, 16, 16]", Assert.Throws<ArgumentException>(() => Saliency.Map(Module, wrong, 1)).Message);
        Assert.Contains("class 2 is not a class", Assert.Throws<ArgumentOutOfRangeException>(() => Occlusion.Map(Module, image, 2)).Message);
        Assert.Contains("'gap' gives [16]", Assert.Throws<GraphException>(() => GradCam.Map(Module, image, 1, "gap")).Message);
        Assert.Throws<GraphException>(() => Activations.Of(Module, image, "nowhere"));
        Assert.Throws<ArgumentOutOfRangeException>(() => Occlusion.Map(Module, image, 1, size: 99));
    }

    [Fact]
    public void Cam_explains_why_it_needs_global_average_pooling()
    {
        var graph = Graph.Create("flat", Shape.Image(1, 16, 16))
            .Then("conv", Layers.Conv(4, 3)).Then("flatten", Layers.Flatten()).Then("fc", Layers.Dense(2));
        using var module = GraphModule.Create(graph);
        using var image = zeros(1, 16, 16);
        var error = Assert.Throws<GraphException>(() => Cam.Map(module, image, 0));
        Assert.Contains("use Grad-CAM", error.Message + error.Errors[0].Hint);
    }
}
