namespace Cnn.Functional;

/// <summary>
/// Spatially separable convolution: a K×K kernel factored into a K×1 column and a 1×K row, as in the lecture's
/// Sobel example [[−1,0,1],[−2,0,2],[−1,0,1]] = [1,2,1]ᵀ × [−1,0,1]. The first factor is a full convolution
/// along the first spatial dimension (C → F channels); each further dimension is a depthwise convolution of
/// its own factor, so every (filter, channel) kernel is rank 1. The output size is that of the full
/// K×K convolution with the same stride and padding.
/// Parameters: F·C·K₁ + F·(K₂ + …) weights + F biases, instead of F·C·K₁·K₂·….
/// </summary>
public sealed record SpatiallySeparableConv(int Filters, Size Kernel, Size Stride, Padding Padding, bool Bias, Rounding Rounding) : Layer
{
    public override string Kind => "spatiallySeparableConv";

    public override LayerInfo? Infer(LayerContext c)
    {
        if (!c.RequireSpatial()) return null;
        c.AtLeastOne(Filters, "filters");
        var g = WindowGeometry.Resolve(c, Kernel, Stride, 1, Padding, Rounding, pooling: false);
        if (g is null || c.Failed) return null;

        // Step i applies factor i along dimension i: dimensions before it already have their output size.
        var input = c.Input.Spatial;
        var weights = new long[g.Kernel.Length];
        var stepMacs = new long[g.Kernel.Length];
        for (var i = 0; i < g.Kernel.Length; i++)
        {
            var fanIn = i == 0 ? c.Input.Channels : 1;
            var positions = c.Product(Enumerable.Range(0, input.Length).Select(j => (long)(j <= i ? g.Output[j] : input[j])).ToArray());
            var stepWeights = c.Product(Filters, fanIn, g.Kernel[i]);
            var step = positions is null || stepWeights is null ? null : c.Product(positions.Value, stepWeights.Value);
            if (step is null) return null;
            weights[i] = stepWeights!.Value;
            stepMacs[i] = step.Value;
        }
        var parameters = c.Sum([.. weights, Bias ? Filters : 0]);
        var macs = c.Sum(stepMacs);
        if (parameters is null || macs is null) return null;
        return new LayerInfo(ConvCounts.OutputShape(Filters, g.Output), parameters.Value, macs.Value, 0, SpatialMap.Window(g.Extent, g.Stride));
    }
}

/// <summary>
/// Depthwise-separable convolution (MobileNet, Xception): a depthwise convolution (groups = C, each channel
/// convolved with <paramref name="DepthMultiplier"/> filters of its own) followed by a 1×1 pointwise
/// convolution to F channels. <c>[N, C, *S] → [N, F, *S']</c>, S' as for <see cref="Conv"/>.
/// Parameters: C·M·ΠK + F·C·M weights + F biases (bias on the pointwise step only, as in Keras).
/// </summary>
public sealed record DepthwiseSeparableConv(
    int Filters,
    Size Kernel,
    Size Stride,
    Padding Padding,
    Size Dilation,
    int DepthMultiplier,
    bool Bias,
    Rounding Rounding) : Layer
{
    public override string Kind => "depthwiseSeparableConv";

    public override LayerInfo? Infer(LayerContext c)
    {
        if (!c.RequireSpatial()) return null;
        c.AtLeastOne(Filters, "filters");
        c.AtLeastOne(DepthMultiplier, "depth multiplier");
        var g = WindowGeometry.Resolve(c, Kernel, Stride, Dilation, Padding, Rounding, pooling: false);
        if (g is null || c.Failed) return null;
        var channels = c.Product(c.Input.Channels, DepthMultiplier);
        if (channels is null) return null;
        // The C·M intermediate channels are a channel count like any other: clamping them would give wrong counts.
        if (!c.Check(channels <= int.MaxValue, $"{c.Input.Channels}·{DepthMultiplier} = {channels} intermediate channels is too many")) return null;
        var depthwise = ConvCounts.Of(c, c.Input.Channels, (int)channels.Value, c.Input.Channels, g.Kernel, g.Output, bias: false);
        var pointwise = ConvCounts.Of(c, (int)channels.Value, Filters, 1, g.Kernel.Select(_ => 1).ToArray(), g.Output, Bias);
        if (depthwise is null || pointwise is null) return null;
        var parameters = c.Sum(depthwise.Value.Parameters, pointwise.Value.Parameters);
        var macs = c.Sum(depthwise.Value.Macs, pointwise.Value.Macs);
        if (parameters is null || macs is null) return null;
        return new LayerInfo(ConvCounts.OutputShape(Filters, g.Output), parameters.Value, macs.Value, 0, SpatialMap.Window(g.Extent, g.Stride));
    }
}
