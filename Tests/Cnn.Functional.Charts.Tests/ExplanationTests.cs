using Cnn.Functional.Charts;
using Cnn.Functional.Dsl;
using Cnn.Functional.Torch;
using static TorchSharp.torch;

namespace Cnn.Functional.Tests;

/// <summary><see cref="Explanation"/> on LeNet-5 (untrained: the figures are checked against the library's own maps) and real test images.</summary>
public class ExplanationTests
{
    [Fact]
    public void Each_image_gets_a_map_per_class_and_method_with_the_figures_of_that_map()
    {
        using var test = FashionMnist.LoadTest(limit: 50);
        manual_seed(3);
        using var module = GraphModule.Create(LeNet.LeNet5());
        var options = new ExplanationOptions { Classes = EquatableArray.Of(ExplainedClass.True, ExplainedClass.Predicted) };
        var explanation = Explanation.Create(module, test, [4, 0], options);

        Assert.Equal("conv2", explanation.GradCamNode);
        Assert.Equal(2 * (1 + 6), explanation.Page.Charts);
        Assert.Equal([4, 0], explanation.Images.Select(i => i.Index));
        using var scope = NewDisposeScope();
        foreach (var image in explanation.Images)
        {
            Assert.Equal((int)test.Labels[image.Index].item<long>(), image.Label);
            Assert.Equal(ModelEvaluation.Predict(module, test.Images[image.Index]).Class, image.Predicted);
            Assert.Equal([image.Label, image.Label, image.Label, image.Predicted, image.Predicted, image.Predicted], image.Maps.Select(m => m.Class));
            var saliency = image.Maps.First(m => m.Method == AttributionMethod.Saliency);
            Assert.Equal(Saliency.Map(module, test.Images[image.Index], image.Label), saliency.Map);
            Assert.Equal(saliency.Map.TopMass(0.1), saliency.TopMass);
            Assert.Equal(saliency.Map.Peak(), saliency.Peak);
            Assert.All(image.Maps, m => Assert.Equal((28, 28), (m.Map.Height, m.Map.Width)));
            Assert.All(image.Maps, m => Assert.InRange(m.ObjectMass, 0, 1));
        }
    }

    [Fact]
    public void Out_of_range_images_and_nodes_without_maps_are_refused_by_name()
    {
        using var test = FashionMnist.LoadTest(limit: 50);
        using var module = GraphModule.Create(LeNet.LeNet5());
        var range = Assert.Throws<ArgumentException>(() => Explanation.Create(module, test, [50]));
        Assert.StartsWith("image 50 is out of range: Fashion-MNIST test has 50 images, indices 0 to 49", range.Message);
        var node = Assert.Throws<GraphException>(() => Explanation.Create(module, test, [0], new ExplanationOptions("fc2")));
        Assert.Equal("fc2: Grad-CAM weighs 2-D maps [C, h, w]; this node gives [84]. Hint: the nodes with 2-D maps are conv1, relu1, pool1, conv2, relu2, pool2", node.Message);
    }
}
