namespace Cnn.Functional;

/// <summary>
/// Deformable convolution (Dai et al., 2017; the lecture's eqs. 1–4): a regular 2-D convolution whose
/// sampling grid is shifted by learned fractional offsets, y(p₀) = Σₙ w(pₙ)·x(p₀ + pₙ + Δpₙ), with x(p)
/// read by bilinear interpolation. The offsets come from a convolution over the same input with the same
/// kernel, stride, padding and dilation, producing 2·ΠK offsets per offset group.
/// <c>[N, C, H, W] → [N, F, H', W']</c>, H', W' as for <see cref="Conv"/>.
/// Parameters: the offset convolution's (2·G_off·ΠK)·C·ΠK + 2·G_off·ΠK, plus the main F·(C/G)·ΠK + F.
/// </summary>
public sealed record DeformableConv(
    int Filters,
    Size Kernel,
    Size Stride,
    Padding Padding,
    Size Dilation,
    int Groups,
    int OffsetGroups,
    bool Bias,
    Rounding Rounding) : Layer
{
    public override string Kind => "deformableConv";

    public override LayerInfo? Infer(LayerContext c)
    {
        if (!c.RequireSpatial()) return null;
        if (!c.Check(c.Input.SpatialRank == 2, $"deformable convolution is defined for 2-D inputs [C, H, W]; got {c.Input}")) return null;
        ConvCounts.CheckGroups(c, Filters, Groups);
        if (c.AtLeastOne(OffsetGroups, "offset groups"))
            c.Divides(OffsetGroups, c.Input.Channels, "offset groups", "input channels");
        var g = WindowGeometry.Resolve(c, Kernel, Stride, Dilation, Padding, Rounding, pooling: false);
        if (g is null || c.Failed) return null;

        var taps = g.Kernel.Aggregate(1L, (a, k) => a * k);
        var offsetChannels = c.Product(2, OffsetGroups, taps);
        if (offsetChannels is null || offsetChannels > int.MaxValue) { c.Error($"{offsetChannels} offset channels is too many"); return null; }
        var offsets = ConvCounts.Of(c, c.Input.Channels, (int)offsetChannels.Value, 1, g.Kernel, g.Output, bias: true);
        var main = ConvCounts.Of(c, c.Input.Channels, Filters, Groups, g.Kernel, g.Output, Bias);
        // Bilinear sampling reads 4 neighbours for each of the C·ΠK samples at every output position.
        var sampling = c.Product(4, c.Input.Channels, taps, g.Output[0], g.Output[1]);
        if (offsets is null || main is null || sampling is null) return null;
        var parameters = c.Sum(offsets.Value.Parameters, main.Value.Parameters);
        var macs = c.Sum(offsets.Value.Macs, main.Value.Macs, sampling.Value);
        if (parameters is null || macs is null) return null;
        return new LayerInfo(ConvCounts.OutputShape(Filters, g.Output), parameters.Value, macs.Value, 0, SpatialMap.Window(g.Extent, g.Stride));
    }
}
