namespace Cnn.Functional;

/// <summary>
/// A convolution with the Dirac parameterisation (Zagoruyko &amp; Komodakis, 2017, "DiracNets"):
/// Ŵ = diag(a)·I + diag(b)·W/‖W‖, where I is the Dirac delta (identity) kernel, so a plain network without
/// skip connections starts close to the identity; at inference Ŵ folds into one ordinary kernel.
/// <c>[N, C, *S] → [N, C, *S']</c>: the identity needs as many filters as input channels.
/// Parameters: C·C·ΠK weights + 2C (a, b) + C biases.
/// </summary>
public sealed record DiracConv(int Filters, Size Kernel, Padding Padding, Size Dilation, bool Bias) : Layer
{
    public override string Kind => "diracConv";

    public override LayerInfo? Infer(LayerContext c)
    {
        if (!c.RequireSpatial()) return null;
        c.Check(Filters == c.Input.Channels,
            $"the Dirac parameterisation adds the identity, so filters must equal the input channels: {Filters} vs {c.Input.Channels}",
            "change the width with an ordinary convolution between Dirac groups");
        var g = WindowGeometry.Resolve(c, Kernel, 1, Dilation, Padding, Rounding.Exact, pooling: false);
        if (g is null || c.Failed) return null;
        var counts = ConvCounts.Of(c, c.Input.Channels, Filters, 1, g.Kernel, g.Output, Bias);
        return counts is null ? null : new LayerInfo(ConvCounts.OutputShape(Filters, g.Output), counts.Value.Parameters + 2L * Filters, counts.Value.Macs, 0, SpatialMap.Window(g.Extent, g.Stride));
    }
}
