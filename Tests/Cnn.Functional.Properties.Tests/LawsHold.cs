using Cnn.Functional.Properties;
using FsCheck.Fluent;

namespace Cnn.Functional.Tests;

/// <summary>
/// Every law, checked by FsCheck against every family of layers it applies to, kind by kind (a family of activations is
/// checked once per function), with at least 100 generated cases each (subject and case both generated; half in
/// float32, half in float64). A failure prints the shrunk counterexample and the seed that replays it.
/// </summary>
[Collection("Laws")]
public class LawsHold
{
    public const int Cases = 100;

    [Theory]
    [MemberData(nameof(Triples))]
    public void Law_gives_the_expected_verdict_for_every_kind_of_the_family(string law, string family, string kind)
    {
        var subjects = LawCoverage.Find(law, family);
        var ofKind = subjects.Subjects.Where(s => LawCoverage.KindOf(s) == kind);
        var result = Laws.Find(law)!.Check(SubjectArbitraries.Of(ofKind), new LawOptions { Cases = Cases });
        Assert.True(result.Status == subjects.Expected, $"expected {subjects.Expected}, got: {result}");
        if (subjects.Expected == LawStatus.Holds) Assert.True(result.Cases >= Cases, $"only {result.Cases} cases ran: {result}");
    }

    public static TheoryData<string, string, string> Triples() => LawCoverage.Triples();
}
