using Cnn.Functional.Torch;
using TorchSharp;
using static Cnn.Functional.Tests.OneLayer;
using static TorchSharp.torch;

namespace Cnn.Functional.Tests;

/// <summary>
/// Every exotic layer in 1, 2 and 3 spatial dimensions (where defined) with strides, 'same' and explicit padding:
/// the output has the inferred shape, the state dict is <see cref="StateDictLayout"/> and every parameter gets a
/// finite gradient. (The property over random graphs does the same for the layers its generator knows.)
/// </summary>
public class ExoticLayerShapes
{
    public static TheoryData<string, Layer, Shape> Cases() => new()
    {
        { "convTranspose 1-d", Layers.ConvTranspose(3, 4, stride: 3, padding: 1, outputPadding: 2), Shape.Sequence(2, 5) },
        { "convTranspose 3-d", Layers.ConvTranspose(2, Size.Of(1, 2, 3), stride: 2, groups: 2, bias: false), Shape.Volume(4, 2, 3, 2) },
        { "depthwiseSeparable 1-d", Layers.DepthwiseSeparableConv(3, 5, stride: 2, padding: Padding.Same, dilation: 2), Shape.Sequence(2, 9) },
        { "depthwiseSeparable 3-d", Layers.DepthwiseSeparableConv(2, 2, padding: 1, depthMultiplier: 3, bias: false), Shape.Volume(2, 3, 3, 3) },
        { "spatiallySeparable 1-d", Layers.SpatiallySeparableConv(2, 3, stride: 2, rounding: Rounding.Floor), Shape.Sequence(3, 8) },
        { "spatiallySeparable 3-d", Layers.SpatiallySeparableConv(3, Size.Of(2, 1, 3), stride: Size.Of(1, 2, 1), padding: Padding.Of(0, 1, 1), rounding: Rounding.Floor), Shape.Volume(2, 4, 5, 3) },
        { "locallyConnected 1-d", Layers.LocallyConnected(2, 3, stride: 2, padding: Padding.Same), Shape.Sequence(3, 8) },
        { "locallyConnected 3-d", Layers.LocallyConnected(2, Size.Of(2, 1, 2), bias: false), Shape.Volume(2, 3, 2, 3) },
        { "deformable", Layers.DeformableConv(4, Size.Of(3, 2), stride: 2, padding: Padding.Same, groups: 2, offsetGroups: 4), Shape.Image(4, 7, 6) },
        { "deformable, floor", Layers.DeformableConv(2, 3, stride: 2, dilation: 2, rounding: Rounding.Floor, bias: false), Shape.Image(1, 8, 9) },
        { "coordConv 1-d", Layers.CoordConv(2, 3, padding: Padding.Same, withRadius: true), Shape.Sequence(1, 6) },
        { "coordConv 3-d", Layers.CoordConv(2, 2, stride: 2, withRadius: true, rounding: Rounding.Floor), Shape.Volume(2, 3, 4, 5) },
        { "partialConv 1-d", Layers.PartialConv([[1], [0, 1]], 3, stride: 2, padding: 1), Shape.Sequence(2, 7) },
        { "partialConv 3-d", Layers.PartialConv([[0, 2], [1], [2]], 2, bias: false), Shape.Volume(3, 2, 3, 3) },
        { "subsampling 1-d", Layers.Subsampling(3), Shape.Sequence(2, 9) },
        { "subsampling 3-d", Layers.Subsampling(Size.Of(1, 2, 2)), Shape.Volume(2, 3, 4, 2) },
        { "rbfOutput", Layers.RbfOutput(7), Shape.Vector(9) },
        { "binaryWeightConv 1-d", Layers.BinaryConv(4, 3, stride: 2, padding: Padding.Same, groups: 2), Shape.Sequence(2, 7) },
        { "xnorConv 3-d", Layers.BinaryConv(2, 2, padding: 1, mode: Binarization.WeightsAndInputs), Shape.Volume(3, 3, 2, 3) },
        { "xnorConv, same, groups", Layers.BinaryConv(6, 4, stride: 2, padding: Padding.Same, groups: 3, mode: Binarization.WeightsAndInputs), Shape.Image(3, 7, 6) },
        { "binaryWeightDense", Layers.BinaryDense(4), Shape.Vector(6) },
        { "xnorDense", Layers.BinaryDense(3, bias: false, mode: Binarization.WeightsAndInputs), Shape.Vector(5) },
        { "diracConv 1-d", Layers.DiracConv(4, 3, padding: Padding.Same, dilation: 2), Shape.Sequence(2, 6) },
        { "diracConv 3-d", Layers.DiracConv(2, Size.Of(3, 2, 1), bias: false), Shape.Volume(3, 4, 3, 2) },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Lowers_to_the_inferred_shape_and_layout_and_trains(string name, Layer layer, Shape input)
    {
        torch.manual_seed(1);
        var graph = Graph.Create(name.Replace(' ', '_'), input).Then("layer", layer).Infer();
        using var module = GraphModule.Create(graph);
        Assert.Equal(Layout.Of(graph), Layout.Of(module));
        using var scope = NewDisposeScope();
        // The input takes part in autograd too, so a layer without parameters (RBF output) still runs backward.
        var x = randn(Dims(input, 2)).requires_grad_();
        var y = module.forward(x);
        Assert.Equal(Dims(graph.Nodes[1].OutputShape, 2), y.shape);
        y.square().sum().backward();
        Assert.True(x.grad!.isfinite().all().item<bool>(), $"{name}: the input's gradient is not finite");
        Assert.All(module.named_parameters(), p =>
            Assert.True(p.parameter.grad is not null && p.parameter.grad.isfinite().all().item<bool>(), $"{name}: {p.name}"));
    }
}
