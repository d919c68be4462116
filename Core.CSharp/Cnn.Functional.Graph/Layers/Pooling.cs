namespace Cnn.Functional;

/// <summary>What a pooling window computes (the lecture's alternatives). Applied to each channel independently.</summary>
public enum PoolKind
{
    /// <summary>The maximum; its gradient is routed to the arg-max ("the switches").</summary>
    Max,

    /// <summary>The mean.</summary>
    Average,

    /// <summary>The sum.</summary>
    Sum,

    /// <summary>The L2 norm, √(Σ x²).</summary>
    L2,
}

/// <summary>
/// Pooling over a sliding window: <c>[N, C, *S] → [N, C, *S']</c> with <c>S' = (S − F + 2P)/stride + 1</c>.
/// The stride defaults to the window (non-overlapping, e.g. F = 2, S = 2, which discards 75% of the
/// activations); a stride smaller than the window is overlapping pooling (AlexNet's F = 3, S = 2).
/// No parameters.
/// </summary>
public sealed record Pool(PoolKind Function, Size Window, Size Stride, Padding Padding, Rounding Rounding) : Layer
{
    public override string Kind => Function switch
    {
        PoolKind.Max => "maxPool",
        PoolKind.Average => "avgPool",
        PoolKind.Sum => "sumPool",
        _ => "l2Pool",
    };

    /// <summary>True when windows overlap (stride smaller than the window in some dimension).</summary>
    public bool IsOverlapping(int spatialRank) =>
        Enumerable.Range(0, spatialRank).Any(i => At(Stride, i) < At(Window, i));

    private static int At(Size s, int i) => s.IsUniform ? s.Values[0] : s.Values[Math.Min(i, s.Values.Count - 1)];

    public override LayerInfo? Infer(LayerContext c)
    {
        if (!c.RequireSpatial()) return null;
        c.Check(Enum.IsDefined(Function), $"unknown pooling function {(int)Function}");
        var g = WindowGeometry.Resolve(c, Window, Stride, 1, Padding, Rounding, pooling: true);
        if (g is null || c.Failed) return null;
        return new LayerInfo(ConvCounts.OutputShape(c.Input.Channels, g.Output), 0, 0, 0, SpatialMap.Window(g.Extent, g.Stride));
    }
}

/// <summary>
/// Global pooling over all positions of each channel: <c>[N, C, *S] → [N, C]</c>. Global average pooling is
/// Network-in-Network's alternative to fully connected layers (no parameters; f̄ᵢ = mean over x,y of fᵢ),
/// and is invariant to any spatial permutation, as are the global max, sum and L2 forms.
/// </summary>
public sealed record GlobalPool(PoolKind Function) : Layer
{
    public override string Kind => Function switch
    {
        PoolKind.Max => "globalMaxPool",
        PoolKind.Average => "globalAvgPool",
        PoolKind.Sum => "globalSumPool",
        _ => "globalL2Pool",
    };

    public override LayerInfo? Infer(LayerContext c)
    {
        if (!c.RequireSpatial()) return null;
        if (!c.Check(Enum.IsDefined(Function), $"unknown pooling function {(int)Function}")) return null;
        return new LayerInfo(Shape.Vector(c.Input.Channels), 0, 0, 0, SpatialMap.Global);
    }
}

/// <summary>
/// Adaptive pooling to a fixed output size, whatever the input size (PyTorch's AdaptiveAvgPool/MaxPool):
/// <c>[N, C, *S] → [N, C, *O]</c>; output cell i pools input positions ⌊i·S/O⌋ … ⌈(i+1)·S/O⌉ − 1.
/// This is how a network accepts images of varying size ("pooling can downsample … to a fixed length").
/// </summary>
public sealed record AdaptivePool(PoolKind Function, Size Output) : Layer
{
    public override string Kind => Function == PoolKind.Max ? "adaptiveMaxPool" : "adaptiveAvgPool";

    public override LayerInfo? Infer(LayerContext c)
    {
        if (!c.RequireSpatial()) return null;
        c.Check(Function is PoolKind.Max or PoolKind.Average, $"adaptive pooling supports Max and Average; got {Function}");
        var o = c.Resolve(Output, "output size", 1);
        if (o is null || c.Failed) return null;
        var input = c.Input.Spatial;
        // For receptive fields: the largest window ⌈S/O⌉ (+1 when it does not divide), advancing ⌊S/O⌋.
        var window = input.Select((s, i) => (int)Math.Min(((long)s + o[i] - 1) / o[i] + (s % o[i] == 0 ? 0 : 1), s)).ToArray();
        var stride = input.Select((s, i) => Math.Max(s / o[i], 1)).ToArray();
        return new LayerInfo(ConvCounts.OutputShape(c.Input.Channels, o), 0, 0, 0, SpatialMap.Window(window, stride));
    }
}
