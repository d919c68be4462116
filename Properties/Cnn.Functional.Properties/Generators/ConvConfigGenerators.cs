using FsCheck;
using FsCheck.Fluent;

namespace Cnn.Functional.Properties;

/// <summary>
/// Generators of convolution configurations, valid or invalid <em>by construction</em>: nothing is generated
/// and then filtered away. A valid dimension picks the kernel F, dilation D, padding P and stride S first and
/// then an input W = D(F − 1) + 1 − 2P + k·S with W ≥ 1, so (W − D(F − 1) − 1 + 2P) is a multiple of S.
/// Channels and filters are multiples of the groups. Sizes are small so that properties stay fast.
/// </summary>
public static class ConvConfigGenerators
{
    /// <summary>One spatial dimension of a configuration.</summary>
    private sealed record Dim(int Input, int Kernel, int Stride, int Padding, int Dilation);

    private static Gen<int> Dilation() => Gen.Frequency((3, Gen.Constant(1)), (2, Gen.Choose(2, 3)));

    private static int Extent(int kernel, int dilation) => dilation * (kernel - 1) + 1;

    /// <summary>The smallest multiple count k ≥ 0 of <paramref name="stride"/> with base + k·stride ≥ 1.</summary>
    private static int FirstStep(int @base, int stride) => @base >= 1 ? 0 : (1 - @base + stride - 1) / stride;

    /// <summary>A dimension in which the stride tiles exactly, for a given stride.</summary>
    private static Gen<Dim> TilingDim(Gen<int> strides) =>
        from kernel in Gen.Choose(1, 5)
        from dilation in Dilation()
        from padding in Gen.Frequency((2, Gen.Constant(0)), (3, Gen.Choose(1, 3)))
        from stride in strides
        from steps in Gen.Choose(0, 6)
        let @base = Extent(kernel, dilation) - 2 * padding
        select new Dim(@base + (FirstStep(@base, stride) + steps) * stride, kernel, stride, padding, dilation);

    /// <summary>A dimension whose dilated kernel fits the padded input; any stride (it usually does not tile).</summary>
    private static Gen<Dim> FittingDim() =>
        from kernel in Gen.Choose(1, 5)
        from dilation in Dilation()
        from padding in Gen.Frequency((2, Gen.Constant(0)), (3, Gen.Choose(1, 3)))
        from stride in Gen.Choose(1, 5)
        from extra in Gen.Choose(0, 12)
        select new Dim(Math.Max(1, Extent(kernel, dilation) - 2 * padding) + extra, kernel, stride, padding, dilation);

    /// <summary>A dimension for 'same' padding: any kernel and dilation, also larger than the input.</summary>
    private static Gen<Dim> SameDim() =>
        from input in Gen.Choose(1, 20)
        from kernel in Gen.Choose(1, 7)
        from dilation in Dilation()
        from stride in Gen.Choose(1, 4)
        select new Dim(input, kernel, stride, 0, dilation);

    /// <summary>A dimension whose dilated kernel is larger than the padded input.</summary>
    private static Gen<Dim> TooSmallDim() =>
        from input in Gen.Choose(1, 6)
        from padding in Gen.Choose(0, 2)
        from dilation in Dilation()
        from extra in Gen.Choose(0, 2)
        from stride in Gen.Choose(1, 3)
        // D·⌊(W + 2P)/D⌋ ≥ W + 2P − D + 1, so D(F − 1) + 1 ≥ W + 2P + 2 with F = ⌊(W + 2P)/D⌋ + 2.
        select new Dim(input, (input + 2 * padding) / dilation + 2 + extra, stride, padding, dilation);

    /// <summary>Groups G and channels C, filters F that are multiples of G.</summary>
    private static Gen<(int Channels, int Filters, int Groups)> Channels() =>
        from groups in Gen.Frequency((3, Gen.Constant(1)), (2, Gen.Choose(2, 4)))
        from c in Gen.Choose(1, 4)
        from f in Gen.Choose(1, 4)
        select (groups * c, groups * f, groups);

    private static ConvConfig Assemble(Dim[] dims, (int Channels, int Filters, int Groups) ch) => new(
        dims.Select(d => d.Input).ToEquatableArray(), ch.Channels, ch.Filters, ch.Groups,
        dims.Select(d => d.Kernel).ToEquatableArray(), dims.Select(d => d.Stride).ToEquatableArray(),
        dims.Select(d => d.Padding).ToEquatableArray(), dims.Select(d => d.Dilation).ToEquatableArray());

    private static Gen<ConvConfig> Build(int rank, Gen<Dim> dim) =>
        from dims in Gen.ArrayOf(dim, rank)
        from channels in Channels()
        select Assemble(dims, channels);

    /// <summary>A valid configuration in <paramref name="rank"/> spatial dimensions: the stride tiles exactly in every dimension.</summary>
    public static Gen<ConvConfig> Valid(int rank) => Build(rank, TilingDim(Gen.Choose(1, 4)));

    /// <summary>A valid configuration in 1, 2 or 3 spatial dimensions.</summary>
    public static Gen<ConvConfig> Valid() => ShapeGenerators.SpatialRank().SelectMany(Valid);

    /// <summary>A configuration whose kernel fits in every dimension; the stride need not tile (use <see cref="Rounding.Floor"/>).</summary>
    public static Gen<FloorConvConfig> Floor() =>
        ShapeGenerators.SpatialRank().SelectMany(rank => Build(rank, FittingDim())).Select(c => new FloorConvConfig(c));

    /// <summary>A configuration for 'same' padding: any kernel and dilation, stride 1 to 4, zero padding.</summary>
    public static Gen<SameConvConfig> Same() =>
        ShapeGenerators.SpatialRank().SelectMany(rank => Build(rank, SameDim())).Select(c => new SameConvConfig(c));

    /// <summary>A configuration with exactly the defect <paramref name="defect"/>, in one dimension (or in the channels), all else valid.</summary>
    public static Gen<InvalidConvConfig> Invalid(ConvDefect defect) =>
        from rank in ShapeGenerators.SpatialRank()
        from config in defect == ConvDefect.GroupsNotDividingChannels ? GroupsNotDividing(rank) : OneBadDim(rank, BadDim(defect))
        select new InvalidConvConfig(config, defect);

    /// <summary>A configuration with one defect of any kind (each kind equally likely).</summary>
    public static Gen<InvalidConvConfig> Invalid() =>
        Gen.Elements(Enum.GetValues<ConvDefect>()).SelectMany(Invalid);

    /// <summary>
    /// A valid configuration with one or two values made extreme (10⁹, 2³¹ − 1, 65 536 …): an input, padding,
    /// kernel, dilation, stride, or the channels or filters. The result may or may not be valid: sizes and
    /// counts may overflow 32 or 64 bits, which inference must report rather than wrap.
    /// </summary>
    public static Gen<ExtremeConvConfig> Extreme() =>
        from config in Valid()
        from count in Gen.Choose(1, 2)
        from changes in Gen.ArrayOf(Gen.Choose(0, 1 << 20), 3 * count)
        select new ExtremeConvConfig(Enumerable.Range(0, count).Aggregate(config, (c, i) => MakeExtreme(c, changes[3 * i], changes[3 * i + 1], changes[3 * i + 2])));

    private static readonly int[] ExtremeValues = [65_536, 46_341, 1_000_000_000, int.MaxValue / 2, int.MaxValue - 1, int.MaxValue];

    private static ConvConfig MakeExtreme(ConvConfig c, int what, int dim, int value)
    {
        var v = ExtremeValues[value % ExtremeValues.Length];
        var i = dim % c.Rank;
        return (what % 7) switch
        {
            0 => c with { Input = c.Input.SetItem(i, v) },
            1 => c with { Padding = c.Padding.SetItem(i, v) },
            2 => c with { Kernel = c.Kernel.SetItem(i, v) },
            3 => c with { Dilation = c.Dilation.SetItem(i, v) },
            4 => c with { Stride = c.Stride.SetItem(i, v) },
            5 => c with { Channels = v, Groups = 1 },
            _ => c with { Filters = v, Groups = 1 },
        };
    }

    private static Gen<Dim> BadDim(ConvDefect defect) => defect switch
    {
        ConvDefect.NonTilingStride =>
            from d in TilingDim(Gen.Choose(2, 4))
            from remainder in Gen.Choose(1, d.Stride - 1)
            select d with { Input = d.Input + remainder },
        ConvDefect.NonPositiveStride =>
            from d in TilingDim(Gen.Constant(1))
            from stride in Gen.Elements(0, -1, -2, -7, int.MinValue)
            select d with { Stride = stride },
        ConvDefect.NegativePadding =>
            from d in TilingDim(Gen.Constant(1))
            from padding in Gen.Elements(-1, -2, -5, int.MinValue)
            select d with { Padding = padding },
        ConvDefect.KernelLargerThanInput => TooSmallDim(),
        _ => throw new ArgumentOutOfRangeException(nameof(defect), defect, "not a per-dimension defect"),
    };

    private static Gen<ConvConfig> OneBadDim(int rank, Gen<Dim> bad) =>
        from dims in Gen.ArrayOf(TilingDim(Gen.Choose(1, 4)), rank)
        from index in Gen.Choose(0, rank - 1)
        from broken in bad
        from channels in Channels()
        select Assemble(dims.Select((d, i) => i == index ? broken : d).ToArray(), channels);

    private static Gen<ConvConfig> GroupsNotDividing(int rank) =>
        from dims in Gen.ArrayOf(TilingDim(Gen.Choose(1, 4)), rank)
        from groups in Gen.Choose(2, 4)
        from c in Gen.Choose(0, 3)
        from remainder in Gen.Choose(1, groups - 1)
        from f in Gen.Choose(1, 3)
        select Assemble(dims, (groups * c + remainder, groups * f, groups));
}
