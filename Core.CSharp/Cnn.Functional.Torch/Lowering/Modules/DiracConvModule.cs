using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Cnn.Functional.Torch;

/// <summary>
/// <see cref="DiracConv"/> (Zagoruyko &amp; Komodakis, 2017, "DiracNets"): a stride-1 convolution with the kernel
/// Ŵ = diag(α)·I + diag(β)·W/‖W‖, ‖W‖ the L2 norm of each filter, I the Dirac delta kernel (<c>dirac_</c>:
/// I[i, i, centre] = 1 for i &lt; min(F, C), so with β = 0 the layer passes input channel i to output i).
/// <c>[N, C, *S] → [N, F, *S']</c>. As in the authors' <c>DiracConv2d</c>: weight [F, C, *K] and bias [F] get a
/// plain convolution's initialisation (U[−1/√n, 1/√n], n = C·ΠK), alpha [F] starts at 1 and beta [F] at 0.1. The
/// delta kernel is derived, not learned, so it is not in the state dict (<see cref="StateDictLayout"/>).
/// </summary>
internal sealed class DiracConvModule : NodeModule
{
    private readonly Parameter weight, alpha, beta;
    private readonly Parameter? bias;
    private readonly WindowPadding window;
    private readonly long[] stride, dilation;

    public DiracConvModule(string name, InferredNode node, DiracConv conv) : base(name)
    {
        var input = node.InputShapes[0];
        var g = WindowGeometry.For(node.Path, conv.Kind, input, conv.Kernel, 1, conv.Dilation, conv.Padding, Rounding.Exact, pooling: false);
        var kernel = g.Kernel.Longs();
        var fanIn = (long)(input.Channels * kernel.Product());
        weight = FanInWeight([conv.Filters, input.Channels, .. kernel], fanIn);
        bias = FanInBias(conv.Bias, conv.Filters, fanIn);
        alpha = Filled("alpha", [conv.Filters], 1);
        beta = Filled("beta", [conv.Filters], 0.1);
        window = new WindowPadding(this, node.InputShapes[0], g, PaddingMode.Zeros);
        stride = g.Stride.Longs();
        dilation = g.Dilation.Longs();
    }

    public override Tensor Forward(IReadOnlyList<Tensor> inputs)
    {
        using var scope = NewDisposeScope();
        // [F, 1, 1, …]: one α and one β per filter.
        long[] shape = [weight.shape[0], .. Enumerable.Repeat(1L, (int)weight.dim() - 1)];
        var normalised = F.normalize(weight.reshape(weight.shape[0], -1)).reshape(weight.shape);
        // The delta kernel is derived, not state: made here, in the weight's type and on its device.
        var delta = zeros_like(weight);
        nn.init.dirac_(delta);
        var kernel = alpha.reshape(shape) * delta + beta.reshape(shape) * normalised;
        return ConvModule.Convolve(inputs[0], kernel, bias, window, stride, dilation, 1).MoveToOuterDisposeScope();
    }
}
