namespace Cnn.Functional;

/// <summary>
/// Concatenation along the channels (GoogLeNet's Inception module, DenseNet): inputs
/// <c>[N, Cᵢ, *S]</c> with the same spatial size → <c>[N, ΣCᵢ, *S]</c>.
/// </summary>
public sealed record Concat : Layer
{
    public override string Kind => "concat";

    public override Arity Arity => Arity.Many;

    public override LayerInfo? Infer(LayerContext c)
    {
        var first = c.Inputs[0];
        for (var i = 1; i < c.Inputs.Count; i++)
        {
            var other = c.Inputs[i];
            c.Check(other.Rank == first.Rank && other.Spatial.SequenceEqual(first.Spatial),
                $"cannot concatenate {first} (from {c.InputPaths[0]}) and {other} (from {c.InputPaths[i]}) along the channels: " +
                (other.Rank != first.Rank ? $"ranks differ, {first.Rank} vs {other.Rank}" : $"spatial sizes differ, {string.Join("×", first.Spatial)} vs {string.Join("×", other.Spatial)}"),
                "the branches of a concatenation must keep the same spatial size (pad with 'same')");
        }
        if (c.Failed) return null;
        var channels = c.Inputs.Sum(s => (long)s.Channels);
        if (!c.Check(channels <= int.MaxValue, $"{channels} channels is too many")) return null;
        return new LayerInfo(first.WithChannels((int)channels), 0, 0, 0, SpatialMap.Identity);
    }
}

/// <summary>
/// Element-wise addition (ResNet's residual connection, y = F(x) + x): inputs of identical shape → that shape.
/// </summary>
public sealed record Add : Layer
{
    public override string Kind => "add";

    public override Arity Arity => Arity.Many;

    public override LayerInfo? Infer(LayerContext c) => Merge.SameShapes(c, "add") ? new LayerInfo(c.Inputs[0], 0, 0, 0, SpatialMap.Identity) : null;
}

/// <summary>
/// The highway gate (Srivastava et al., 2015, eq. 3): y = H(x)·T(x) + x·(1 − T(x)), from three inputs of
/// identical shape in this order: the transform H(x), the transform gate T(x) (usually a sigmoid, so in
/// [0, 1]) and the carried input x. The carry gate is C = 1 − T.
/// </summary>
public sealed record HighwayGate : Layer
{
    public override string Kind => "highwayGate";

    public override Arity Arity => Arity.Three;

    public override LayerInfo? Infer(LayerContext c) => Merge.SameShapes(c, "gate") ? new LayerInfo(c.Inputs[0], 0, 0, 0, SpatialMap.Identity) : null;
}

/// <summary>
/// A weighted sum of its inputs with one learned weight per input, kept positive by a sigmoid:
/// y = Σᵢ σ(wᵢ)·xᵢ — the aggregation at each node of a randomly wired network (Xie et al., 2019).
/// Inputs of identical shape → that shape. Parameters: one per input.
/// </summary>
public sealed record WeightedSum : Layer
{
    public override string Kind => "weightedSum";

    public override Arity Arity => Arity.Many;

    public override LayerInfo? Infer(LayerContext c) => Merge.SameShapes(c, "sum") ? new LayerInfo(c.Inputs[0], c.Inputs.Count, 0, 0, SpatialMap.Identity) : null;
}

internal static class Merge
{
    /// <summary>Checks that all inputs have the first input's shape, explaining every difference from it.</summary>
    public static bool SameShapes(LayerContext c, string verb)
    {
        var first = c.Inputs[0];
        for (var i = 1; i < c.Inputs.Count; i++)
        {
            var other = c.Inputs[i];
            if (other == first) continue;
            var channels = other.Channels != first.Channels;
            var spatial = !other.Spatial.SequenceEqual(first.Spatial);
            // Flat vectors have features, not channels, and are projected by a dense layer.
            var what = first.IsFlat ? "features" : "channels";
            var channelsWhy = $"{what} differ, {first.Channels} vs {other.Channels}";
            var spatialWhy = $"spatial sizes differ, {string.Join("×", first.Spatial)} vs {string.Join("×", other.Spatial)}";
            var why = other.Rank != first.Rank ? $"ranks differ, {first.Rank} vs {other.Rank}"
                : channels && spatial ? $"{channelsWhy}, and {spatialWhy}"
                : channels ? channelsWhy
                : spatialWhy;
            var hint = other.Rank != first.Rank ? null
                : channels && spatial ? "use a strided projection shortcut (a 1×1 convolution with a stride) so that both the channels and the spatial size match"
                : channels && first.IsFlat ? $"use a projection shortcut (a dense layer with {first.Channels} units) on {c.InputPaths[i]}"
                : channels ? $"use a projection shortcut (a 1×1 convolution with {first.Channels} filters) on {c.InputPaths[i]}"
                : "use a strided projection shortcut, or 'same' padding in the branch";
            c.Error($"cannot {verb} {first} (from {c.InputPaths[0]}) and {other} (from {c.InputPaths[i]}): {why}", hint);
        }
        return !c.Failed;
    }
}
