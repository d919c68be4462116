namespace Cnn.Functional.Properties;

/// <summary>
/// Simpler versions of a failed case, tried in order: one example instead of two, inputs drawn more simply
/// (Gaussian → small integers → one impulse), simpler coefficients, and a smaller shift. Each keeps the case's dtype
/// and seed, so a counterexample stays about the same weights.
/// </summary>
public static class TrialShrinker
{
    /// <summary>Simpler cases, with inputs only among <paramref name="draws"/>.</summary>
    public static IEnumerable<Trial> Shrink(Trial trial, IReadOnlyList<Draw> draws, int minBatch = 1)
    {
        if (trial.Batch > minBatch) yield return trial with { Batch = minBatch };
        foreach (var input in Simpler(trial.Input, draws)) yield return trial with { Input = input };
        if (trial.Other is not null)
            foreach (var other in Simpler(trial.Other, draws)) yield return trial with { Other = other };
        if (trial.Coefficients is { } c)
            foreach (var simpler in Simpler(c)) yield return trial with { Coefficients = simpler };
        foreach (var shift in Smaller(trial.Transformation)) yield return trial with { Transformation = shift };
    }

    /// <summary>Simpler input recipes among <paramref name="draws"/>: later draws in the enum are simpler; an impulse moves toward the first position.</summary>
    public static IEnumerable<InputTensor> Simpler(InputTensor input, IReadOnlyList<Draw> draws)
    {
        foreach (var draw in draws.Where(d => d > input.Draw)) yield return new InputTensor(draw, draw == Draw.OneHot ? 0 : input.Seed);
        if (input.Draw == Draw.OneHot && input.Seed != 0) yield return input with { Seed = input.Seed / 2 };
    }

    private static IEnumerable<Coefficients> Simpler(Coefficients c)
    {
        if (c != new Coefficients(1, 1)) yield return new Coefficients(1, 1);
        if (c.Alpha != 1 && c.Alpha != 0) yield return c with { Alpha = 1 };
        if (c.Beta != 1 && c.Beta != 0) yield return c with { Beta = 1 };
    }

    /// <summary>
    /// Shifts with one offset made smaller (to ±1 … ±4, half, or one less); a law skips those that are not multiples of
    /// its period, so shrinking settles on the smallest shift that still fails.
    /// </summary>
    public static IEnumerable<Transformation> Smaller(Transformation? transformation)
    {
        var offsets = transformation switch
        {
            Translation t => t.Offsets.Items.ToArray(),
            CircularShift c => c.Offsets.Items.ToArray(),
            _ => null,
        };
        if (offsets is null) yield break;
        for (var i = 0; i < offsets.Length; i++)
        {
            var o = offsets[i];
            if (o == 0) continue;
            var sign = Math.Sign(o);
            foreach (var smaller in new[] { 0, sign, 2 * sign, 3 * sign, 4 * sign, o / 2, o - sign }.Distinct())
            {
                if (Math.Abs(smaller) >= Math.Abs(o)) continue;
                var copy = (int[])offsets.Clone();
                copy[i] = smaller;
                if (copy.All(x => x == 0)) continue;
                yield return transformation is Translation ? new Translation(copy) : new CircularShift(copy);
            }
        }
        if (transformation is CircularShift circular) yield return new Translation(circular.Offsets);
    }
}
