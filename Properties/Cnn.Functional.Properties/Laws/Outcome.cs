namespace Cnn.Functional.Properties;

/// <summary>What one case of a law found.</summary>
public enum Verdict
{
    /// <summary>The two sides agreed within the tolerance.</summary>
    Holds,

    /// <summary>They did not: this case is a counterexample.</summary>
    Violated,

    /// <summary>The subject threw instead of computing: a counterexample too (bad input gets a clear error, valid input never a crash).</summary>
    Threw,

    /// <summary>The case said nothing (e.g. a shift left no interior to compare); it is not counted.</summary>
    Skipped,
}

/// <summary>
/// The result of one case: the verdict, the largest difference between the law's two sides and the tolerance it
/// was held to (NaN when the law is not about numbers, e.g. a shape), and where the difference is.
/// </summary>
public sealed record Outcome(Verdict Verdict, double LargestDifference, double Tolerance, string Detail)
{
    public static Outcome Skip(string reason) => new(Verdict.Skipped, double.NaN, double.NaN, reason);

    public static Outcome Fail(string detail) => new(Verdict.Violated, double.NaN, double.NaN, detail);

    public static Outcome Pass(string detail) => new(Verdict.Holds, double.NaN, double.NaN, detail);

    /// <summary>Holds when <paramref name="difference"/> is within its tolerance.</summary>
    public static Outcome Of(Difference difference, string context = "") =>
        new(difference.Within ? Verdict.Holds : Verdict.Violated, difference.Largest, difference.Tolerance,
            context.Length == 0 ? difference.ToString() : $"{context}: {difference}");

    /// <summary>The subject threw <paramref name="exception"/>.</summary>
    public static Outcome Crash(Exception exception) =>
        new(Verdict.Threw, double.NaN, double.NaN, $"the case threw {exception.GetType().Name}: {exception.Message.Split('\n')[0]}");

    /// <summary>True for a counterexample: violated, or thrown.</summary>
    public bool Fails => Verdict is Verdict.Violated or Verdict.Threw;

    /// <summary>The first violated outcome, else the one with the largest difference relative to its tolerance.</summary>
    public static Outcome Worst(params Outcome[] outcomes) =>
        outcomes.FirstOrDefault(o => o.Fails)
        ?? outcomes.Where(o => o.Verdict == Verdict.Holds).OrderByDescending(o => o.Tolerance > 0 ? o.LargestDifference / o.Tolerance : 0).FirstOrDefault()
        ?? outcomes.FirstOrDefault() ?? Skip("nothing was compared");
}
