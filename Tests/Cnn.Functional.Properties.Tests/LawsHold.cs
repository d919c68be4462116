using Cnn.Functional.Properties;

namespace Cnn.Functional.Tests;

/// <summary>
/// Every law, checked by FsCheck against every family of layers it applies to, with at least 100 generated cases
/// (subject and case both generated; half in float32, half in float64). A failure prints the shrunk counterexample and
/// the seed that replays it.
/// </summary>
[Collection("Laws")]
public class LawsHold
{
    public const int Cases = 100;

    [Theory]
    [MemberData(nameof(Pairs))]
    public void Law_gives_the_expected_verdict_for_the_family(string law, string family)
    {
        var subjects = LawCoverage.Find(law, family);
        var result = Laws.Find(law)!.Check(SubjectArbitraries.Of(subjects.Subjects), new LawOptions { Cases = Cases });
        Assert.True(result.Status == subjects.Expected, $"expected {subjects.Expected}, got: {result}");
        if (subjects.Expected == LawStatus.Holds) Assert.True(result.Cases >= Cases, $"only {result.Cases} cases ran: {result}");
    }

    public static TheoryData<string, string> Pairs() => LawCoverage.Pairs();
}
