using System.Globalization;

namespace Cnn.Functional.Properties;

/// <summary>Whether a law held for a subject.</summary>
public enum LawStatus
{
    /// <summary>Every generated case held.</summary>
    Holds,

    /// <summary>A case failed; the result carries the shrunk counterexample.</summary>
    Violated,

    /// <summary>The law does not speak about this subject; the result says why.</summary>
    NotApplicable,
}

/// <summary>
/// A failed case after shrinking: the configuration (the subject, e.g. the layer's hyperparameters and input shape),
/// the case (dtype, inputs, transformation), and the largest difference with the tolerance it exceeded.
/// Replay it with <see cref="Law.Run(Subject, Trial)"/> on <see cref="Subject"/> and <see cref="Trial"/>.
/// </summary>
public sealed record Counterexample(Subject Subject, Trial Trial, double LargestDifference, double Tolerance, string Detail, int Shrinks)
{
    /// <summary>The subject's configuration: layer hyperparameters, input shape, replaced forwards.</summary>
    public string Configuration => Subject.Description;

    /// <summary>The transformation of the case, or "none" for laws without one.</summary>
    public string Transformation => Trial.Transformation?.ToString() ?? "none";

    public override string ToString()
    {
        var difference = double.IsNaN(LargestDifference)
            ? ""
            : string.Format(CultureInfo.InvariantCulture, "\n  largest difference {0:G4} > tolerance {1:G3}", LargestDifference, Tolerance);
        return $"configuration: {Configuration}\n  case: {Trial}{difference}\n  {Detail}\n  (after {Shrinks} shrinking steps)";
    }
}

/// <summary>
/// The result of checking a law: its status, how many cases ran (for a violation: the number of the failing case), how
/// many said nothing and were skipped (or, for a family, generated subjects the law does not apply to), the
/// counterexample when it was violated, why it does not apply when it does not, and the seed that replays the run.
/// </summary>
public sealed record LawResult(string Law, string Subject, LawStatus Status, int Cases, int Skipped, Counterexample? Counterexample, string Reason, int Seed)
{
    public bool Holds => Status == LawStatus.Holds;

    private string CaseCount => Cases == 1 ? "1 case" : $"{Cases} cases";

    public override string ToString() => Status switch
    {
        LawStatus.Holds => $"{Law} holds for {Subject}: {CaseCount} (seed {Seed})",
        LawStatus.Violated => $"{Law} is violated by {Subject} (seed {Seed}, case {Cases}):\n  {Counterexample}",
        _ => $"{Law} does not apply to {Subject}: {Reason}",
    };
}

/// <summary>Whether a law applies to a subject, and if not, why not.</summary>
public sealed record Applicability(bool Applies, string Reason)
{
    public static Applicability Yes { get; } = new(true, "");

    public static Applicability No(string reason) => new(false, reason);
}
