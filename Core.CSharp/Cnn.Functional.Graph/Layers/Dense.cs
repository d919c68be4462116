namespace Cnn.Functional;

/// <summary>
/// Fully connected layer: <c>[N, I] → [N, U]</c>, y = Wx + b, with I inferred from the input.
/// Parameters: I·U weights + U biases; MACs: I·U. The input must be flat: put a <see cref="Flatten"/>
/// (or a global pooling) after the last spatial layer.
/// </summary>
public sealed record Dense(int Units, bool Bias) : Layer
{
    public override string Kind => "dense";

    public override LayerInfo? Infer(LayerContext c)
    {
        var ok = c.AtLeastOne(Units, "units");
        if (!c.Input.IsFlat)
        {
            c.Error($"a fully connected layer expects a flat input [features]; got {c.Input}",
                $"add Flatten before it (it would see {string.Join("·", c.Input.Dims.Items)} = {c.Input.Dims.Aggregate(1L, (a, d) => a * d)} features) or a global pooling");
            return null;
        }
        var weights = ok ? c.Product(c.Input.Channels, Units) : null;
        var parameters = weights is null ? null : c.Sum(weights.Value, Bias ? Units : 0);
        return parameters is null ? null : new LayerInfo(Shape.Vector(Units), parameters.Value, weights!.Value, 0, SpatialMap.Identity);
    }
}

/// <summary>Flattens each example: <c>[N, C, *S] → [N, C·ΠS]</c>. No parameters.</summary>
public sealed record Flatten : Layer
{
    public override string Kind => "flatten";

    public override LayerInfo? Infer(LayerContext c)
    {
        var elements = c.Elements(c.Input);
        if (elements is null) return null;
        if (!c.Check(elements <= int.MaxValue, $"flattening {c.Input} gives {elements} features, more than a layer can address")) return null;
        return new LayerInfo(Shape.Vector((int)elements.Value), 0, 0, 0, c.Input.IsFlat ? SpatialMap.Identity : SpatialMap.Global);
    }
}
