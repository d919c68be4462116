namespace Cnn.Functional;

/// <summary>
/// Dropout (Srivastava et al., 2014): during training, zero each unit with probability <paramref name="Rate"/>
/// and scale the survivors by 1/(1 − rate) (inverted dropout, so test time needs no rescaling); identity in
/// evaluation. With <paramref name="Spatial"/>, whole channels are dropped (Dropout2d). <c>[N, *] → [N, *]</c>.
/// </summary>
public sealed record Dropout(double Rate, bool Spatial) : Layer
{
    public override string Kind => Spatial ? "spatialDropout" : "dropout";

    public override LayerInfo? Infer(LayerContext c)
    {
        c.InRange(Rate, 0, 1, "rate");
        if (Spatial && c.Input.IsFlat) c.Error($"spatial dropout drops whole channels of a spatial input; got the flat vector {c.Input}", "use Dropout without spatial");
        return c.Failed ? null : new LayerInfo(c.Input, 0, 0, 0, SpatialMap.Identity);
    }
}
