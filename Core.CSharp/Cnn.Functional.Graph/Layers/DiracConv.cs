namespace Cnn.Functional;

/// <summary>
/// A convolution with the Dirac parameterisation (Zagoruyko &amp; Komodakis, 2017, "DiracNets"):
/// Ŵ = diag(a)·I + diag(b)·W/‖W‖, where I is the Dirac delta kernel, so a plain network without skip
/// connections starts close to the identity; at inference Ŵ folds into one ordinary kernel.
/// <c>[N, C, *S] → [N, F, *S']</c>, stride 1. With F = C, I is the identity; with F ≠ C (the first layer of a
/// DiracNet group that widens from C to F) I passes input channel i to filter i for i &lt; min(F, C) and is zero
/// elsewhere, as <c>torch.nn.init.dirac_</c> fills it and the authors' <c>DiracConv2d</c> allows.
/// Parameters: F·C·ΠK weights + 2F (a, b) + F biases.
/// </summary>
public sealed record DiracConv(int Filters, Size Kernel, Padding Padding, Size Dilation, bool Bias) : Layer
{
    public override string Kind => "diracConv";

    public override LayerInfo? Infer(LayerContext c)
    {
        if (!c.RequireSpatial()) return null;
        c.AtLeastOne(Filters, "filters");
        var g = WindowGeometry.Resolve(c, Kernel, 1, Dilation, Padding, Rounding.Exact, pooling: false);
        if (g is null || c.Failed) return null;
        var counts = ConvCounts.Of(c, c.Input.Channels, Filters, 1, g.Kernel, g.Output, Bias);
        // The scales a and b add 2F: near 2⁶³ that overflows like any count, and is reported, not wrapped.
        var parameters = counts is null ? null : c.Sum(counts.Value.Parameters, 2L * Filters);
        return parameters is null ? null : new LayerInfo(ConvCounts.OutputShape(Filters, g.Output), parameters.Value, counts!.Value.Macs, 0, SpatialMap.Window(g.Extent, g.Stride));
    }
}
