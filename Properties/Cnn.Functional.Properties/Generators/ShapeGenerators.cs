using FsCheck;
using FsCheck.Fluent;

namespace Cnn.Functional.Properties;

/// <summary>
/// Generators of valid input shapes (one example, no batch dimension): flat vectors <c>[F]</c> and spatial
/// inputs <c>[C, L]</c>, <c>[C, H, W]</c>, <c>[C, D, H, W]</c>. Sizes are kept small (see <see cref="MaxExtent"/>)
/// so that properties over whole graphs stay fast; every dimension is at least 1.
/// </summary>
public static class ShapeGenerators
{
    /// <summary>The most channels a generated input has.</summary>
    public const int MaxChannels = 8;

    /// <summary>The most features a generated flat vector has.</summary>
    public const int MaxFeatures = 64;

    /// <summary>The largest extent of a spatial dimension: 64 for 1-D, 24 for 2-D, 10 for 3-D inputs.</summary>
    public static int MaxExtent(int spatialRank) => spatialRank switch
    {
        1 => 64,
        2 => 24,
        _ => 10,
    };

    /// <summary>1, 2 or 3 spatial dimensions.</summary>
    public static Gen<int> SpatialRank() => Gen.Choose(1, 3);

    /// <summary>Spatial extents for <paramref name="spatialRank"/> dimensions, each in 1 … <see cref="MaxExtent"/>.</summary>
    public static Gen<int[]> Extents(int spatialRank) => Gen.ArrayOf(Gen.Choose(1, MaxExtent(spatialRank)), spatialRank);

    /// <summary>A spatial input <c>[C, *S]</c> with exactly <paramref name="spatialRank"/> spatial dimensions.</summary>
    public static Gen<Shape> Spatial(int spatialRank) =>
        from channels in Gen.Choose(1, MaxChannels)
        from extents in Extents(spatialRank)
        select Shape.Of([channels, .. extents]);

    /// <summary>A spatial input of 1, 2 or 3 spatial dimensions.</summary>
    public static Gen<Shape> Spatial() => SpatialRank().SelectMany(Spatial);

    /// <summary>A flat vector <c>[F]</c>, the input of a fully connected network.</summary>
    public static Gen<Shape> Vector() => Gen.Choose(1, MaxFeatures).Select(Shape.Vector);

    /// <summary>Any valid input: mostly spatial, sometimes a flat vector.</summary>
    public static Gen<Shape> Input() => Gen.Frequency((1, Vector()), (4, Spatial()));

    /// <summary>
    /// Smaller valid shapes: each dimension lowered toward 1 (see <see cref="Smaller"/>), and (for inputs with more than
    /// one spatial dimension) a spatial dimension dropped. Every candidate is still a valid input shape.
    /// </summary>
    public static IEnumerable<Shape> Shrink(Shape shape)
    {
        var dims = shape.Dims.Items.ToArray();
        if (shape.SpatialRank > 1)
            for (var i = 1; i < dims.Length; i++)
                yield return Shape.Of([.. dims[..i], .. dims[(i + 1)..]]);
        for (var i = 0; i < dims.Length; i++)
            foreach (var smaller in Smaller(dims[i]))
            {
                var copy = (int[])dims.Clone();
                copy[i] = smaller;
                yield return Shape.Of(copy);
            }
    }

    /// <summary>
    /// 1, then n − n/2, n − n/4, … n − 1: distinct values below <paramref name="n"/> approaching it by halving
    /// the distance, so that even 2³¹ − 1 shrinks in about 31 steps (nothing for n ≤ 1).
    /// </summary>
    internal static IEnumerable<int> Smaller(int n) => n <= 1 ? [] : Approach(1, n);

    /// <summary><paramref name="from"/>, then values between it and <paramref name="n"/> (exclusive), each halving the remaining distance.</summary>
    internal static IEnumerable<int> Approach(int from, int n)
    {
        yield return from;
        for (var gap = ((long)n - from) / 2; gap > 0; gap /= 2)
            if (n - gap != from) yield return (int)(n - gap);
    }
}
