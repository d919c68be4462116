using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Cnn.Functional.Torch;

/// <summary>
/// <see cref="LocallyConnected"/>, the lecture's unshared convolution: a convolution's windows, but each of the P
/// output positions o has its own filter bank, y[n, f, o] = b[o, f] + Σ_{c,k} w[o, f, c, k]·x[n, c, o·stride + k].
/// <c>[N, C, *S] → [N, F, *S']</c>; weight [*S', F, C, *K], bias [*S', F], both U[−1/√n, 1/√n] with n = C·ΠK.
/// The windows are cut with <c>unfold</c> along each spatial dimension ([N, C, *S', *K], any rank), and each
/// position's C·ΠK window values meet its own [F, C·ΠK] weights in one batched matrix product over positions.
/// </summary>
internal sealed class LocallyConnectedModule : NodeModule
{
    private readonly Parameter weight;
    private readonly Parameter? bias;
    private readonly WindowPadding window;
    private readonly long[] kernel, stride, output;
    private readonly long filters, taps;

    public LocallyConnectedModule(string name, InferredNode node, LocallyConnected layer) : base(name)
    {
        var input = node.InputShapes[0];
        var g = WindowGeometry.For(node.Path, layer.Kind, input, layer.Kernel, layer.Stride, 1, layer.Padding, layer.Rounding, pooling: false);
        kernel = g.Kernel.Longs();
        stride = g.Stride.Longs();
        output = g.Output.Longs();
        filters = layer.Filters;
        taps = input.Channels * kernel.Product();
        var fanIn = (long)(taps);
        weight = FanInWeight([.. output, filters, input.Channels, .. kernel], fanIn);
        bias = layer.Bias ? Uniform("bias", [.. output, filters], 1 / Math.Sqrt(fanIn)) : null;
        window = new WindowPadding(this, node.InputShapes[0], g, PaddingMode.Zeros, padsWhenever: true);
    }

    public override Tensor Forward(IReadOnlyList<Tensor> inputs)
    {
        using var scope = NewDisposeScope();
        var rank = kernel.Length;
        var n = inputs[0].shape[0];
        var positions = output.Product();
        var x = window.Pads ? window.Pad(inputs[0]) : inputs[0];
        // unfold(dim, size, step) appends a window dimension: [N, C, *S'] followed by [*K]. Floor rounding drops
        // the same trailing positions as the convolution would.
        for (var i = 0; i < rank; i++) x = x.unfold(2 + i, kernel[i], stride[i]);
        // [*S', N, C, *K] → [P, N, C·ΠK]: one matrix of windows per position, ordered (c, k) as the weight is.
        long[] order = [.. Enumerable.Range(2, rank).Select(d => (long)d), 0, 1, .. Enumerable.Range(2 + rank, rank).Select(d => (long)d)];
        var windows = x.permute(order).reshape(positions, n, taps);
        var y = windows.bmm(weight.reshape(positions, filters, taps).transpose(1, 2));
        if (bias is not null) y = y.add(bias.reshape(positions, 1, filters), Scalars.One);
        // [P, N, F] → [N, F, *S'].
        return y.permute(1, 2, 0).reshape([n, filters, .. output]).MoveToOuterDisposeScope();
    }
}
