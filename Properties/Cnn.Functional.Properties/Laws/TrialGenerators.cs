using FsCheck;
using FsCheck.Fluent;
using static TorchSharp.torch;

namespace Cnn.Functional.Properties;

/// <summary>
/// Generators of the parts of a case: input tensors, transformations of positions, coefficients, and whole
/// <see cref="Trial"/>s. Batches have 1 or 2 examples; the dtype is set by the check from its options.
/// </summary>
public static class TrialGenerators
{
    /// <summary>A seed for <see cref="System.Random"/> or libtorch.</summary>
    public static Gen<int> Seed() => Gen.Choose(0, int.MaxValue - 1);

    /// <summary>An input tensor recipe with one of <paramref name="draws"/>.</summary>
    public static Gen<InputTensor> Tensor(params Draw[] draws) =>
        from draw in Gen.Elements(draws) from seed in Seed() select new InputTensor(draw, seed);

    /// <summary>A case with a batch of <paramref name="minBatch"/> to <paramref name="maxBatch"/> examples and an input drawn as <paramref name="draws"/> say.</summary>
    public static Gen<Trial> Cases(int minBatch, int maxBatch, params Draw[] draws) =>
        from batch in Gen.Choose(minBatch, maxBatch)
        from seed in Seed()
        from input in Tensor(draws)
        select new Trial(ScalarType.Float32, batch, seed, input);

    /// <summary>A case with a batch of 1 or 2 and a Gaussian or small-integer input.</summary>
    public static Gen<Trial> Cases() => Cases(1, 2, Draw.Gaussian, Draw.SmallIntegers);

    /// <summary>Coefficients α, β of a linear combination: small integers and halves, never both zero.</summary>
    public static Gen<Coefficients> Coefficients() =>
        from a in Gen.Choose(-6, 6) from b in Gen.Choose(-6, 6) where a != 0 || b != 0 select new Coefficients(a / 2.0, b / 2.0);

    /// <summary>Offsets per axis that are multiples of <paramref name="periods"/>, at most half of each extent, not all zero when any axis allows a shift.</summary>
    public static Gen<int[]> Offsets(IReadOnlyList<int> extents, IReadOnlyList<long> periods)
    {
        var choices = extents.Select((w, i) =>
        {
            var p = (int)Math.Max(1, periods[i]);
            var most = w / 2 / p;
            return Enumerable.Range(-most, 2 * most + 1).Select(k => k * p).ToArray();
        }).ToArray();
        var any = choices.Any(c => c.Length > 1);
        return Gen.CollectToArray(choices.Select(c => Gen.Elements(c))).Where(o => !any || o.Any(x => x != 0));
    }

    /// <summary>A translation (zero fill) or a circular shift by offsets that are multiples of <paramref name="periods"/>.</summary>
    public static Gen<Transformation> Shift(IReadOnlyList<int> extents, IReadOnlyList<long> periods) =>
        from offsets in Offsets(extents, periods)
        from circular in Gen.Elements(false, true)
        select circular ? (Transformation)new CircularShift(offsets) : new Translation(offsets);

    /// <summary>Any circular shift of maps with these extents (not all zero when some extent exceeds 1).</summary>
    public static Gen<Transformation> CircularShift(IReadOnlyList<int> extents, IReadOnlyList<long> periods) =>
        from offsets in Gen.CollectToArray(extents.Select((w, i) =>
            Gen.Elements(Enumerable.Range(0, Math.Max(1, w / (int)Math.Max(1, periods[i]))).Select(k => k * (int)Math.Max(1, periods[i])).ToArray())))
        select (Transformation)new CircularShift(offsets);

    /// <summary>A uniformly random permutation of all positions of maps with these extents.</summary>
    public static Gen<Transformation> AnyPermutation(IReadOnlyList<int> extents)
    {
        var count = extents.Aggregate(1, (a, e) => a * e);
        return Gen.Shuffle(Enumerable.Range(0, count)).Select(order => (Transformation)new SpatialPermutation(extents.ToEquatableArray(), order, "of any positions"));
    }

    /// <summary>A flip of a non-empty set of axes.</summary>
    public static Gen<Transformation> Flips(int rank) =>
        from mask in Gen.Choose(1, (1 << rank) - 1)
        select (Transformation)new Flip(Enumerable.Range(0, rank).Where(i => (mask >> i & 1) == 1).ToEquatableArray());

    /// <summary>
    /// Any spatial permutation of maps with these extents, structured or not: a random one, a flip, a circular shift, or
    /// (when two axes have the same extent) a quarter turn.
    /// </summary>
    public static Gen<Transformation> SpatialPermutation(IReadOnlyList<int> extents)
    {
        var rank = extents.Count;
        var options = new List<Gen<Transformation>>
        {
            AnyPermutation(extents),
            Flips(rank),
            CircularShift(extents, Enumerable.Repeat(1L, rank).ToArray()),
        };
        var planes = (from a in Enumerable.Range(0, rank) from b in Enumerable.Range(0, rank) where a < b && extents[a] == extents[b] select (a, b)).ToArray();
        if (planes.Length > 0)
            options.Add(from plane in Gen.Elements(planes) from turns in Gen.Choose(1, 3) select (Transformation)new Rotation90(turns, plane.a, plane.b));
        return Gen.OneOf(options);
    }

    /// <summary>
    /// A permutation that moves values only within pooling windows: each window's positions inside the input are
    /// shuffled among themselves (windows must not overlap); positions no window reads stay put.
    /// </summary>
    public static Gen<Transformation> WithinWindows(IReadOnlyList<int> extents, IReadOnlyList<int> window, IReadOnlyList<int> stride, IReadOnlyList<int> padBefore, IReadOnlyList<int> outputs)
    {
        var groups = WindowGroups(extents, window, stride, padBefore, outputs);
        var scope = $"within each {string.Join("×", window)} window";
        return Gen.CollectToArray(groups.Select(g => Gen.Shuffle(g)))
            .Select(shuffled =>
            {
                var order = Enumerable.Range(0, extents.Aggregate(1, (a, e) => a * e)).ToArray();
                for (var g = 0; g < groups.Length; g++)
                    for (var j = 0; j < groups[g].Length; j++) order[groups[g][j]] = shuffled[g][j];
                return (Transformation)new SpatialPermutation(extents.ToEquatableArray(), order, scope);
            });
    }

    /// <summary>Whether <paramref name="order"/> moves every value only within the window(s) it lies in (overlap-free windows).</summary>
    public static bool PreservesWindows(IReadOnlyList<int> order, IReadOnlyList<int> extents, IReadOnlyList<int> window, IReadOnlyList<int> stride, IReadOnlyList<int> padBefore, IReadOnlyList<int> outputs)
    {
        var group = new int[order.Count];
        Array.Fill(group, -1);
        var groups = WindowGroups(extents, window, stride, padBefore, outputs);
        for (var g = 0; g < groups.Length; g++)
            foreach (var p in groups[g]) group[p] = g;
        // A position outside every window may only stay put; one inside must receive a value of its own window.
        return Enumerable.Range(0, order.Count).All(i => group[i] < 0 ? order[i] == i : group[order[i]] == group[i]);
    }

    // The flat input positions of each output window (clipped to the input), row-major.
    private static int[][] WindowGroups(IReadOnlyList<int> extents, IReadOnlyList<int> window, IReadOnlyList<int> stride, IReadOnlyList<int> padBefore, IReadOnlyList<int> outputs)
    {
        var rank = extents.Count;
        var ranges = Enumerable.Range(0, rank).Select(i => Enumerable.Range(0, outputs[i]).Select(o =>
        {
            var first = Math.Max(o * stride[i] - padBefore[i], 0);
            var last = Math.Min(o * stride[i] - padBefore[i] + window[i] - 1, extents[i] - 1);
            return Enumerable.Range(first, Math.Max(last - first + 1, 0)).ToArray();
        }).ToArray()).ToArray();
        return Positions.Grid(outputs).Select(o =>
            Positions.Product(Enumerable.Range(0, rank).Select(i => ranges[i][o[i]]).ToArray())
                .Select(p => Positions.Flat(p, extents)).ToArray()).Where(g => g.Length > 0).ToArray();
    }
}
