using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Cnn.Functional.Torch;

/// <summary>
/// <see cref="ConvTranspose"/> in 1, 2 or 3 dimensions, libtorch's <c>conv_transpose</c>:
/// <c>[N, C, *S] → [N, F, *S']</c>, S' = (S − 1)·stride + D(K − 1) + 1 − 2P + output padding.
/// Weight [C, F/G, *K] (PyTorch's layout for the adjoint of a convolution), bias [F]; both from U[−1/√n, 1/√n]
/// with n = (F/G)·ΠK, the fan-in PyTorch computes for this layout.
/// </summary>
internal sealed class ConvTransposeModule : NodeModule
{
    private readonly Parameter weight;
    private readonly Parameter? bias;
    private readonly long[] stride, padding, outputPadding, dilation;
    private readonly long groups;

    public ConvTransposeModule(string name, InferredNode node, ConvTranspose conv) : base(name)
    {
        var input = node.InputShapes[0];
        var rank = input.SpatialRank;
        var kernel = Sizes.Expand(conv.Kernel, rank);
        var fanIn = (long)(conv.Filters / conv.Groups * kernel.Product());
        weight = FanInWeight([input.Channels, conv.Filters / conv.Groups, .. kernel], fanIn);
        bias = FanInBias(conv.Bias, conv.Filters, fanIn);
        stride = Sizes.Expand(conv.Stride, rank);
        padding = Sizes.Expand(conv.Padding, rank);
        outputPadding = Sizes.Expand(conv.OutputPadding, rank);
        dilation = Sizes.Expand(conv.Dilation, rank);
        groups = conv.Groups;
    }

    public override Tensor Forward(IReadOnlyList<Tensor> inputs) => stride.Length switch
    {
        1 => F.conv_transpose1d(inputs[0], weight, bias, stride[0], padding[0], outputPadding[0], dilation[0], groups),
        2 => F.conv_transpose2d(inputs[0], weight, bias, stride, padding, outputPadding, dilation, groups),
        _ => F.conv_transpose3d(inputs[0], weight, bias, stride, padding, outputPadding, dilation, groups),
    };
}
