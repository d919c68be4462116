namespace Cnn.Functional;

/// <summary>
/// Position-sensitive convolution, CoordConv (Liu et al., 2018): before convolving, append one channel per
/// spatial dimension holding that coordinate scaled to [−1, 1] (and, if <paramref name="WithRadius"/>, the
/// distance from the centre), so the network can use position when it needs to.
/// <c>[N, C, *S] → [N, F, *S']</c>, S' as for <see cref="Conv"/>.
/// Parameters: F·(C + d (+1))·ΠK + F. Not translation-equivariant, by design.
/// </summary>
public sealed record CoordConv(
    int Filters,
    Size Kernel,
    Size Stride,
    Padding Padding,
    Size Dilation,
    bool WithRadius,
    bool Bias,
    Rounding Rounding) : Layer
{
    public override string Kind => "coordConv";

    /// <summary>How many coordinate channels are appended to an input with <paramref name="spatialRank"/> spatial dimensions.</summary>
    public int CoordinateChannels(int spatialRank) => spatialRank + (WithRadius ? 1 : 0);

    public override LayerInfo? Infer(LayerContext c)
    {
        if (!c.RequireSpatial()) return null;
        c.AtLeastOne(Filters, "filters");
        var g = WindowGeometry.Resolve(c, Kernel, Stride, Dilation, Padding, Rounding, pooling: false);
        if (g is null || c.Failed) return null;
        var channels = c.Input.Channels + (long)CoordinateChannels(c.Input.SpatialRank);
        if (!c.Check(channels <= int.MaxValue, $"{channels} input channels is too many")) return null;
        var counts = ConvCounts.Of(c, (int)channels, Filters, 1, g.Kernel, g.Output, Bias);
        return counts is null ? null : new LayerInfo(ConvCounts.OutputShape(Filters, g.Output), counts.Value.Parameters, counts.Value.Macs, 0, SpatialMap.Window(g.Extent, g.Stride));
    }
}
