using FsCheck;
using FsCheck.Fluent;

namespace Cnn.Functional.Properties;

/// <summary>A layer and the input shape it reads.</summary>
public sealed record LayerOnInput(Layer Layer, Shape Input)
{
    public override string ToString() => $"{Layer} on {Input}";
}

/// <summary>
/// Generators of layers of every kind the <see cref="Layers"/> factory makes, with hyperparameters drawn from
/// the generators you pass: <see cref="Plausible"/> ones (small, positive, finite — often a valid layer) or
/// <see cref="Hostile"/> ones (zero, negative, <c>int.MinValue</c>, 10⁹, <c>int.MaxValue</c>, NaN, ±∞, sizes with
/// the wrong number of dimensions, enum values that do not exist). Shape inference must answer every one of
/// them with a result or a <see cref="GraphException"/>, never another exception.
/// </summary>
public static class LayerGenerators
{
    /// <summary>Small positive integers, mostly 1 to 4.</summary>
    public static Gen<int> PlausibleInt() => Gen.Frequency((4, Gen.Choose(1, 4)), (1, Gen.Choose(5, 9)));

    /// <summary>Integers that break things: 0, negatives, <c>int.MinValue</c>, 10⁹, <c>int.MaxValue</c> — and some plausible ones, so that other checks are reached too.</summary>
    public static Gen<int> HostileInt() => Gen.Frequency(
        (5, PlausibleInt()),
        (3, Gen.Elements(0, -1, -3, int.MinValue, int.MaxValue, 1_000_000_000, 65_536, 46_341)),
        (1, Gen.Choose(-100, 100)));

    /// <summary>Finite numbers in (0, 1) and a few ordinary constants.</summary>
    public static Gen<double> PlausibleDouble() => Gen.Frequency(
        (3, Gen.Choose(1, 99).Select(p => p / 100.0)),
        (1, Gen.Elements(1e-5, 1e-4, 0.75, 1.0, 2.0)));

    /// <summary>Doubles that break things: NaN, ±∞, negatives, −0, 1, 10⁹, 10³⁰⁰, ε — and some plausible ones.</summary>
    public static Gen<double> HostileDouble() => Gen.Frequency(
        (3, PlausibleDouble()),
        (4, Gen.Elements(double.NaN, double.PositiveInfinity, double.NegativeInfinity, -1.0, -0.0, 0.0, 1.0, 1e9, 1e300, -1e300, double.Epsilon, double.MaxValue)));

    /// <summary>A <see cref="Size"/> of one value (every dimension) or one to three values.</summary>
    public static Gen<Size> SizeOf(Gen<int> values) => Gen.Frequency(
        (3, values.Select(Size.All)),
        (2, Gen.Choose(1, 3).SelectMany(n => Gen.ArrayOf(values, n)).Select(Size.Of)));

    /// <summary>Like <see cref="SizeOf"/>, and sometimes empty or with four values.</summary>
    public static Gen<Size> HostileSize(Gen<int> values) => Gen.Frequency(
        (8, SizeOf(values)),
        (1, Gen.Constant(Size.Of())),
        (1, Gen.ArrayOf(values, 4).Select(Size.Of)));

    /// <summary>'same', 'valid' or explicit amounts from <paramref name="sizes"/>.</summary>
    public static Gen<Padding> PaddingOf(Gen<Size> sizes) => Gen.Frequency(
        (2, Gen.Constant(Padding.Same)),
        (2, Gen.Constant(Padding.Valid)),
        (3, sizes.Select(s => new Padding(PaddingKind.Explicit, s))));

    /// <summary>A defined value of <typeparamref name="T"/>, or with <paramref name="undefined"/> sometimes a value the enum does not define.</summary>
    public static Gen<T> EnumOf<T>(bool undefined) where T : struct, Enum
    {
        var defined = Gen.Elements(Enum.GetValues<T>());
        return !undefined ? defined : Gen.Frequency((9, defined), (1, Gen.Elements(-1, 42, int.MaxValue).Select(v => (T)Enum.ToObject(typeof(T), v))));
    }

    /// <summary>A layer with plausible hyperparameters (often valid for a suitable input).</summary>
    public static Gen<Layer> Plausible() => AnyLayer(PlausibleInt(), PlausibleDouble(), hostile: false);

    /// <summary>A layer with hostile hyperparameters.</summary>
    public static Gen<Layer> Hostile() => AnyLayer(HostileInt(), HostileDouble(), hostile: true);

    /// <summary>
    /// A layer of any kind the <see cref="Layers"/> factory makes, with integers from <paramref name="ints"/> and
    /// reals from <paramref name="reals"/>; when <paramref name="hostile"/>, sizes may have 0 or 4 entries, enums
    /// may be undefined and input shapes may be invalid.
    /// </summary>
    public static Gen<Layer> AnyLayer(Gen<int> ints, Gen<double> reals, bool hostile) =>
        Gen.OneOf(LayerKinds(ints, reals, hostile));

    /// <summary>One generator per kind of layer, for callers that weight or pick kinds themselves.</summary>
    public static IReadOnlyList<Gen<Layer>> LayerKinds(Gen<int> ints, Gen<double> reals, bool hostile)
    {
        var size = hostile ? HostileSize(ints) : SizeOf(ints);
        var pad = PaddingOf(hostile ? HostileSize(ints) : SizeOf(ints.Select(i => i - 1)));
        var rounding = EnumOf<Rounding>(hostile);
        var pool = EnumOf<PoolKind>(hostile);
        var bit = Gen.Elements(true, false);
        var shape = hostile ? HostileShape(ints) : ShapeGenerators.Input();
        return
        [
            shape.Select(Layers.Input),
            from f in ints from k in size from s in size from p in pad from d in size from g in ints from b in bit from r in rounding from m in EnumOf<PaddingMode>(hostile)
            select Layers.Conv(f, k, s, p, d, g, b, r, m),
            from f in ints from b in bit select Layers.Conv1x1(f, b),
            from f in ints from k in size from g in ints from s in size from p in pad select Layers.GroupConv(f, k, g, s, p),
            from f in ints from k in size from d in size from p in pad select Layers.DilatedConv(f, k, d, p),
            from f in ints from k in size from s in size from p in size from op in size from d in size from g in ints from b in bit
            select Layers.ConvTranspose(f, k, s, p, op, d, g, b),
            from f in ints from k in size from s in size from p in pad from b in bit from r in rounding
            select Layers.SpatiallySeparableConv(f, k, s, p, b, r),
            from f in ints from k in size from s in size from p in pad from d in size from m in ints from r in rounding
            select Layers.DepthwiseSeparableConv(f, k, s, p, d, m, rounding: r),
            from f in ints from k in size from s in size from p in pad from r in rounding select Layers.LocallyConnected(f, k, s, p, rounding: r),
            from f in ints from k in size from s in size from p in pad from d in size from g in ints from og in ints from r in rounding
            select Layers.DeformableConv(f, k, s, p, d, g, og, rounding: r),
            from f in ints from k in size from s in size from p in pad from d in size from radius in bit from r in rounding
            select Layers.CoordConv(f, k, s, p, d, radius, rounding: r),
            from fn in pool from w in size from s in size from p in pad from r in rounding select Layers.Pool(fn, w, s, p, r),
            from w in size from r in rounding select Layers.MaxPool(w, rounding: r),
            from w in size from s in size select Layers.AvgPool(w, s),
            from w in size from p in pad select Layers.SumPool(w, padding: p),
            from w in size select Layers.L2Pool(w),
            from w in ints from s in ints from r in rounding select Layers.OverlappingMaxPool(w, s, r),
            Gen.Elements(Layers.GlobalAvgPool(), Layers.GlobalMaxPool()),
            pool.Select(Layers.GlobalPool),
            size.Select(Layers.AdaptiveAvgPool),
            size.Select(Layers.AdaptiveMaxPool),
            from fn in EnumOf<ActivationFunction>(hostile) from a in reals select Layers.Activation(fn, a),
            Gen.Elements(Layers.Sigmoid(), Layers.Tanh(), Layers.Relu(), Layers.Selu(), Layers.Gelu(), Layers.Relu6(), Layers.Silu(), Layers.Softplus(),
                Layers.Activation(ActivationFunction.ScaledTanh)),
            reals.Select(Layers.LeakyRelu),
            reals.Select(Layers.PRelu),
            reals.Select(Layers.Elu),
            Gen.Elements(Layers.Softmax(), Layers.LogSoftmax()),
            from n in ints from a in reals from b in reals from k in reals select Layers.LocalResponseNorm(n, a, b, k),
            from e in reals from m in reals from a in bit select Layers.BatchNorm(e, m, a),
            from e in reals from a in bit select Layers.LayerNorm(e, a),
            from e in reals from a in bit from t in bit select Layers.InstanceNorm(e, a, t),
            from g in ints from e in reals from a in bit select Layers.GroupNorm(g, e, a),
            reals.Select(Layers.Dropout),
            reals.Select(Layers.SpatialDropout),
            from u in ints from b in bit select Layers.Dense(u, b),
            Gen.Constant(Layers.Flatten()),
            Gen.Elements(Layers.Concat(), Layers.Add(), Layers.HighwayGate(), Layers.WeightedSum()),
            from table in ConnectionTable(hostile) from k in size from s in size from p in pad from b in bit
            select Layers.PartialConv(table, k, s, p, b),
            from w in size from s in Gen.Frequency((1, Gen.Constant<Size?>(null)), (3, size.Select(x => (Size?)x))) select Layers.Subsampling(w, s),
            ints.Select(Layers.RbfOutput),
            from f in ints from k in size from s in size from p in pad from g in ints from b in bit from m in EnumOf<Binarization>(hostile) from r in rounding
            select Layers.BinaryConv(f, k, s, p, g, b, m, r),
            from u in ints from b in bit from m in EnumOf<Binarization>(hostile) select Layers.BinaryDense(u, b, m),
            from f in ints from k in size from p in pad from d in size from b in bit select Layers.DiracConv(f, k, p, d, b),
        ];
    }

    /// <summary>LeNet-5's C3 table (<see cref="PartialConv.LeNetC3"/>) as plain arrays: 16 rows over 6 input channels.</summary>
    public static int[][] LeNetC3Table() => PartialConv.LeNetC3.Select(row => row.Items.ToArray()).ToArray();

    /// <summary>
    /// Connection tables for <see cref="Layers.PartialConv"/>. Plausible ones have 1 to 8 rows of 1 to 4 distinct
    /// channels below 4 (so an input with fewer channels refuses some). With <paramref name="hostile"/> also:
    /// LeNet-5's C3 table, no rows at all, an empty row, a negative, out-of-range or huge channel index, a channel
    /// listed twice, and huge tables (10,000 rows, a row of 10,000 channels, a row of 10,000 zeros).
    /// </summary>
    public static Gen<int[][]> ConnectionTable(bool hostile)
    {
        var row = from n in Gen.Choose(1, 4)
                  from channels in Gen.Shuffle(Enumerable.Range(0, 4))
                  select channels.Take(n).ToArray();
        var plausible = Gen.Choose(1, 8).SelectMany(rows => Gen.ArrayOf(row, rows));
        if (!hostile) return plausible;
        var badIndex = Gen.Elements(-1, -2, int.MinValue, 4, 8, 65_536, 1_000_000_000, int.MaxValue);
        // Damage one row of a plausible table: (table, row index) → damaged table.
        Gen<int[][]> Damaged(Func<int[], Gen<int[]>> damage) =>
            from table in plausible
            from i in Gen.Choose(0, table.Length - 1)
            from damagedRow in damage(table[i])
            select table.Select((r, j) => j == i ? damagedRow : r).ToArray();
        return Gen.Frequency(
            (6, plausible),
            (1, Gen.Constant(LeNetC3Table())),
            (1, Gen.Constant(Array.Empty<int[]>())),
            (2, from table in plausible from i in Gen.Choose(0, table.Length) select table.Take(i).Append([]).Concat(table.Skip(i)).ToArray()),
            (2, Damaged(r => from bad in badIndex from at in Gen.Choose(0, r.Length) select r.Take(at).Append(bad).Concat(r.Skip(at)).ToArray())),
            (1, Damaged(r => from at in Gen.Choose(0, r.Length - 1) select r.Append(r[at]).ToArray())),
            (1, Gen.Elements(HugeTables)));
    }

    /// <summary>
    /// Convolutions of the new kinds (Dirac, partial with a connection table, binary) on an input they fit,
    /// whose weight count F·C·ΠK (Σ|row|·ΠK for a connection table) is 2⁶³ − 1, 2⁶³ − 2, 2⁶³ − 2³³ + 2 or 2⁶³: at
    /// the top of the 64-bit range, where adding the biases (and a Dirac convolution's 2F scales) must either
    /// fit exactly or be refused, never wrap. The input is the kernel's size, or up to two larger per dimension
    /// (then the MACs overflow). Stride 1, no padding, no dilation, one group.
    /// </summary>
    public static Gen<LayerOnInput> CountBoundary() =>
        from kind in Gen.Elements(BoundaryKind.Dirac, BoundaryKind.Partial, BoundaryKind.Binary)
        from splits in Gen.Elements(kind == BoundaryKind.Partial ? PartialSplits : Splits)
        from split in Gen.Elements(splits)
        from extra in Gen.CollectToArray(split.Kernel.Select(k => k > int.MaxValue - 2 ? Gen.Constant(0) : Gen.Frequency((3, Gen.Constant(0)), (1, Gen.Choose(1, 2)))))
        from bias in Gen.Elements(false, true)
        from mode in Gen.Elements(Enum.GetValues<Binarization>())
        let spatial = split.Kernel.Select((k, i) => k + extra[i])
        select kind switch
        {
            BoundaryKind.Dirac => new LayerOnInput(Layers.DiracConv(split.Filters, Size.Of(split.Kernel), bias: bias), Shape.Of([split.Channels, .. spatial])),
            BoundaryKind.Binary => new LayerOnInput(Layers.BinaryConv(split.Filters, Size.Of(split.Kernel), bias: bias, mode: mode), Shape.Of([split.Channels, .. spatial])),
            // Σ|row| = Channels connections over Filters rows, as even as can be: each row reads channels 0, 1, …
            _ => new LayerOnInput(
                Layers.PartialConv(Enumerable.Range(0, split.Filters).Select(f => Enumerable.Range(0, split.Channels / split.Filters + (f < split.Channels % split.Filters ? 1 : 0))),
                    Size.Of(split.Kernel), bias: bias),
                Shape.Of([Ceil(split.Channels, split.Filters), .. spatial])),
        };

    private enum BoundaryKind { Dirac, Partial, Binary }

    private sealed record Split(int Filters, int Channels, int[] Kernel);

    // Numbers at the top of the 64-bit range as products of factors that fit 32 bits.
    private static readonly long[][] Near64 =
    [
        [49, 73, 127, 337, 92_737, 649_657], // 2⁶³ − 1
        [2, 3, 715_827_883, int.MaxValue],     // 2⁶³ − 2
        [2, int.MaxValue, int.MaxValue],       // 2⁶³ − 2³³ + 2
        [8, 1 << 30, 1 << 30],                 // 2⁶³: the weights alone overflow
    ];

    // Per number, every way to share its factors among F, C and a kernel of 1 to 3 dimensions, each at most int.MaxValue.
    private static readonly Split[][] Splits = Near64.Select(factors => Enumerable.Range(1, 3).SelectMany(rank => SplitsOf(factors, rank)).ToArray()).ToArray();

    // Those that make a connection table of at most 4,096 entries with at least one per row.
    private static readonly Split[][] PartialSplits = Splits.Select(s => s.Where(x => x.Channels <= 4_096 && x.Filters <= x.Channels).ToArray()).Where(s => s.Length > 0).ToArray();

    private static IEnumerable<Split> SplitsOf(long[] factors, int rank)
    {
        var slots = rank + 2;
        var assignments = (int)Math.Pow(slots, factors.Length);
        for (var a = 0; a < assignments; a++)
        {
            var products = new long[slots];
            Array.Fill(products, 1L);
            for (int i = 0, code = a; i < factors.Length; i++, code /= slots) products[code % slots] *= factors[i];
            // A product of all of 2⁶³'s factors wraps to a negative number: not a 32-bit size either.
            if (products.All(p => p is >= 1 and <= int.MaxValue))
                yield return new Split((int)products[0], (int)products[1], products[2..].Select(p => (int)p).ToArray());
        }
    }

    private static int Ceil(int a, int b) => (a + b - 1) / b;

    // Shared, so that a huge table is built once, not for every test case. (Each costs a few hundred ms in a property
    // that also writes, reads and summarises it: 10⁴ rows is huge next to LeNet's 16 and keeps the suite fast.)
    private static readonly int[][][] HugeTables =
    [
        Enumerable.Repeat(new[] { 0 }, 10_000).ToArray(),
        [Enumerable.Range(0, 10_000).ToArray()],
        [new int[10_000]],
    ];

    /// <summary>Shapes for <see cref="Layers.Input"/> that may be invalid: zero to five dimensions from <paramref name="ints"/>.</summary>
    public static Gen<Shape> HostileShape(Gen<int> ints) => Gen.Frequency(
        (4, ShapeGenerators.Input()),
        (1, Gen.Choose(0, 5).SelectMany(n => Gen.ArrayOf(ints, n)).Select(Shape.Of)));
}
