namespace Cnn.Functional;

/// <summary>A graph input: one example of shape <paramref name="Shape"/> (the batch dimension is implicit).</summary>
public sealed record Input(Shape Shape) : Layer
{
    public override string Kind => "input";

    public override Arity Arity => Arity.None;

    public override LayerInfo? Infer(LayerContext context)
    {
        if (!context.Check(Shape is not null, "the input has no shape")) return null;
        var ok = context.Check(Shape!.Rank is >= 1 and <= 4,
            $"an input is [C], [C, L], [C, H, W] or [C, D, H, W]; got {Shape.Rank} dimensions {Shape}");
        for (var i = 0; i < Shape.Rank && ok; i++)
            ok = context.Check(Shape.Dims[i] >= 1, $"every input dimension must be at least 1; got {Shape}");
        return ok ? new LayerInfo(Shape, 0, 0, 0, SpatialMap.Identity) : null;
    }
}
