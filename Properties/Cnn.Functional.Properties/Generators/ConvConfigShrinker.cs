namespace Cnn.Functional.Properties;

/// <summary>
/// Shrinking for <see cref="ConvConfig"/>: candidates that are smaller in one respect (a dimension dropped, a
/// smaller input, kernel, stride, padding, dilation, fewer channels or groups), kept only when they stay in
/// the same class as the original — a valid configuration shrinks to valid ones, an invalid one to
/// configurations with the same single defect — so a counterexample shrinks to the smallest of its kind.
/// </summary>
public static class ConvConfigShrinker
{
    /// <summary>Smaller valid configurations (the stride still tiles exactly).</summary>
    public static IEnumerable<ConvConfig> ShrinkValid(ConvConfig config) =>
        Candidates(config).Where(c => c.IsWellFormed && c.Defects().Count == 0);

    /// <summary>Smaller configurations whose kernel still fits (the stride need not tile).</summary>
    public static IEnumerable<FloorConvConfig> ShrinkFloor(FloorConvConfig config) =>
        Candidates(config.Config)
            .Where(c => c.IsWellFormed && c.Defects().All(d => d == ConvDefect.NonTilingStride))
            .Select(c => new FloorConvConfig(c));

    /// <summary>Smaller configurations for 'same' padding (zero padding, positive strides, groups dividing channels).</summary>
    public static IEnumerable<SameConvConfig> ShrinkSame(SameConvConfig config) =>
        Candidates(config.Config)
            .Where(c => c.IsWellFormed && c.Padding.All(p => p == 0) && c.Stride.All(s => s >= 1) && c.Channels % c.Groups == 0)
            .Select(c => new SameConvConfig(c));

    /// <summary>Smaller well-formed configurations, valid or not (extreme values halve toward ordinary ones).</summary>
    public static IEnumerable<ExtremeConvConfig> ShrinkExtreme(ExtremeConvConfig config) =>
        Candidates(config.Config).Where(c => c.IsWellFormed).Select(c => new ExtremeConvConfig(c));

    /// <summary>Smaller configurations with the same single defect.</summary>
    public static IEnumerable<InvalidConvConfig> ShrinkInvalid(InvalidConvConfig config) =>
        Candidates(config.Config)
            .Where(c => c.IsWellFormed && c.Defects() is [var only] && only == config.Defect)
            .Select(c => config with { Config = c });

    /// <summary>
    /// Every one-step-smaller configuration, valid or not. Each candidate lowers the total |padding|, or keeps
    /// it and lowers the other values or the rank (none raises the padding), so shrinking ends.
    /// </summary>
    public static IEnumerable<ConvConfig> Candidates(ConvConfig c)
    {
        if (c.Rank > 1)
            for (var i = 0; i < c.Rank; i++)
                yield return c with
                {
                    Input = Drop(c.Input, i), Kernel = Drop(c.Kernel, i), Stride = Drop(c.Stride, i),
                    Padding = Drop(c.Padding, i), Dilation = Drop(c.Dilation, i),
                };

        if (c.Groups > 1) yield return c with { Groups = 1 };
        if (c.Groups > 1 && c.Channels > c.Groups && c.Filters > c.Groups)
            yield return c with { Channels = c.Channels - c.Groups, Filters = c.Filters - c.Groups };
        if (c.Channels > c.Groups) yield return c with { Channels = c.Channels - c.Groups };
        if (c.Filters > c.Groups) yield return c with { Filters = c.Filters - c.Groups };
        if (c.Channels > 1) yield return c with { Channels = c.Channels - 1 };
        if (c.Filters > 1) yield return c with { Filters = c.Filters - 1 };

        for (var i = 0; i < c.Rank; i++)
        {
            var stride = Math.Max(c.Stride[i], 1);
            foreach (var w in ShapeGenerators.Smaller(c.Input[i]).Prepend(c.Input[i] - stride).Where(w => w >= 1 && w < c.Input[i]).Distinct())
                yield return c with { Input = c.Input.SetItem(i, w) };
            foreach (var k in ShapeGenerators.Smaller(c.Kernel[i]))
                yield return c with { Kernel = c.Kernel.SetItem(i, k) };
            foreach (var d in ShapeGenerators.Smaller(c.Dilation[i]))
                yield return c with { Dilation = c.Dilation.SetItem(i, d) };
            foreach (var p in TowardZero(c.Padding[i]))
                yield return c with { Padding = c.Padding.SetItem(i, p) };
            foreach (var s in c.Stride[i] >= 1 ? ShapeGenerators.Smaller(c.Stride[i]) : TowardZero(c.Stride[i]))
                yield return c with { Stride = c.Stride.SetItem(i, s) };
            // Moving padding and input together keeps W + 2P (and so the output) while simplifying.
            if (c.Padding[i] > 0)
                yield return c with { Padding = c.Padding.SetItem(i, c.Padding[i] - 1), Input = c.Input.SetItem(i, c.Input[i] + 2) };
        }
    }

    private static EquatableArray<int> Drop(EquatableArray<int> values, int index) =>
        values.Where((_, i) => i != index).ToEquatableArray();

    /// <summary>Values closer to 0: 0 and then halving the distance to <paramref name="n"/>; negative values stay negative (−1 before 0).</summary>
    private static IEnumerable<int> TowardZero(int n) => n switch
    {
        0 => [],
        > 0 => ShapeGenerators.Approach(0, n),
        -1 => [0],
        _ => ShapeGenerators.Approach(1, n == int.MinValue ? int.MaxValue : -n).Select(x => -x),
    };
}
