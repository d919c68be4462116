using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Cnn.Functional.Torch;

/// <summary>
/// Binarisation as in Rastegari et al. (2016), "XNOR-Net", with the straight-through estimator: the forward pass
/// uses signs, the backward pass the gradients the paper gives for them.
/// </summary>
internal static class Binarize
{
    /// <summary>
    /// Binary-Weight-Network weights W̃ = α·sign(W), α = mean|W| over each output unit's weights (‖W‖₁/n, §3.1),
    /// sign(0) = +1 so every entry is ±α. Backward follows the paper's ∂C/∂Wᵢ = ∂C/∂W̃ᵢ·(1/n + α·1_{|Wᵢ|≤1}):
    /// the value is built as α·sign(W) + α·(h − h) + (W − W)/n with h = clamp(W, −1, 1) and the subtracted copies
    /// detached, which adds exactly zero forward and gives exactly those gradients.
    /// </summary>
    public static Tensor Weights(Tensor w)
    {
        using var scope = NewDisposeScope();
        var dims = Enumerable.Range(1, (int)w.dim() - 1).Select(d => (long)d).ToArray();
        var n = w.numel() / w.shape[0];
        var alpha = w.detach().abs().mean(dims, keepdim: true);
        var h = w.clamp(-1, 1);
        var binary = alpha * Sign(w.detach()) + alpha * (h - h.detach()) + (w - w.detach()) / n;
        return binary.MoveToOuterDisposeScope();
    }

    /// <summary>XNOR-Net's binary input sign(I), ±1, with the STE gradient ∂C/∂I = ∂C/∂sign(I)·1_{|I|≤1} (§3.2).</summary>
    public static Tensor Input(Tensor x)
    {
        using var scope = NewDisposeScope();
        var h = x.clamp(-1, 1);
        return (Sign(x.detach()) + (h - h.detach())).MoveToOuterDisposeScope();
    }

    /// <summary>+1 where x ≥ 0, −1 elsewhere: binary, unlike <c>sign</c>, which maps 0 to 0.</summary>
    private static Tensor Sign(Tensor x)
    {
        using var positive = x.ge(0);
        using var zeroOrOne = positive.to(x.dtype);
        using var doubled = zeroOrOne * 2;
        return doubled - 1;
    }
}

/// <summary>
/// <see cref="BinaryConv"/>: a convolution with weights α·sign(W) (Binary-Weight-Network) and, for XNOR-Net, inputs
/// sign(I) and the output scaled by K, the mean of |I| over the input channels (of the filter's group) averaged over
/// each window — the paper's K = A ⊛ k with A = Σ|I_c|/c and k the 1/ΠK box filter (§3.2, Fig. 2), on the same
/// padded grid as the convolution. K is a scale, not a signal: it is computed without gradient, so the input's
/// gradient is exactly the paper's STE one. Padding stays zero (neither +1 nor −1), as the signs are zero-padded. <c>[N, C, *S] → [N, F, *S']</c>; weight [F, C/G, *K] and bias [F]
/// learned real-valued, U[−1/√n, 1/√n] with n = (C/G)·ΠK; the bias is added after scaling.
/// </summary>
internal sealed class BinaryConvModule : NodeModule
{
    private readonly Parameter weight;
    private readonly Parameter? bias;
    private readonly WindowPadding window;
    private readonly long[] kernel, stride, dilation;
    private readonly long filters, groups;
    private readonly bool xnor;

    public BinaryConvModule(string name, InferredNode node, BinaryConv conv) : base(name)
    {
        var input = node.InputShapes[0];
        var g = WindowGeometry.For(node.Path, conv.Kind, input, conv.Kernel, conv.Stride, 1, conv.Padding, conv.Rounding, pooling: false);
        kernel = g.Kernel.Longs();
        stride = g.Stride.Longs();
        dilation = g.Dilation.Longs();
        filters = conv.Filters;
        groups = conv.Groups;
        xnor = conv.Mode == Binarization.WeightsAndInputs;
        var fanIn = (long)(input.Channels / conv.Groups * kernel.Product());
        weight = FanInWeight([filters, input.Channels / conv.Groups, .. kernel], fanIn);
        bias = FanInBias(conv.Bias, filters, fanIn);
        window = new WindowPadding(this, node.InputShapes[0], g, PaddingMode.Zeros);
    }

    public override Tensor Forward(IReadOnlyList<Tensor> inputs)
    {
        using var scope = NewDisposeScope();
        var x = inputs[0];
        var w = Binarize.Weights(weight);
        if (!xnor) return ConvModule.Convolve(x, w, bias, window, stride, dilation, groups).MoveToOuterDisposeScope();
        var y = ConvModule.Convolve(Binarize.Input(x), w, null, window, stride, dilation, groups) * Scale(x);
        if (bias is not null) y = y.add(bias.reshape(Sizes.PerChannel(filters, y.dim())), Scalars.One);
        return y.MoveToOuterDisposeScope();
    }

    // K [N, F, *S']: per group, A = mean over its channels of |I|, box-filtered over each window; repeated for its F/G filters.
    private Tensor Scale(Tensor x)
    {
        using var _ = no_grad();
        var n = x.shape[0];
        long[] grouped = [n, groups, x.shape[1] / groups, .. x.shape.Skip(2)];
        var a = x.abs().reshape(grouped).mean([2]);
        var box = full([groups, 1, .. kernel], 1.0 / kernel.Product(), dtype: x.dtype, device: x.device);
        var k = ConvModule.Convolve(a, box, null, window, stride, dilation, groups);
        return k.repeat_interleave(filters / groups, dim: 1);
    }
}

/// <summary>
/// <see cref="BinaryDense"/>: y = x·W̃ᵀ + b with W̃ = α·sign(W), α = mean|W| per unit; for XNOR-Net the input is
/// sign(x) and the product is scaled by K = mean|x| over the features of each example (the dense layer's single
/// window), computed without gradient as in <see cref="BinaryConvModule"/>. <c>[N, I] → [N, U]</c>; weight [U, I],
/// bias [U], U[−1/√I, 1/√I].
/// </summary>
internal sealed class BinaryDenseModule : NodeModule
{
    private readonly Parameter weight;
    private readonly Parameter? bias;
    private readonly bool xnor;

    public BinaryDenseModule(string name, int inputs, BinaryDense dense) : base(name)
    {
        var fanIn = (long)(inputs);
        weight = FanInWeight([dense.Units, inputs], fanIn);
        bias = FanInBias(dense.Bias, dense.Units, fanIn);
        xnor = dense.Mode == Binarization.WeightsAndInputs;
    }

    public override Tensor Forward(IReadOnlyList<Tensor> inputs)
    {
        using var scope = NewDisposeScope();
        var x = inputs[0];
        var w = Binarize.Weights(weight);
        if (!xnor) return F.linear(x, w, bias).MoveToOuterDisposeScope();
        Tensor k;
        using (no_grad()) k = x.abs().mean([1], keepdim: true);
        var y = F.linear(Binarize.Input(x), w) * k;
        if (bias is not null) y = y.add(bias, Scalars.One);
        return y.MoveToOuterDisposeScope();
    }
}
