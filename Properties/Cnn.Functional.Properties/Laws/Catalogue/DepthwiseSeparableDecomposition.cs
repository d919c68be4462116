using FsCheck;
using Cnn.Functional.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace Cnn.Functional.Properties;

/// <summary>
/// A depthwise-separable convolution equals a group convolution with groups = channels (each channel convolved with
/// its own M filters) followed by a 1×1 convolution. The right-hand side is built from the library's plain
/// <see cref="Conv"/> layers, lowered separately, with the separable layer's weights copied in: depthwise.weight
/// becomes the group convolution's weight, pointwise.weight and .bias the 1×1 convolution's.
/// </summary>
public sealed class DepthwiseSeparableDecomposition : Law
{
    public override string Name => "depthwise-separable-decomposition";

    public override string Statement => "depthwise-separable(x) = conv_{1×1}(conv_{groups = C}(x))";

    public override string Source => "lecture, 'Types of Convolution: Depth-wise Separable Convolution' (Chollet 2017, Xception; Howard et al. 2017, MobileNets)";

    public override Applicability AppliesTo(Subject subject) =>
        subject.Layer is DepthwiseSeparableConv ? Applicability.Yes : Applicability.No("it is not a depthwise-separable convolution");

    public override Gen<Trial> Trials(Subject subject) => TrialGenerators.Cases();

    public override Outcome Run(Subject subject, Trial trial)
    {
        var layer = (DepthwiseSeparableConv)subject.Layer!;
        var c = subject.InputShape.Channels;
        var graph = Graph.Create("decomposed", subject.InputShape)
            .Then("depthwise", Layers.Conv(c * layer.DepthMultiplier, layer.Kernel, layer.Stride, layer.Padding, layer.Dilation, groups: c, bias: false, rounding: layer.Rounding))
            .Then("pointwise", Layers.Conv(layer.Filters, 1, bias: layer.Bias));
        using var instance = subject.Create(trial.DType, trial.Seed);
        using var decomposed = GraphModule.Create(graph);
        decomposed.to(trial.DType);
        using (no_grad())
        {
            decomposed.state_dict()["depthwise.weight"].copy_(instance.Weight("depthwise.weight"));
            decomposed.state_dict()["pointwise.weight"].copy_(instance.Weight("pointwise.weight"));
            if (layer.Bias) decomposed.state_dict()["pointwise.bias"].copy_(instance.Weight("pointwise.bias"));
        }
        var x = trial.MakeInput(subject.InputShape);
        return Outcome.Of(Difference.Of("depthwise-separable(x)", instance.Forward(x), "conv1×1(conv_groups=C(x))", decomposed.forward(x), trial.DType));
    }
}
