using FsCheck;
using FsCheck.Fluent;

namespace Cnn.Functional.Properties;

/// <summary>
/// FsCheck <see cref="Arbitrary{T}"/> instances for the generators of this library, for
/// <c>[Property(Arbitrary = new[] { typeof(Arbitraries) })]</c> (FsCheck.Xunit) or <c>Prop.ForAll(Arbitraries.X(), …)</c>.
/// One instance per type; the configuration records, shapes and valid graphs shrink (a failing case shrinks
/// to the smallest of its kind: a valid configuration to a smaller valid one, an invalid one to a smaller one
/// with the same defect), hostile layers and damaged JSON do not.
/// </summary>
/// <remarks>
/// FsCheck picks an instance by the parameter's type, so each distribution has its own type:
/// <see cref="ConvConfig"/> is valid and tiles exactly; <see cref="FloorConvConfig"/>, <see cref="SameConvConfig"/>
/// and <see cref="InvalidConvConfig"/> wrap one for other uses. To change the instance for a type, put a class
/// of your own before this one: FsCheck.Xunit lets earlier types in <c>Arbitrary</c> override later ones
/// (see <see cref="ChainArbitraries"/>).
/// </remarks>
public static class Arbitraries
{
    /// <summary>Valid input shapes (mostly spatial, 1-D to 3-D; sometimes flat), shrinking to smaller shapes.</summary>
    public static Arbitrary<Shape> Shapes() => Arb.From(ShapeGenerators.Input(), ShapeGenerators.Shrink);

    /// <summary>Valid convolution configurations whose stride tiles exactly, shrinking to smaller valid ones.</summary>
    public static Arbitrary<ConvConfig> ConvConfigs() => Arb.From(ConvConfigGenerators.Valid(), ConvConfigShrinker.ShrinkValid);

    /// <summary>Configurations whose kernel fits but whose stride need not tile (for floor rounding).</summary>
    public static Arbitrary<FloorConvConfig> FloorConvConfigs() => Arb.From(ConvConfigGenerators.Floor(), ConvConfigShrinker.ShrinkFloor);

    /// <summary>Configurations for 'same' padding: any kernel and dilation.</summary>
    public static Arbitrary<SameConvConfig> SameConvConfigs() => Arb.From(ConvConfigGenerators.Same(), ConvConfigShrinker.ShrinkSame);

    /// <summary>Configurations with exactly one defect, of every kind, shrinking while keeping that defect.</summary>
    public static Arbitrary<InvalidConvConfig> InvalidConvConfigs() => Arb.From(ConvConfigGenerators.Invalid(), ConvConfigShrinker.ShrinkInvalid);

    /// <summary>Configurations with values up to <c>int.MaxValue</c>, valid or not; shrinking halves them.</summary>
    public static Arbitrary<ExtremeConvConfig> ExtremeConvConfigs() => Arb.From(ConvConfigGenerators.Extreme(), ConvConfigShrinker.ShrinkExtreme);

    /// <summary>Layers of every kind with hostile hyperparameters (no shrinking).</summary>
    public static Arbitrary<Layer> HostileLayers() => Arb.From(LayerGenerators.Hostile());

    /// <summary>Dirac, partial and binary convolutions whose counts lie at the top of the 64-bit range, with the input they read (no shrinking).</summary>
    public static Arbitrary<LayerOnInput> CountBoundaryLayers() => Arb.From(LayerGenerators.CountBoundary());

    /// <summary>Random chains and DAGs of plausible and hostile layers, sometimes structurally damaged; shrink to prefixes.</summary>
    public static Arbitrary<Graph> RandomGraphs() => Arb.From(GraphGenerators.Hostile(), GraphGenerators.ShrinkPrefix);

    /// <summary>Valid chains and DAGs with the expected shape of every node; shrink to prefixes.</summary>
    public static Arbitrary<ValidGraph> ValidGraphs() => Arb.From(ValidGraphGenerators.Any(), ValidGraphGenerators.Shrink);

    /// <summary>Valid graphs' JSON after one to three mutations (no shrinking).</summary>
    public static Arbitrary<MutatedJson> MutatedGraphJson() => Arb.From(JsonMutationGenerators.MutatedGraphJson());

    /// <summary>Summary options from hostile integers (zero, negative, huge batch sizes and byte counts).</summary>
    public static Arbitrary<SummaryOptions> HostileSummaryOptions() => Arb.From(
        from batch in LayerGenerators.HostileInt()
        from bytes in LayerGenerators.HostileInt()
        from moments in Gen.Frequency((3, Gen.Choose(0, 2)), (1, LayerGenerators.HostileInt()))
        select new SummaryOptions(batch, bytes, moments));
}

/// <summary>
/// Overrides <see cref="ValidGraph"/> with chains only. List it before <see cref="Arbitraries"/>:
/// <c>[Property(Arbitrary = new[] { typeof(ChainArbitraries), typeof(Arbitraries) })]</c>.
/// </summary>
public static class ChainArbitraries
{
    /// <summary>Valid chains (every node reads the one before it); shrink to prefixes.</summary>
    public static Arbitrary<ValidGraph> ValidChains() => Arb.From(ValidGraphGenerators.Chain(), ValidGraphGenerators.Shrink);
}

/// <summary>
/// <see cref="Arbitrary{T}"/> instances of law subjects, one per family of <see cref="SubjectGenerators"/>, each shrinking
/// with <see cref="SubjectShrinker"/>: pass one to <see cref="Law.Check(Arbitrary{Subject}, LawOptions?)"/>.
/// </summary>
public static class SubjectArbitraries
{
    /// <summary>The subjects of <paramref name="generator"/>, shrinking to smaller valid ones.</summary>
    public static Arbitrary<Subject> Of(Gen<Subject> generator) => Arb.From(generator, SubjectShrinker.Shrink);
}

/// <summary>
/// <see cref="Arbitrary{T}"/> instances of the parts of a law's case: input tensors (shrinking to simpler draws) and
/// transformations of positions for maps of given extents (shifts shrink toward smaller ones).
/// </summary>
public static class TrialArbitraries
{
    /// <summary>Input recipes drawn as <paramref name="draws"/> say (all draws but <see cref="Draw.Distinct"/> when none are given).</summary>
    public static Arbitrary<InputTensor> InputTensors(params Draw[] draws)
    {
        Draw[] chosen = draws.Length > 0 ? draws : [Draw.Gaussian, Draw.SmallIntegers, Draw.OneHot];
        return Arb.From(TrialGenerators.Tensor(chosen), input => TrialShrinker.Simpler(input, chosen));
    }

    /// <summary>Translations and circular shifts by multiples of <paramref name="periods"/>, at most half of each extent.</summary>
    public static Arbitrary<Transformation> Shifts(int[] extents, long[] periods) =>
        Arb.From(TrialGenerators.Shift(extents, periods), TrialShrinker.Smaller);

    /// <summary>Permutations of the positions: any, flips, circular shifts and (for equal extents) quarter turns.</summary>
    public static Arbitrary<Transformation> SpatialPermutations(params int[] extents) => Arb.From(TrialGenerators.SpatialPermutation(extents));

    /// <summary>Permutations within the windows of a pooling layer (window, stride, padding before, outputs per axis).</summary>
    public static Arbitrary<Transformation> WindowPermutations(int[] extents, int[] window, int[] stride, int[] padBefore, int[] outputs) =>
        Arb.From(TrialGenerators.WithinWindows(extents, window, stride, padBefore, outputs));
}
