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

internal static class Merge
{
    /// <summary>Checks that all inputs have the first input's shape, explaining the first difference.</summary>
    public static bool SameShapes(LayerContext c, string verb)
    {
        var first = c.Inputs[0];
        for (var i = 1; i < c.Inputs.Count; i++)
        {
            var other = c.Inputs[i];
            if (other == first) continue;
            var why = other.Rank != first.Rank ? $"ranks differ, {first.Rank} vs {other.Rank}"
                : other.Channels != first.Channels ? $"channels differ, {first.Channels} vs {other.Channels}"
                : $"spatial sizes differ, {string.Join("×", first.Spatial)} vs {string.Join("×", other.Spatial)}";
            var hint = other.Channels != first.Channels && other.Rank == first.Rank && other.Spatial.SequenceEqual(first.Spatial)
                ? $"use a projection shortcut (a 1×1 convolution with {first.Channels} filters) on {c.InputPaths[i]}"
                : other.Rank == first.Rank && !other.Spatial.SequenceEqual(first.Spatial)
                    ? "use a strided projection shortcut, or 'same' padding in the branch"
                    : null;
            c.Error($"cannot {verb} {first} (from {c.InputPaths[0]}) and {other} (from {c.InputPaths[i]}): {why}", hint);
        }
        return !c.Failed;
    }
}
