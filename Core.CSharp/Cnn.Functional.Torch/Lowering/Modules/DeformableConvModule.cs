using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Cnn.Functional.Torch;

/// <summary>
/// <see cref="DeformableConv"/> (Dai et al., 2017; the lecture's eqs. 1–4), implemented here because neither
/// libtorch nor TorchVision# has <c>deform_conv2d</c>. <c>[N, C, H, W] → [N, F, H', W']</c>.
/// <list type="number">
/// <item>An offset convolution over the input (same kernel, stride, padding and dilation; offset.weight
/// [2·G_off·ΠK, C, *K], offset.bias) predicts Δpₙ for every tap n, offset group and output position, laid out as
/// torchvision's <c>deform_conv2d</c> expects: channel 2(g·ΠK + n) is Δy, the next one Δx. It starts at zero, as
/// in the paper, so the layer starts as the plain convolution.</item>
/// <item>Each input channel of offset group g is read at p = p₀ + pₙ + Δpₙ by bilinear interpolation,
/// x(p) = Σ_q G(q, p)·x(q) with G(q, p) = g(q_y, p_y)·g(q_x, p_x) and g(a, b) = max(0, 1 − |a − b|) (eqs. 3–4):
/// the four integer neighbours of p, each weighted by its distance; neighbours outside the input read zero (the
/// zero padding). The weights are differentiable in p, so the offsets get eq. 7's gradient from autograd.</item>
/// <item>The sampled values [N, C·ΠK, H'·W'] — what <c>unfold</c> would give for a regular grid — are multiplied
/// by weight [F, C/G, *K] group by group (eq. 2), and bias [F] is added.</item>
/// </list>
/// Main weight and bias: U[−1/√n, 1/√n], n = (C/G)·ΠK.
/// </summary>
internal sealed class DeformableConvModule : NodeModule
{
    private readonly WeightsModule offset;
    private readonly Parameter weight;
    private readonly Parameter? bias;
    private readonly WindowPadding window;
    private readonly long[] kernel, stride, dilation, padBefore, output;
    private readonly long filters, groups, offsetGroups;

    public DeformableConvModule(string name, InferredNode node, DeformableConv conv) : base(name)
    {
        var input = node.InputShapes[0];
        var g = WindowGeometry.For(node.Path, conv.Kind, input, conv.Kernel, conv.Stride, conv.Dilation, conv.Padding, conv.Rounding, pooling: false);
        kernel = g.Kernel.Longs();
        stride = g.Stride.Longs();
        dilation = g.Dilation.Longs();
        padBefore = g.PadBefore.Longs();
        output = g.Output.Longs();
        filters = conv.Filters;
        groups = conv.Groups;
        offsetGroups = conv.OffsetGroups;
        var offsets = 2 * offsetGroups * kernel.Product();
        offset = Weights("offset", NewFilled([offsets, input.Channels, .. kernel], 0), NewFilled([offsets], 0));
        var fanIn = (long)(input.Channels / conv.Groups * kernel.Product());
        weight = FanInWeight([filters, input.Channels / conv.Groups, .. kernel], fanIn);
        bias = FanInBias(conv.Bias, filters, fanIn);
        window = new WindowPadding(this, node.InputShapes[0], g, PaddingMode.Zeros);
    }

    public override Tensor Forward(IReadOnlyList<Tensor> inputs)
    {
        using var scope = NewDisposeScope();
        var x = inputs[0];
        var offsets = ConvModule.Convolve(x, offset.Weight, offset.Bias, window, stride, dilation, 1);
        var columns = Sample(x, offsets);
        var (n, c, positions) = (x.shape[0], x.shape[1], output[0] * output[1]);
        var perGroup = c / groups * kernel.Product();
        // [G, F/G, (C/G)·ΠK] @ [N, G, (C/G)·ΠK, P] → [N, G, F/G, P]: the grouped convolution of eq. 2.
        var y = weight.reshape(groups, filters / groups, perGroup).matmul(columns.reshape(n, groups, perGroup, positions));
        y = y.reshape(n, filters, output[0], output[1]);
        if (bias is not null) y = y + bias.reshape(1, filters, 1, 1);
        return y.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// x read at p₀ + pₙ + Δpₙ for every channel, tap and output position: [N, C, ΠK, H'·W'], with
    /// <paramref name="offsets"/> [N, 2·G_off·ΠK, H', W'].
    /// </summary>
    private Tensor Sample(Tensor x, Tensor offsets)
    {
        var (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3]);
        var taps = kernel.Product();
        var (oh, ow) = (output[0], output[1]);
        var delta = offsets.reshape(n, offsetGroups, taps, 2, oh, ow);
        // The regular grid p₀ + pₙ (eq. 1): row o·stride − pad + k·dilation for tap (k_y, k_x) = (n / K_x, n mod K_x).
        var rowTap = arange(kernel[0], dtype: x.dtype).mul(dilation[0]).repeat_interleave(kernel[1]);
        var colTap = arange(kernel[1], dtype: x.dtype).mul(dilation[1]).repeat(kernel[0]);
        var rows = arange(oh, dtype: x.dtype).mul(stride[0]).sub(padBefore[0]);
        var cols = arange(ow, dtype: x.dtype).mul(stride[1]).sub(padBefore[1]);
        var py = rowTap.reshape(1, 1, taps, 1, 1) + rows.reshape(1, 1, 1, oh, 1) + delta.select(3, 0);
        var px = colTap.reshape(1, 1, taps, 1, 1) + cols.reshape(1, 1, 1, 1, ow) + delta.select(3, 1);

        // Bilinear kernel (eq. 4): the four integer neighbours q of p, weighted max(0, 1 − |q − p|) per axis.
        var y0 = py.floor().detach();
        var x0 = px.floor().detach();
        var ly = py - y0;
        var lx = px - x0;
        var channels = c / offsetGroups;
        var source = x.reshape(n, offsetGroups, channels, h * w);
        Tensor? sum = null;
        foreach (var (dy, dx) in new[] { (0, 0), (0, 1), (1, 0), (1, 1) })
        {
            var qy = y0 + dy;
            var qx = x0 + dx;
            var weightY = dy == 0 ? 1 - ly : ly;
            var weightX = dx == 0 ? 1 - lx : lx;
            // A neighbour outside the input is the zero padding: it reads nothing.
            var inside = qy.ge(0) & qy.le(h - 1) & qx.ge(0) & qx.le(w - 1);
            var index = (qy.clamp(0, h - 1) * w + qx.clamp(0, w - 1)).to(ScalarType.Int64).reshape(n, offsetGroups, 1, taps * oh * ow);
            var value = source.gather(3, index.expand(n, offsetGroups, channels, taps * oh * ow));
            var term = value * (weightY * weightX * inside.to(x.dtype)).reshape(n, offsetGroups, 1, taps * oh * ow);
            sum = sum is null ? term : sum + term;
        }
        return sum!.reshape(n, c, taps, oh * ow);
    }
}
