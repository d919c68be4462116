namespace Cnn.Functional;

/// <summary>
/// How a layer maps input positions to output positions — all that receptive-field arithmetic needs.
/// With r the receptive field and j the jump (distance in input pixels between adjacent units):
/// a window of effective size k = D(F − 1) + 1 and stride s gives r' = r + (k − 1)·j and j' = j·s.
/// </summary>
public abstract record SpatialMap
{
    /// <summary>Each output position depends on the same position of the input (activations, norms, 1×1 maps).</summary>
    public static SpatialMap Identity { get; } = new IdentityMap();

    /// <summary>Each output position depends on the whole input (global pooling, flatten, dense).</summary>
    public static SpatialMap Global { get; } = new GlobalMap();

    /// <summary>A sliding window of effective size <paramref name="kernel"/> (dilation included) and stride <paramref name="stride"/>.</summary>
    public static SpatialMap Window(int[] kernel, int[] stride) => new WindowMap(kernel.ToEquatableArray(), stride.ToEquatableArray());

    /// <summary>An upsampling window (transposed convolution): the jump shrinks by the stride.</summary>
    public static SpatialMap Upsampling(int[] kernel, int[] stride) => new UpsamplingMap(kernel.ToEquatableArray(), stride.ToEquatableArray());

    public sealed record IdentityMap : SpatialMap;

    public sealed record GlobalMap : SpatialMap;

    public sealed record WindowMap(EquatableArray<int> Kernel, EquatableArray<int> Stride) : SpatialMap;

    public sealed record UpsamplingMap(EquatableArray<int> Kernel, EquatableArray<int> Stride) : SpatialMap;
}
