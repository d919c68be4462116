using FsCheck;
using FsCheck.Fluent;

namespace Cnn.Functional.Properties;

/// <summary>
/// Pooling is invariant to permutations within each pooling window: a window's max (mean, sum, L2 norm) does not
/// depend on where in the window each value is. It applies to pooling whose windows do not overlap (stride ≥ window),
/// since a permutation inside one overlapping window would move values of its neighbours; LeNet's subsampling (a
/// window sum times a coefficient) and adaptive pooling with equal windows obey it too.
/// </summary>
public sealed class WindowPermutationInvariance : Law
{
    public override string Name => "window-permutation-invariance";

    public override string Statement => "pool(π(x)) = pool(x) for every permutation π that keeps each value inside its pooling window";

    public override string Source => "lecture, 'Pooling' (max pooling over a window; pooling provides invariance to small translation)";

    public override Applicability AppliesTo(Subject subject)
    {
        if (subject.Layer is not (Pool or Subsampling or AdaptivePool)) return Applicability.No("it does not pool over windows");
        var window = Window.Of(subject.Layer, subject.InputShape);
        if (window is null) return Applicability.No("its adaptive windows are unequal (the input is not a multiple of the output)");
        var overlapping = Enumerable.Range(0, window.Rank).FirstOrDefault(i => window.Stride[i] < window.Extent[i], -1);
        if (overlapping >= 0) return Applicability.No($"its windows overlap (stride {window.Stride[overlapping]} < window {window.Extent[overlapping]}): a permutation inside one window moves values of its neighbour");
        if (subject.InputShape.Spatial.Aggregate(1L, (a, s) => a * s) < 2) return Applicability.No("a single position has no permutation");
        return Applicability.Yes;
    }

    public override Gen<Trial> Trials(Subject subject)
    {
        var window = Window.Of(subject.Layer!, subject.InputShape)!;
        return from trial in TrialGenerators.Cases()
               from permutation in TrialGenerators.WithinWindows(subject.InputShape.Spatial, window.Extent, window.Stride, window.PadBefore, subject.OutputShape.Spatial)
               select trial with { Transformation = permutation };
    }

    public override Outcome Run(Subject subject, Trial trial)
    {
        var window = Window.Of(subject.Layer!, subject.InputShape);
        if (window is null || trial.Transformation is not SpatialPermutation p || !p.Fits(subject.InputShape.Spatial)
            || !TrialGenerators.PreservesWindows(p.Order, subject.InputShape.Spatial, window.Extent, window.Stride, window.PadBefore, subject.OutputShape.Spatial))
            return Outcome.Skip("the case's permutation does not keep values within this layer's windows");
        return Invariance.Run(subject, trial);
    }
}
