namespace Cnn.Functional;

/// <summary>
/// Convolution with a connection table (LeCun et al., 1998, Table I: layer C3 of LeNet-5): filter f sees only
/// the input channels listed in <paramref name="Connections"/>[f], which breaks symmetry between feature maps
/// and keeps the number of connections in bounds. <c>[N, C, *S] → [N, F, *S']</c>, S' as for <see cref="Conv"/>;
/// F is the number of rows of the table. Parameters: Σ_f |Connections[f]|·ΠK + F biases
/// (C3: 60 connections · 25 + 16 = 1,516).
/// </summary>
public sealed record PartialConv(EquatableArray<EquatableArray<int>> Connections, Size Kernel, Size Stride, Padding Padding, bool Bias) : Layer
{
    public override string Kind => "partialConv";

    /// <summary>LeNet-5's C3 table: which of S2's 6 maps each of C3's 16 maps reads.</summary>
    public static EquatableArray<EquatableArray<int>> LeNetC3 { get; } = new int[][]
    {
        [0, 1, 2], [1, 2, 3], [2, 3, 4], [3, 4, 5], [0, 4, 5], [0, 1, 5],
        [0, 1, 2, 3], [1, 2, 3, 4], [2, 3, 4, 5], [0, 3, 4, 5], [0, 1, 4, 5], [0, 1, 2, 5],
        [0, 1, 3, 4], [1, 2, 4, 5], [0, 2, 3, 5],
        [0, 1, 2, 3, 4, 5],
    }.Select(row => row.ToEquatableArray()).ToEquatableArray();

    public override LayerInfo? Infer(LayerContext c)
    {
        if (!c.RequireSpatial()) return null;
        var filters = Connections.Count;
        c.AtLeastOne(filters, "filters (rows of the connection table)");
        for (var f = 0; f < filters; f++)
        {
            var row = Connections[f];
            if (!c.Check(row.Count > 0, $"filter {f} of the connection table reads no input channel")) continue;
            foreach (var channel in row)
                c.Check(channel >= 0 && channel < c.Input.Channels,
                    $"filter {f} reads input channel {channel}, but the input {c.Input} has channels 0 to {c.Input.Channels - 1}");
            c.Check(row.Distinct().Count() == row.Count, $"filter {f} lists an input channel twice");
        }
        var g = WindowGeometry.Resolve(c, Kernel, Stride, 1, Padding, Rounding.Exact, pooling: false);
        if (g is null || c.Failed) return null;
        var connections = Connections.Sum(row => (long)row.Count);
        var taps = c.Product(g.Kernel.Select(k => (long)k).ToArray());
        var positions = c.Product(g.Output.Select(o => (long)o).ToArray());
        var weights = taps is null ? null : c.Product(connections, taps.Value);
        var macs = weights is null || positions is null ? null : c.Product(weights.Value, positions.Value);
        // F biases on Σ|row|·ΠK weights can pass 2⁶³ − 1: report it, never wrap.
        var parameters = weights is null ? null : c.Sum(weights.Value, Bias ? filters : 0);
        if (parameters is null || macs is null) return null;
        return new LayerInfo(ConvCounts.OutputShape(filters, g.Output), parameters.Value, macs.Value, 0, SpatialMap.Window(g.Extent, g.Stride));
    }
}

/// <summary>
/// LeNet's trainable subsampling (LeCun et al., 1998, layers S2 and S4): each unit sums a window of its
/// channel, multiplies by a trainable coefficient and adds a trainable bias (one of each per channel).
/// <c>[N, C, *S] → [N, C, *S']</c>, S' = (S − F)/stride + 1. Parameters: 2C.
/// </summary>
public sealed record Subsampling(Size Window, Size Stride) : Layer
{
    public override string Kind => "subsampling";

    public override LayerInfo? Infer(LayerContext c)
    {
        if (!c.RequireSpatial()) return null;
        var g = WindowGeometry.Resolve(c, Window, Stride, 1, Padding.Valid, Rounding.Exact, pooling: true);
        if (g is null || c.Failed) return null;
        var positions = c.Product([c.Input.Channels, .. g.Output.Select(o => (long)o)]);
        return positions is null ? null : new LayerInfo(ConvCounts.OutputShape(c.Input.Channels, g.Output), 2L * c.Input.Channels, positions.Value, 0, SpatialMap.Window(g.Extent, g.Stride));
    }
}

/// <summary>
/// LeNet's Euclidean radial basis function output layer (LeCun et al., 1998, eq. 7): yᵢ = Σⱼ (xⱼ − wᵢⱼ)², the
/// distance of the input to a fixed prototype per class (stylised 7×12 bitmaps of the characters).
/// <c>[N, I] → [N, U]</c>. The prototypes are fixed, not learned: they are counted as buffers (U·I), not parameters.
/// </summary>
public sealed record RbfOutput(int Units) : Layer
{
    public override string Kind => "rbfOutput";

    public override LayerInfo? Infer(LayerContext c)
    {
        var ok = c.AtLeastOne(Units, "units");
        if (!c.Check(c.Input.IsFlat, $"an RBF output layer expects a flat input [features]; got {c.Input}", "add Flatten before it")) return null;
        var prototypes = ok ? c.Product(Units, c.Input.Channels) : null;
        return prototypes is null ? null : new LayerInfo(Shape.Vector(Units), 0, prototypes.Value, prototypes.Value, SpatialMap.Identity);
    }
}
