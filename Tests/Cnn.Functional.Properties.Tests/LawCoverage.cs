using Cnn.Functional.Properties;
using FsCheck;
using FsCheck.Fluent;

namespace Cnn.Functional.Tests;

/// <summary>
/// A generated family of subjects a law is checked against, and what the law must find for it. A catch-all family
/// (<paramref name="CatchAll"/>) is checked only for the kinds no other family of the law covers.
/// </summary>
public sealed record Family(string Name, Gen<Subject> Subjects, LawStatus Expected = LawStatus.Holds, bool CatchAll = false)
{
    public override string ToString() => Name;
}

/// <summary>
/// Which families of layers each law is checked against: every layer kind a law applies to (the coverage test checks
/// that no kind is missing). A family that must violate a law says so: CoordConv and unshared convolution are not
/// translation-equivariant, and the law must say so.
/// </summary>
public static class LawCoverage
{
    private static Family F(string name, Gen<Subject> subjects, LawStatus expected = LawStatus.Holds) => new(name, subjects, expected);

    private static Family[] Pools(Func<PoolKind, Gen<Subject>> make, string name, params PoolKind[] kinds) =>
        kinds.Select(k => F($"{name} ({k})", make(k))).ToArray();

    private static readonly PoolKind[] AllPools = [PoolKind.Max, PoolKind.Average, PoolKind.Sum, PoolKind.L2];

    public static IReadOnlyDictionary<string, Family[]> Families { get; } = new Dictionary<string, Family[]>
    {
        [Laws.TranslationEquivariance.Name] =
        [
            F("convolutions", SubjectGenerators.Convolutions()),
            F("dilated convolutions", SubjectGenerators.DilatedConvolutions()),
            F("strided convolutions", SubjectGenerators.StridedConvolutions()),
            F("group convolutions", SubjectGenerators.GroupConvolutions()),
            F("depthwise convolutions", SubjectGenerators.DepthwiseConvolutions()),
            F("1×1 convolutions", SubjectGenerators.PointwiseConvolutions()),
            F("circular convolutions", SubjectGenerators.CircularConvolutions()),
            F("transposed convolutions", SubjectGenerators.TransposedConvolutions()),
            F("spatially separable convolutions", SubjectGenerators.SpatiallySeparableConvolutions()),
            F("depthwise-separable convolutions", SubjectGenerators.DepthwiseSeparableConvolutions()),
            F("Dirac convolutions", SubjectGenerators.DiracConvolutions()),
            F("partial convolutions", SubjectGenerators.PartialConvolutions()),
            F("binary convolutions", SubjectGenerators.BinaryConvolutions()),
            F("deformable convolutions", SubjectGenerators.DeformableConvolutions()),
            .. Pools(SubjectGenerators.Pools, "pooling", AllPools),
            F("subsampling", SubjectGenerators.Subsamplings()),
            .. Pools(SubjectGenerators.EvenAdaptivePools, "adaptive pooling with equal windows", PoolKind.Max, PoolKind.Average),
            F("activations", SubjectGenerators.Activations()),
            F("softmax", SubjectGenerators.Softmaxes()),
            F("local response normalisation", SubjectGenerators.LocalResponseNorms()),
            F("batch normalisation", SubjectGenerators.BatchNorms()),
            F("dropout", SubjectGenerators.Dropouts()),
            F("chains", SubjectGenerators.Chains()),
            F("CoordConv", SubjectGenerators.CoordConvs(), LawStatus.Violated),
            F("unshared convolutions", SubjectGenerators.LocallyConnectedLayers(), LawStatus.Violated),
        ],
        [Laws.CircularShiftInvariance.Name] =
        [
            .. Pools(SubjectGenerators.GlobalPools, "global pooling", AllPools),
            .. Pools(SubjectGenerators.GlobalAdaptivePools, "adaptive pooling to 1", PoolKind.Max, PoolKind.Average),
            .. Pools(SubjectGenerators.CircularGlobalPoolingNets, "circular convolutions then global pooling", PoolKind.Average, PoolKind.Max),
        ],
        [Laws.SpatialPermutationInvariance.Name] =
        [
            .. Pools(SubjectGenerators.GlobalPools, "global pooling", AllPools),
            .. Pools(SubjectGenerators.GlobalAdaptivePools, "adaptive pooling to 1", PoolKind.Max, PoolKind.Average),
            .. Pools(SubjectGenerators.PointwiseGlobalPoolingNets, "pointwise layers then global pooling", PoolKind.Sum, PoolKind.L2),
        ],
        [Laws.WindowPermutationInvariance.Name] =
        [
            .. Pools(SubjectGenerators.NonOverlappingPools, "non-overlapping pooling", AllPools),
            F("subsampling", SubjectGenerators.Subsamplings()),
            .. Pools(SubjectGenerators.EvenAdaptivePools, "adaptive pooling with equal windows", PoolKind.Max, PoolKind.Average),
        ],
        [Laws.Linearity.Name] =
        [
            F("convolutions", SubjectGenerators.Convolutions()),
            F("transposed convolutions", SubjectGenerators.TransposedConvolutions()),
            F("spatially separable convolutions", SubjectGenerators.SpatiallySeparableConvolutions()),
            F("depthwise-separable convolutions", SubjectGenerators.DepthwiseSeparableConvolutions()),
            F("unshared convolutions", SubjectGenerators.LocallyConnectedLayers()),
            F("partial convolutions", SubjectGenerators.PartialConvolutions()),
            F("Dirac convolutions", SubjectGenerators.DiracConvolutions()),
            F("binary-weight convolutions", SubjectGenerators.BinaryConvolutions()),
            .. Pools(SubjectGenerators.Pools, "pooling", PoolKind.Average, PoolKind.Sum),
            .. Pools(SubjectGenerators.GlobalPools, "global pooling", PoolKind.Average, PoolKind.Sum),
            .. Pools(SubjectGenerators.AdaptivePools, "adaptive pooling", PoolKind.Average),
            F("subsampling", SubjectGenerators.Subsamplings()),
            F("fully connected layers", SubjectGenerators.Denses()),
            F("flatten", SubjectGenerators.Flattens()),
            F("dropout", SubjectGenerators.Dropouts()),
        ],
        [Laws.PointwiseDense.Name] = [F("1×1 convolutions", SubjectGenerators.PointwiseConvolutions())],
        [Laws.SeparableRankOne.Name] = [F("spatially separable convolutions", SubjectGenerators.SpatiallySeparableConvolutions())],
        [Laws.DepthwiseSeparableDecomposition.Name] = [F("depthwise-separable convolutions", SubjectGenerators.DepthwiseSeparableConvolutions())],
        [Laws.GroupDecomposition.Name] =
        [
            F("group convolutions", SubjectGenerators.GroupConvolutions()),
            F("depthwise convolutions", SubjectGenerators.DepthwiseConvolutions()),
        ],
        [Laws.Adjoint.Name] =
        [
            F("zero-padded convolutions", SubjectGenerators.ZeroPaddedConvolutions()),
            F("transposed convolutions", SubjectGenerators.TransposedConvolutions()),
        ],
        [Laws.ConvBackprop.Name] =
        [
            F("zero-padded convolutions", SubjectGenerators.ZeroPaddedConvolutions()),
            F("strided convolutions", SubjectGenerators.StridedConvolutions()),
            F("dilated convolutions", SubjectGenerators.DilatedConvolutions()),
            F("group convolutions", SubjectGenerators.GroupConvolutions()),
            F("1×1 convolutions", SubjectGenerators.PointwiseConvolutions()),
        ],
        [Laws.MaxPoolSwitches.Name] =
        [
            F("max pooling", SubjectGenerators.Pools(PoolKind.Max)),
            F("global max pooling", SubjectGenerators.GlobalPools(PoolKind.Max)),
            F("adaptive max pooling", SubjectGenerators.AdaptivePools(PoolKind.Max)),
        ],
        [Laws.DropoutEvalIdentity.Name] = [F("dropout", SubjectGenerators.Dropouts())],
        [Laws.DropoutExpectation.Name] = [F("dropout", SubjectGenerators.Dropouts())],
        [Laws.BatchNormStandardizes.Name] = [F("batch normalisation", SubjectGenerators.BatchNorms())],
        [Laws.DiracIdentity.Name] =
        [
            F("convolutions with as many filters as channels", SubjectGenerators.IdentityShapedConvolutions()),
            F("Dirac convolutions with as many filters as channels", SubjectGenerators.IdentityShapedDiracConvolutions()),
        ],
        [Laws.ZeroResidualIdentity.Name] = [F("residual blocks", SubjectGenerators.ResidualBlocks())],
        [Laws.FullyConvolutionalEquivalence.Name] = [F("classifiers", SubjectGenerators.Classifiers())],
        [Laws.ShapeInference.Name] =
        [
            F("valid graphs of every layer kind", SubjectGenerators.ValidGraphs()),
            F("convolutions", SubjectGenerators.Convolutions()),
            F("transposed convolutions", SubjectGenerators.TransposedConvolutions()),
            F("spatially separable convolutions", SubjectGenerators.SpatiallySeparableConvolutions()),
            F("depthwise-separable convolutions", SubjectGenerators.DepthwiseSeparableConvolutions()),
            F("unshared convolutions", SubjectGenerators.LocallyConnectedLayers()),
            F("CoordConv", SubjectGenerators.CoordConvs()),
            F("Dirac convolutions", SubjectGenerators.DiracConvolutions()),
            F("partial convolutions", SubjectGenerators.PartialConvolutions()),
            F("binary convolutions", SubjectGenerators.BinaryConvolutions()),
            F("deformable convolutions", SubjectGenerators.DeformableConvolutions()),
            .. Pools(SubjectGenerators.Pools, "pooling", AllPools),
            .. Pools(SubjectGenerators.GlobalPools, "global pooling", AllPools),
            .. Pools(SubjectGenerators.AdaptivePools, "adaptive pooling", PoolKind.Max, PoolKind.Average),
            F("subsampling", SubjectGenerators.Subsamplings()),
            F("activations", SubjectGenerators.Activations()),
            F("softmax", SubjectGenerators.Softmaxes()),
            F("local response normalisation", SubjectGenerators.LocalResponseNorms()),
            F("batch normalisation", SubjectGenerators.BatchNorms()),
            F("layer, instance and group normalisation", SubjectGenerators.PerExampleNorms()),
            F("dropout", SubjectGenerators.Dropouts()),
            F("fully connected layers", SubjectGenerators.Denses()),
            F("flatten", SubjectGenerators.Flattens()),
            new("layers of every kind", SubjectGenerators.AnyLayer(), CatchAll: true),
        ],
    };

    /// <summary>The layer kind of a subject: its layer's kind, or "graph" for a whole graph.</summary>
    public static string KindOf(Subject subject) => subject.Layer?.Kind ?? "graph";

    /// <summary><paramref name="count"/> subjects of <paramref name="subjects"/> from <paramref name="seed"/>.</summary>
    public static Subject[] Sample(Gen<Subject> subjects, int count, int seed) =>
        FsCheck.FSharp.Gen.Sample(new Rnd((ulong)seed), 10, count, subjects);

    /// <summary>
    /// Every (law, family, layer kind) triple where the law applies to layers of that kind, for a theory: each kind of each
    /// family is checked on its own (XNOR layers in a family of binary convolutions are not linear, and not checked for it).
    /// </summary>
    public static TheoryData<string, string, string> Triples()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var (law, families) in Families)
        {
            var covered = families.Where(f => !f.CatchAll).SelectMany(f => KindsChecked(law, f)).ToHashSet(StringComparer.Ordinal);
            foreach (var family in families)
                foreach (var kind in KindsChecked(law, family).Where(k => !family.CatchAll || !covered.Contains(k))) data.Add(law, family.Name, kind);
        }
        return data;
    }

    /// <summary>The kinds of <paramref name="family"/> that <paramref name="law"/> applies to (sampled with a fixed seed, so discovery and execution agree).</summary>
    public static IReadOnlyList<string> KindsChecked(string law, Family family) =>
        Sample(family.Subjects, 400, 17).Where(s => Laws.Find(law)!.AppliesTo(s).Applies).Select(KindOf).Distinct().Order(StringComparer.Ordinal).ToList();

    public static Family Find(string law, string family) => Families[law].Single(f => f.Name == family);
}
