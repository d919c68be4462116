using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Cnn.Functional.Torch;

/// <summary>
/// <see cref="DepthwiseSeparableConv"/> (MobileNet, Xception): a depthwise convolution (groups = C, M filters per
/// channel) then a 1×1 pointwise convolution, <c>[N, C, *S] → [N, C·M, *S'] → [N, F, *S']</c>.
/// depthwise.weight [C·M, 1, *K] (fan-in ΠK), pointwise.weight [F, C·M, 1, …] and pointwise.bias [F] (fan-in C·M).
/// </summary>
internal sealed class DepthwiseSeparableConvModule : NodeModule
{
    private readonly WeightsModule depthwise, pointwise;
    private readonly WindowPadding window;
    private readonly long[] stride, dilation;
    private readonly long channels;

    public DepthwiseSeparableConvModule(string name, InferredNode node, DepthwiseSeparableConv conv) : base(name)
    {
        var input = node.InputShapes[0];
        var g = WindowGeometry.For(node.Path, conv.Kind, input, conv.Kernel, conv.Stride, conv.Dilation, conv.Padding, conv.Rounding, pooling: false);
        var kernel = g.Kernel.Longs();
        var depth = (long)input.Channels * conv.DepthMultiplier;
        depthwise = Weights("depthwise", NewUniform([depth, 1, .. kernel], 1 / Math.Sqrt(kernel.Product())));
        pointwise = Weights("pointwise", NewUniform([conv.Filters, depth, .. kernel.Select(_ => 1L)], 1 / Math.Sqrt(depth)),
            conv.Bias ? NewUniform([conv.Filters], 1 / Math.Sqrt(depth)) : null);
        window = new WindowPadding(this, node.InputShapes[0], g, PaddingMode.Zeros);
        stride = g.Stride.Longs();
        dilation = g.Dilation.Longs();
        channels = input.Channels;
    }

    public override Tensor Forward(IReadOnlyList<Tensor> inputs)
    {
        using var depth = ConvModule.Convolve(inputs[0], depthwise.Weight, null, window, stride, dilation, channels);
        return ConvModule.ConvNd(depth, pointwise.Weight, pointwise.Bias, stride.Select(_ => 1L).ToArray());
    }
}

/// <summary>
/// <see cref="SpatiallySeparableConv"/>: the kernel factored along the spatial dimensions, as in the lecture's Sobel
/// example [[−1,0,1],[−2,0,2],[−1,0,1]] = [1,2,1]ᵀ × [−1,0,1]. Step 1 is a full convolution C → F with the
/// K₁×1×… factor (factor1.weight [F, C, K₁, 1, …]); step i is a depthwise convolution (groups = F) with the
/// 1×…×Kᵢ×… factor (factorI.weight [F, 1, …, Kᵢ, …]). Each step takes the stride of its own dimension, so the
/// composition is exactly the full convolution with the rank-1 kernel factor1[f, c] ⊗ factor2[f] ⊗ …, and has its
/// output size. The input is zero-padded once, before step 1. Each factor is drawn from U[−1/√n, 1/√n] with its
/// own fan-in (C·K₁, then Kᵢ); the bias [F], added after the last step, with that of the whole kernel, C·ΠK.
/// </summary>
internal sealed class SpatiallySeparableConvModule : NodeModule
{
    private readonly WeightsModule[] factors;
    private readonly Parameter? bias;
    private readonly WindowPadding window;
    private readonly long[] stride;
    private readonly long filters;

    public SpatiallySeparableConvModule(string name, InferredNode node, SpatiallySeparableConv conv) : base(name)
    {
        var input = node.InputShapes[0];
        var g = WindowGeometry.For(node.Path, conv.Kind, input, conv.Kernel, conv.Stride, 1, conv.Padding, conv.Rounding, pooling: false);
        var kernel = g.Kernel.Longs();
        var rank = kernel.Length;
        factors = new WeightsModule[rank];
        for (var i = 0; i < rank; i++)
        {
            var fanIn = (i == 0 ? input.Channels : 1) * kernel[i];
            factors[i] = Weights($"factor{i + 1}", NewUniform([conv.Filters, i == 0 ? input.Channels : 1, .. Sizes.Only(rank, i, kernel[i])], 1 / Math.Sqrt(fanIn)));
        }
        bias = conv.Bias ? Uniform("bias", [conv.Filters], 1 / Math.Sqrt(input.Channels * kernel.Product())) : null;
        window = new WindowPadding(this, node.InputShapes[0], g, PaddingMode.Zeros);
        stride = g.Stride.Longs();
        filters = conv.Filters;
    }

    public override Tensor Forward(IReadOnlyList<Tensor> inputs)
    {
        using var scope = NewDisposeScope();
        var rank = stride.Length;
        var x = window.NeedsPad ? window.Pad(inputs[0]) : inputs[0];
        // Symmetric padding of every dimension goes to step 1; later steps then read the padded extent.
        var padding = window.NeedsPad ? new long[rank] : window.Symmetric;
        var ones = Enumerable.Repeat(1L, rank).ToArray();
        var y = ConvModule.ConvNd(x, factors[0].Weight, rank == 1 ? bias : null, Sizes.Only(rank, 0, stride[0]), padding, ones, 1);
        for (var i = 1; i < rank; i++)
            y = ConvModule.ConvNd(y, factors[i].Weight, i == rank - 1 ? bias : null, Sizes.Only(rank, i, stride[i]), filters);
        return y.MoveToOuterDisposeScope();
    }
}
