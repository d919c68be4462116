using FsCheck;
using FsCheck.Fluent;
using static TorchSharp.torch;

namespace Cnn.Functional.Properties;

/// <summary>
/// A law of layers as a value: a name, the statement with its source, which subjects it speaks about, a generator of
/// cases for a subject, and what one case checks. Check it against one subject (<see cref="Check(Subject, LawOptions?)"/>:
/// FsCheck generates the cases), against a generated family of subjects (<see cref="Check(Arbitrary{Subject}, LawOptions?)"/>:
/// FsCheck generates the subjects too), or hand it to FsCheck's own runner (<see cref="ToProperty"/>). A failure is
/// shrunk — the subject with the family's shrinker, the case with the law's — to the smallest counterexample found.
/// </summary>
/// <remarks>The laws of the library are in <see cref="Laws"/>. To write your own, derive from this class.</remarks>
public abstract class Law
{
    /// <summary>The law's name in results and on the command line, e.g. "translation-equivariance".</summary>
    public abstract string Name { get; }

    /// <summary>The law as a formula, e.g. "f(shift(x)) = shift(f(x))".</summary>
    public abstract string Statement { get; }

    /// <summary>Where the law comes from (the lecture's slide, a paper).</summary>
    public abstract string Source { get; }

    /// <summary>Whether the law speaks about <paramref name="subject"/>; if not, why not.</summary>
    public abstract Applicability AppliesTo(Subject subject);

    /// <summary>The cases for <paramref name="subject"/> (the check sets each case's dtype from the options).</summary>
    public abstract Gen<Trial> Trials(Subject subject);

    /// <summary>Simpler cases to try when <paramref name="trial"/> failed: batch 1, simpler inputs, smaller transformations.</summary>
    public virtual IEnumerable<Trial> ShrinkTrial(Subject subject, Trial trial) => TrialShrinker.Shrink(trial, Draws);

    /// <summary>The input draws this law's cases use (shrinking stays among them).</summary>
    protected virtual IReadOnlyList<Draw> Draws => [Draw.Gaussian, Draw.SmallIntegers, Draw.OneHot];

    /// <summary>Runs one case. Called with libtorch's generator locked and inside a dispose scope.</summary>
    public abstract Outcome Run(Subject subject, Trial trial);

    /// <summary>Checks the law for <paramref name="subject"/> on <see cref="LawOptions.Cases"/> generated cases.</summary>
    /// <exception cref="ArgumentException">The options ask for no case or no dtype.</exception>
    public LawResult Check(Subject subject, LawOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(subject);
        options ??= LawOptions.Default;
        options.Validate();
        var applies = AppliesTo(subject);
        if (!applies.Applies) return new LawResult(Name, subject.Name, LawStatus.NotApplicable, 0, 0, null, applies.Reason, options.Seed);
        var trials = Trials(subject);
        var random = new Random(options.Seed);
        int ran = 0, skipped = 0;
        var lastSkip = "";
        for (var attempt = 0; ran < options.Cases && attempt < options.MaxAttempts; attempt++)
        {
            var trial = Sample(trials, attempt, random) with { DType = options.DTypes[attempt % options.DTypes.Count] };
            var outcome = RunCase(subject, trial);
            if (outcome.Verdict == Verdict.Holds) ran++;
            else if (outcome.Verdict == Verdict.Skipped) { skipped++; lastSkip = outcome.Detail; }
            else return Violated(subject.Name, ran, skipped, Shrink(subject, trial, outcome, null, options), options.Seed);
        }
        return ran == 0
            ? new LawResult(Name, subject.Name, LawStatus.NotApplicable, 0, skipped, null, $"none of {skipped} generated cases could be compared: {lastSkip}", options.Seed)
            : new LawResult(Name, subject.Name, LawStatus.Holds, ran, skipped, null, "", options.Seed);
    }

    /// <summary>
    /// Checks the law for generated subjects: each case draws a subject (those the law does not apply to are skipped)
    /// and a case for it. A failure shrinks the subject with <paramref name="subjects"/>' shrinker, then the case.
    /// </summary>
    public LawResult Check(Arbitrary<Subject> subjects, LawOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(subjects);
        options ??= LawOptions.Default;
        options.Validate();
        var random = new Random(options.Seed);
        int ran = 0, skipped = 0;
        var lastSkip = "";
        var kinds = new SortedSet<string>(StringComparer.Ordinal);
        for (var attempt = 0; ran < options.Cases && attempt < options.MaxAttempts; attempt++)
        {
            var subject = Sample(subjects.Generator, attempt, random);
            kinds.Add(subject.Layer?.Kind ?? "graph");
            var applies = AppliesTo(subject);
            if (!applies.Applies) { skipped++; lastSkip = $"{subject.Name}: {applies.Reason}"; continue; }
            var trial = Sample(Trials(subject), attempt, random) with { DType = options.DTypes[attempt % options.DTypes.Count] };
            var outcome = RunCase(subject, trial);
            if (outcome.Verdict == Verdict.Holds) ran++;
            else if (outcome.Verdict == Verdict.Skipped) { skipped++; lastSkip = outcome.Detail; }
            else return Violated(Family(kinds), ran, skipped, Shrink(subject, trial, outcome, subjects.Shrinker, options), options.Seed);
        }
        return ran == 0
            ? new LawResult(Name, Family(kinds), LawStatus.NotApplicable, 0, skipped, null, $"no generated subject and case could be compared: {lastSkip}", options.Seed)
            : new LawResult(Name, Family(kinds), LawStatus.Holds, ran, skipped, null, "", options.Seed);
    }

    /// <summary>
    /// The law for <paramref name="subject"/> as an FsCheck property, for FsCheck's runner (e.g. a <c>[Property]</c>
    /// test returning it): cases that say nothing are discarded; a violation fails with the outcome as its label.
    /// </summary>
    /// <exception cref="ArgumentException">The law does not apply to the subject (the message says why).</exception>
    public Property ToProperty(Subject subject)
    {
        ArgumentNullException.ThrowIfNull(subject);
        var applies = AppliesTo(subject);
        if (!applies.Applies) throw new ArgumentException($"{Name} does not apply to {subject.Name}: {applies.Reason}", nameof(subject));
        var cases = Arb.From(Trials(subject), trial => ShrinkTrial(subject, trial));
        return Prop.ForAll(cases, trial =>
        {
            var outcome = RunCase(subject, trial);
            return Prop.Label(Prop.When(outcome.Verdict != Verdict.Skipped, () => !outcome.Fails), outcome.Detail);
        });
    }

    /// <summary>Runs one case with libtorch's generator locked and every tensor it makes disposed; an exception is a counterexample (<see cref="Verdict.Threw"/>).</summary>
    public Outcome RunCase(Subject subject, Trial trial)
    {
        lock (Seeding.Gate)
        {
            using var scope = NewDisposeScope();
            try
            {
                return Run(subject, trial);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                return Outcome.Crash(e);
            }
        }
    }

    public override string ToString() => $"{Name}: {Statement}";

    private LawResult Violated(string subject, int ran, int skipped, Counterexample counterexample, int seed) =>
        new(Name, subject, LawStatus.Violated, ran + 1, skipped, counterexample, "", seed);

    // Greedy shrinking, as FsCheck's: take the first simpler candidate that still fails the same way (a wrong value stays
    // a wrong value, a crash a crash), until none does.
    private Counterexample Shrink(Subject subject, Trial trial, Outcome outcome, Func<Subject, IEnumerable<Subject>>? subjects, LawOptions options)
    {
        var steps = 0;
        for (var progress = true; progress && steps < options.MaxShrinks;)
        {
            progress = false;
            var smallerSubjects = (subjects?.Invoke(subject) ?? []).Where(s => AppliesTo(s).Applies).Select(s => (Subject: s, Trial: trial));
            var simplerTrials = ShrinkTrial(subject, trial).Select(t => (Subject: subject, Trial: t));
            foreach (var candidate in smallerSubjects.Concat(simplerTrials))
            {
                var result = RunCase(candidate.Subject, candidate.Trial);
                if (result.Verdict != outcome.Verdict) continue;
                (subject, trial, outcome) = (candidate.Subject, candidate.Trial, result);
                steps++;
                progress = true;
                break;
            }
        }
        return new Counterexample(subject, trial, outcome.LargestDifference, outcome.Tolerance, outcome.Detail, steps);
    }

    // Case i of a run: size grows with i (as FsCheck's runner does), the seed comes from the run's seed.
    private static T Sample<T>(Gen<T> gen, int attempt, Random random) =>
        FsCheck.FSharp.Gen.Sample(new Rnd((ulong)random.NextInt64()), Math.Min(attempt, 100), 1, gen)[0];

    private static string Family(SortedSet<string> kinds) => $"generated {string.Join(", ", kinds)}";
}
