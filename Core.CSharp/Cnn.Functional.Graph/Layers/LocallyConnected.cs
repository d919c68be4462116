namespace Cnn.Functional;

/// <summary>
/// Unshared convolution (locally connected layer): the geometry of a convolution, but every output position
/// has its own filters — for inputs whose parts need different processing, such as aligned faces (the
/// lecture's "unshared convolution"). <c>[N, C, *S] → [N, F, *S']</c>, S' as for <see cref="Conv"/>.
/// Parameters: ΠS'·F·C·ΠK weights + ΠS'·F biases. Not translation-equivariant, by design.
/// </summary>
public sealed record LocallyConnected(int Filters, Size Kernel, Size Stride, Padding Padding, bool Bias, Rounding Rounding) : Layer
{
    public override string Kind => "locallyConnected";

    public override LayerInfo? Infer(LayerContext c)
    {
        if (!c.RequireSpatial()) return null;
        c.AtLeastOne(Filters, "filters");
        var g = WindowGeometry.Resolve(c, Kernel, Stride, 1, Padding, Rounding, pooling: false);
        if (g is null || c.Failed) return null;
        var shared = ConvCounts.Of(c, c.Input.Channels, Filters, 1, g.Kernel, g.Output, bias: false);
        var positions = c.Product(g.Output.Select(o => (long)o).ToArray());
        if (shared is null || positions is null) return null;
        var weights = c.Product(positions.Value, shared.Value.Parameters);
        var biases = Bias ? c.Product(positions.Value, Filters) : 0;
        var parameters = weights is null || biases is null ? null : c.Sum(weights.Value, biases.Value);
        if (parameters is null) return null;
        return new LayerInfo(ConvCounts.OutputShape(Filters, g.Output), parameters.Value, shared.Value.Macs, 0, SpatialMap.Window(g.Extent, g.Stride));
    }
}
