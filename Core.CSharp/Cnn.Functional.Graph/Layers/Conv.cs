namespace Cnn.Functional;

/// <summary>
/// Convolution in 1, 2 or 3 spatial dimensions (the input's rank decides):
/// <c>[N, C, *S] → [N, F, *S']</c> with <c>S' = (S − D(K − 1) − 1 + 2P)/stride + 1</c> per dimension
/// (the lecture's <c>(W − F + 2P)/S + 1</c> with the dilated kernel of Yu &amp; Koltun).
/// A kernel of 1 is the lecture's 1×1 convolution (channel reduction); <paramref name="Groups"/> &gt; 1 is group
/// convolution (AlexNet's two streams): each of the G groups sees C/G input channels and makes F/G filters.
/// Parameters: F·(C/G)·ΠK weights + F biases.
/// </summary>
public sealed record Conv(
    int Filters,
    Size Kernel,
    Size Stride,
    Padding Padding,
    Size Dilation,
    int Groups,
    bool Bias,
    Rounding Rounding,
    PaddingMode PaddingMode) : Layer
{
    public override string Kind => "conv";

    public override LayerInfo? Infer(LayerContext c)
    {
        if (!c.RequireSpatial()) return null;
        ConvCounts.CheckGroups(c, Filters, Groups);
        var g = WindowGeometry.Resolve(c, Kernel, Stride, Dilation, Padding, Rounding, pooling: false);
        if (g is null || c.Failed) return null;
        var counts = ConvCounts.Of(c, c.Input.Channels, Filters, Groups, g.Kernel, g.Output, Bias);
        return counts is null ? null : new LayerInfo(ConvCounts.OutputShape(Filters, g.Output), counts.Value.Parameters, counts.Value.Macs, 0, SpatialMap.Window(g.Extent, g.Stride));
    }
}

/// <summary>Parameter and MAC counts shared by every weight-sharing convolution.</summary>
internal static class ConvCounts
{
    public static void CheckGroups(LayerContext c, int filters, int groups)
    {
        var okFilters = c.AtLeastOne(filters, "filters");
        if (!c.AtLeastOne(groups, "groups")) return;
        c.Divides(groups, c.Input.Channels, "groups", "input channels");
        if (okFilters) c.Divides(groups, filters, "groups", "filters");
    }

    /// <summary>F·(C/G)·ΠK weights (+ F biases); MACs = output positions · F · (C/G)·ΠK.</summary>
    public static (long Parameters, long Macs)? Of(LayerContext c, int inChannels, int filters, int groups, int[] kernel, int[] output, bool bias)
    {
        var perFilter = c.Product([inChannels / groups, .. kernel.Select(k => (long)k)]);
        var weights = perFilter is null ? null : c.Product(filters, perFilter.Value);
        var positions = c.Product(output.Select(o => (long)o).ToArray());
        var macs = weights is null || positions is null ? null : c.Product(positions.Value, weights.Value);
        var parameters = weights is null ? null : c.Sum(weights.Value, bias ? filters : 0);
        if (parameters is null || macs is null) return null;
        return (parameters.Value, macs.Value);
    }

    public static Shape OutputShape(int channels, int[] spatial) => Shape.Of([channels, .. spatial]);
}
