using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Cnn.Functional.Properties;

/// <summary>
/// A transformation of the spatial positions of a batch <c>[N, C, *S]</c>, the same for every example and channel:
/// the g of the lecture's equivariance f(g(x)) = g(f(x)) and invariance f(g(x)) = f(x). Offsets, axes and orders
/// are per spatial dimension (axis 0 is the first spatial dimension: H of [C, H, W]).
/// </summary>
public abstract record Transformation
{
    /// <summary>The transformed batch (a new tensor; the caller disposes it).</summary>
    public abstract Tensor Apply(Tensor x);

    /// <summary>Whether the transformation is defined for maps of these spatial extents.</summary>
    public abstract bool Fits(IReadOnlyList<int> spatial);

    /// <summary>The tensor dimension of spatial axis <paramref name="axis"/> (after batch and channels).</summary>
    protected static long Dim(int axis) => axis + 2;
}

/// <summary>
/// An integer translation with zero fill: the value at position u moves to u + offset, what enters from the border
/// is zero and what leaves is lost (the lecture's "shift" of an image).
/// </summary>
public sealed record Translation(EquatableArray<int> Offsets) : Transformation
{
    public override Tensor Apply(Tensor x)
    {
        using var scope = NewDisposeScope();
        var rank = Offsets.Count;
        // pad takes (before, after) pairs from the last dimension backwards.
        var pairs = new long[2 * rank];
        for (var i = 0; i < rank; i++)
        {
            var axis = rank - 1 - i;
            pairs[2 * i] = Math.Max(Offsets[axis], 0);
            pairs[2 * i + 1] = Math.Max(-Offsets[axis], 0);
        }
        var y = F.pad(x, pairs);
        for (var axis = 0; axis < rank; axis++) y = y.narrow(Dim(axis), Math.Max(-Offsets[axis], 0), x.shape[Dim(axis)]);
        return y.contiguous().MoveToOuterDisposeScope();
    }

    public override bool Fits(IReadOnlyList<int> spatial) => spatial.Count == Offsets.Count;

    public override string ToString() => $"translation by ({string.Join(", ", Offsets.Items)}) with zero fill";
}

/// <summary>A circular shift (roll): the value at position u moves to (u + offset) mod S, nothing is lost.</summary>
public sealed record CircularShift(EquatableArray<int> Offsets) : Transformation
{
    public override Tensor Apply(Tensor x) =>
        x.roll(Offsets.Select(o => (long)o).ToArray(), Enumerable.Range(0, Offsets.Count).Select(Dim).ToArray());

    public override bool Fits(IReadOnlyList<int> spatial) => spatial.Count == Offsets.Count;

    public override string ToString() => $"circular shift by ({string.Join(", ", Offsets.Items)})";
}

/// <summary>A mirror image along the listed spatial axes.</summary>
public sealed record Flip(EquatableArray<int> Axes) : Transformation
{
    public override Tensor Apply(Tensor x) => x.flip(Axes.Select(Dim).ToArray());

    public override bool Fits(IReadOnlyList<int> spatial) => Axes.All(a => a >= 0 && a < spatial.Count);

    public override string ToString() => $"flip of spatial axes ({string.Join(", ", Axes.Items)})";
}

/// <summary>A rotation by <paramref name="Turns"/> quarter turns in the plane of two spatial axes of equal extent.</summary>
public sealed record Rotation90(int Turns, int First, int Second) : Transformation
{
    public override Tensor Apply(Tensor x) => x.rot90(Turns, (Dim(First), Dim(Second)));

    public override bool Fits(IReadOnlyList<int> spatial) =>
        First >= 0 && Second >= 0 && First < spatial.Count && Second < spatial.Count && First != Second && spatial[First] == spatial[Second];

    public override string ToString() => $"rotation by {Turns}×90° in the plane of spatial axes {First} and {Second}";
}

/// <summary>
/// A permutation of the spatial positions: position i of the flattened map (row-major over <paramref name="Extents"/>)
/// receives the value from position <paramref name="Order"/>[i]. <paramref name="Scope"/> says what it preserves,
/// e.g. "within each 2×2 pooling window", or "any".
/// </summary>
public sealed record SpatialPermutation(EquatableArray<int> Extents, EquatableArray<int> Order, string Scope) : Transformation
{
    public override Tensor Apply(Tensor x)
    {
        using var scope = NewDisposeScope();
        var index = tensor(Order.Select(o => (long)o).ToArray(), device: x.device);
        var flat = x.flatten(2).index_select(2, index);
        return flat.reshape(x.shape).MoveToOuterDisposeScope();
    }

    public override bool Fits(IReadOnlyList<int> spatial) => spatial.SequenceEqual(Extents);

    /// <summary>How many positions the permutation moves.</summary>
    public int Moved => Order.Where((o, i) => o != i).Count();

    public override string ToString() =>
        $"permutation {Scope} of the {string.Join("×", Extents.Items)} positions, moving {Moved}" +
        (Order.Count <= 36 ? $": [{string.Join(", ", Order.Items)}]" : "");
}
