namespace Cnn.Functional;

/// <summary>
/// A per-dimension size of a kernel, stride or dilation: one number per spatial dimension, or a single
/// number meaning "the same in every spatial dimension". A layer with a single-number kernel works on
/// 1-D, 2-D and 3-D inputs alike (the input's rank decides), as in Flax's <c>nn.Conv</c>.
/// </summary>
public sealed record Size(EquatableArray<int> Values)
{
    /// <summary>A size given per dimension, e.g. <c>Size.Of(3, 1)</c> for a 3×1 kernel.</summary>
    public static Size Of(params int[] values) => new(values.ToEquatableArray());

    /// <summary>One number for every spatial dimension.</summary>
    public static Size All(int value) => new(EquatableArray.Of(value));

    public static implicit operator Size(int value) => All(value);

    /// <summary>True when one number stands for every dimension.</summary>
    public bool IsUniform => Values.Count == 1;

    /// <summary>
    /// The size in each of <paramref name="spatialRank"/> dimensions, or null (with an error reported)
    /// when the size names a different number of dimensions than the input has.
    /// </summary>
    internal int[]? Resolve(int spatialRank, LayerContext context, string what)
    {
        if (Values.Count == 1) return Enumerable.Repeat(Values[0], spatialRank).ToArray();
        if (Values.Count == spatialRank) return Values.Items.ToArray();
        context.Error(
            $"{what} {this} names {Values.Count} dimensions but the input {context.Input} has {spatialRank} spatial dimension{(spatialRank == 1 ? "" : "s")}",
            hint: $"give one number for all dimensions or exactly {spatialRank}");
        return null;
    }

    /// <summary>"5" for a uniform size, "3×1" otherwise.</summary>
    public override string ToString() => string.Join("×", Values.Items);
}
