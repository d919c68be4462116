using Cnn.Functional.Properties;
using FsCheck;
using FsCheck.Fluent;

namespace Cnn.Functional.Tests;

/// <summary>
/// The checks above cover every layer kind each law applies to: for layers of every kind the library makes (from the
/// generators of valid layers on random inputs, and from the law families themselves), a law that applies to some
/// layer of a kind must have that kind among the ones it is checked against.
/// </summary>
[Collection("Laws")]
public class LawCoverageTests
{
    [Fact]
    public void Every_layer_kind_a_law_applies_to_is_checked_against_it()
    {
        var byKind = SampleOfEveryKind();
        var missing = new List<string>();
        foreach (var law in Laws.All)
        {
            var covered = LawCoverage.Families.GetValueOrDefault(law.Name, []).SelectMany(f => LawCoverage.KindsChecked(law.Name, f)).ToHashSet(StringComparer.Ordinal);
            foreach (var (kind, subjects) in byKind)
                if (!covered.Contains(kind) && subjects.FirstOrDefault(s => law.AppliesTo(s).Applies) is { } example)
                    missing.Add($"{law.Name} applies to {kind} ({example.Description}) but is not checked against it");
        }
        Assert.True(missing.Count == 0, string.Join("\n", missing));
        // The sample really holds every single-input kind of the library.
        foreach (var kind in new[] { "conv", "convTranspose", "depthwiseSeparableConv", "spatiallySeparableConv", "locallyConnected", "coordConv", "deformableConv",
                     "diracConv", "partialConv", "binaryWeightConv", "xnorConv", "maxPool", "avgPool", "sumPool", "l2Pool", "globalMaxPool", "globalL2Pool",
                     "adaptiveMaxPool", "adaptiveAvgPool", "subsampling", "relu", "scaledTanh", "softmax", "localResponseNorm", "batchNorm", "layerNorm",
                     "instanceNorm", "groupNorm", "dropout", "spatialDropout", "dense", "binaryWeightDense", "xnorDense", "rbfOutput", "flatten" })
            Assert.True(byKind.ContainsKey(kind), $"no {kind} layer was sampled");
    }

    [Fact]
    public void Every_law_is_checked_against_some_family_and_every_family_makes_subjects_it_applies_to()
    {
        foreach (var law in Laws.All)
        {
            Assert.True(LawCoverage.Families.ContainsKey(law.Name), $"{law.Name} has no families");
            foreach (var family in LawCoverage.Families[law.Name])
            {
                var applicable = LawCoverage.Sample(family.Subjects, 50, 3).Count(s => law.AppliesTo(s).Applies);
                // Generators make subjects in scope by construction: at most a few fall outside (e.g. XNOR layers for linearity).
                Assert.True(applicable >= 20, $"{law.Name} applies to only {applicable} of 50 {family.Name}");
            }
        }
    }

    // Layers of every kind: the valid-layer generator on random inputs, and every single-layer family of the coverage table.
    private static Dictionary<string, List<Subject>> SampleOfEveryKind()
    {
        var shapes = FsCheck.FSharp.Gen.Sample(new Rnd(5UL), 10, 400, ShapeGenerators.Input());
        var subjects = new List<Subject>();
        var random = 0UL;
        foreach (var shape in shapes)
            foreach (var step in FsCheck.FSharp.Gen.Sample(new Rnd(++random), 10, 3, ValidLayerGenerators.For(shape)))
                if (step.Layer is not Input)
                    subjects.Add(Subject.For(step.Layer, shape));
        subjects.AddRange(LawCoverage.Families.Values.SelectMany(f => f).SelectMany(f => LawCoverage.Sample(f.Subjects, 40, 11)).Where(s => s.Layer is not null));
        return subjects.GroupBy(LawCoverage.KindOf).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
    }
}
