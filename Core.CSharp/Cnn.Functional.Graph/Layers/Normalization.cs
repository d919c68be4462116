namespace Cnn.Functional;

/// <summary>
/// Local response normalisation (Krizhevsky et al., 2012), across channels at each position:
/// bᵢ = aᵢ / (k + α Σⱼ aⱼ²)^β, the sum over the <paramref name="Size"/> (n) channels centred on i.
/// Krizhevsky's constants: k = 2, n = 5, α = 10⁻⁴, β = 0.75. Note that α multiplies the sum, as in the
/// paper (PyTorch's LocalResponseNorm divides α by n). No parameters.
/// </summary>
public sealed record LocalResponseNorm(int Size, double Alpha, double Beta, double K) : Layer
{
    public override string Kind => "localResponseNorm";

    public override LayerInfo? Infer(LayerContext c)
    {
        c.AtLeastOne(Size, "size n");
        c.Check(double.IsFinite(Alpha) && Alpha >= 0, FormattableString.Invariant($"α must be a non-negative number; got {Alpha}"));
        c.Check(double.IsFinite(Beta) && Beta >= 0, FormattableString.Invariant($"β must be a non-negative number; got {Beta}"));
        c.Positive(K, "k");
        if (c.Input.IsFlat) c.Error($"normalises across the channels of a spatial input; got the flat vector {c.Input}");
        return c.Failed ? null : new LayerInfo(c.Input, 0, 0, 0, SpatialMap.Identity);
    }
}

/// <summary>
/// Batch normalisation (Ioffe &amp; Szegedy, 2015): per channel, normalise over the batch and positions
/// with the mini-batch mean and variance, then scale by γ and shift by β; running statistics are kept for
/// test time. <c>[N, C, *] → [N, C, *]</c>. Parameters: 2C (γ, β) when affine; buffers: 2C.
/// </summary>
public sealed record BatchNorm(double Epsilon, double Momentum, bool Affine) : Layer
{
    public override string Kind => "batchNorm";

    public override LayerInfo? Infer(LayerContext c)
    {
        c.Positive(Epsilon, "epsilon");
        // Momentum 1 is allowed, as in PyTorch: the running statistics are then the last batch's.
        c.Check(Momentum is >= 0 and <= 1, $"momentum must be in [0, 1]; got {Momentum.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
        var channels = c.Input.Channels;
        return c.Failed ? null : new LayerInfo(c.Input, Affine ? 2L * channels : 0, 0, 2L * channels, SpatialMap.Identity);
    }
}

/// <summary>
/// Layer normalisation (Ba et al., 2016): per example, normalise over all of [C, *S].
/// <c>[N, C, *] → [N, C, *]</c>. Parameters: 2·C·ΠS (element-wise γ, β, as PyTorch's LayerNorm) when affine.
/// </summary>
public sealed record LayerNorm(double Epsilon, bool Affine) : Layer
{
    public override string Kind => "layerNorm";

    public override LayerInfo? Infer(LayerContext c)
    {
        c.Positive(Epsilon, "epsilon");
        var count = c.Elements(c.Input);
        var elements = count is null ? null : c.Product(2, count.Value);
        return c.Failed || elements is null ? null : new LayerInfo(c.Input, Affine ? elements.Value : 0, 0, 0, SpatialMap.Identity);
    }
}

/// <summary>
/// Instance normalisation (Ulyanov et al., 2016): per example and channel, normalise over positions.
/// <c>[N, C, *S] → [N, C, *S]</c>. Parameters: 2C when affine; buffers: 2C when tracking running statistics.
/// </summary>
public sealed record InstanceNorm(double Epsilon, bool Affine, bool TrackRunningStats) : Layer
{
    public override string Kind => "instanceNorm";

    public override LayerInfo? Infer(LayerContext c)
    {
        if (!c.RequireSpatial()) return null;
        c.Positive(Epsilon, "epsilon");
        var channels = c.Input.Channels;
        return c.Failed ? null : new LayerInfo(c.Input, Affine ? 2L * channels : 0, 0, TrackRunningStats ? 2L * channels : 0, SpatialMap.Identity);
    }
}

/// <summary>
/// Group normalisation (Wu &amp; He, 2018): per example, split the channels into G groups and normalise each
/// over its channels and positions. G = 1 is layer norm with per-channel affine; G = C is instance norm.
/// <c>[N, C, *] → [N, C, *]</c>. Parameters: 2C when affine. G must divide C.
/// </summary>
public sealed record GroupNorm(int Groups, double Epsilon, bool Affine) : Layer
{
    public override string Kind => "groupNorm";

    public override LayerInfo? Infer(LayerContext c)
    {
        if (c.AtLeastOne(Groups, "groups")) c.Divides(Groups, c.Input.Channels, "groups", "channels");
        c.Positive(Epsilon, "epsilon");
        return c.Failed ? null : new LayerInfo(c.Input, Affine ? 2L * c.Input.Channels : 0, 0, 0, SpatialMap.Identity);
    }
}
