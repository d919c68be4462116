namespace Cnn.Functional;

/// <summary>What a binary layer binarises (Rastegari et al., 2016, "XNOR-Net").</summary>
public enum Binarization
{
    /// <summary>Binary-Weight-Networks: W ≈ α·sign(W), with α = ‖W‖₁/n per filter; inputs stay real.</summary>
    Weights,

    /// <summary>XNOR-Networks: weights and inputs binarised (sign(I) ⊛ sign(W) ⊙ K·α), so the convolution is XNOR and popcount.</summary>
    WeightsAndInputs,
}

/// <summary>
/// A binary convolution (XNOR-Net / Binary-Weight-Network): the geometry and parameters of <see cref="Conv"/>,
/// with weights (and, for XNOR, inputs) replaced by their signs times a scaling factor computed from the
/// real-valued weights, which are what is learned (straight-through estimator for the sign's gradient).
/// <c>[N, C, *S] → [N, F, *S']</c>. Parameters: F·(C/G)·ΠK + F, as for the real-valued convolution.
/// </summary>
public sealed record BinaryConv(int Filters, Size Kernel, Size Stride, Padding Padding, int Groups, bool Bias, Binarization Mode, Rounding Rounding) : Layer
{
    public override string Kind => Mode == Binarization.WeightsAndInputs ? "xnorConv" : "binaryWeightConv";

    public override LayerInfo? Infer(LayerContext c)
    {
        if (!c.RequireSpatial()) return null;
        c.Check(Enum.IsDefined(Mode), $"unknown binarisation {(int)Mode}");
        ConvCounts.CheckGroups(c, Filters, Groups);
        var g = WindowGeometry.Resolve(c, Kernel, Stride, 1, Padding, Rounding, pooling: false);
        if (g is null || c.Failed) return null;
        var counts = ConvCounts.Of(c, c.Input.Channels, Filters, Groups, g.Kernel, g.Output, Bias);
        return counts is null ? null : new LayerInfo(ConvCounts.OutputShape(Filters, g.Output), counts.Value.Parameters, counts.Value.Macs, 0, SpatialMap.Window(g.Extent, g.Stride));
    }
}

/// <summary>
/// A binary fully connected layer (XNOR-Net's binarised FC layers): <c>[N, I] → [N, U]</c> with binarised
/// weights (and inputs, for XNOR) scaled by α per unit. Parameters: I·U + U.
/// </summary>
public sealed record BinaryDense(int Units, bool Bias, Binarization Mode) : Layer
{
    public override string Kind => Mode == Binarization.WeightsAndInputs ? "xnorDense" : "binaryWeightDense";

    public override LayerInfo? Infer(LayerContext c)
    {
        c.Check(Enum.IsDefined(Mode), $"unknown binarisation {(int)Mode}");
        var info = new Dense(Units, Bias).Infer(c);
        return c.Failed ? null : info;
    }
}
