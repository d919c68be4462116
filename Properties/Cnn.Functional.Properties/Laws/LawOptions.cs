using static TorchSharp.torch;

namespace Cnn.Functional.Properties;

/// <summary>
/// How a law is checked: how many cases, from which seed (a fresh random one unless given; the result reports it,
/// so a failure replays), in which dtypes (each case draws one), and how many shrinking steps at most.
/// </summary>
public sealed record LawOptions
{
    /// <summary>Cases that must run (skipped cases are replaced, up to <see cref="MaxAttempts"/> in all).</summary>
    public int Cases { get; init; } = 100;

    /// <summary>The seed of the run: the same seed and options give the same cases.</summary>
    public int Seed { get; init; } = Random.Shared.Next();

    /// <summary>The dtypes a case may run in; both by default, so both tolerances are exercised.</summary>
    public EquatableArray<ScalarType> DTypes { get; init; } = EquatableArray.Of(ScalarType.Float32, ScalarType.Float64);

    /// <summary>The most shrinking steps after a failure.</summary>
    public int MaxShrinks { get; init; } = 200;

    /// <summary>Generated cases (and subjects, for a family) tried before giving up on skipped ones.</summary>
    public int MaxAttempts => 3 * Cases + 20;

    /// <summary>Checks the options before a run.</summary>
    /// <exception cref="ArgumentException">No case, no dtype, or a negative number of shrinks.</exception>
    internal void Validate()
    {
        if (Cases < 1) throw new ArgumentException($"a law needs at least one case; got Cases = {Cases}");
        if (DTypes.Count == 0) throw new ArgumentException("a law needs at least one dtype to run in; DTypes is empty");
        if (MaxShrinks < 0) throw new ArgumentException($"MaxShrinks must be at least 0; got {MaxShrinks}");
    }

    /// <summary>100 cases, a fresh seed, float32 and float64.</summary>
    public static LawOptions Default => new();
}
