using FsCheck;
using FsCheck.Fluent;

namespace Cnn.Functional.Properties;

/// <summary>
/// Global pooling (average, max, sum, L2) is invariant to circular shifts: f(roll(x)) = f(x) for any shift, since a
/// shift only reorders the positions each channel is pooled over. A subject that pools globally after layers that
/// commute with circular shifts (circular padding that tiles, pointwise layers) is invariant to shifts by multiples of
/// their stride.
/// </summary>
public sealed class CircularShiftInvariance : Law
{
    public override string Name => "circular-shift-invariance";

    public override string Statement => "f(roll_t(x)) = f(x) for every circular shift t (a multiple of the stride before the global pooling)";

    public override string Source => "lecture, 'Equivariance vs. Invariance' (f(g(x)) = f(x); pooling provides invariance); Lin et al. 2014, global average pooling";

    public override Applicability AppliesTo(Subject subject)
    {
        var (global, prefix, reason) = Invariance.Find(subject);
        if (global is null) return Applicability.No(reason);
        if (prefix is null) return Applicability.Yes;
        var geometry = Geometry.Of(prefix);
        if (!geometry.Wraps) return Applicability.No($"the layers before {global.Path} do not commute with circular shifts: " +
            (geometry.Known ? "their padding is not circular or they do not tile their input" : geometry.Reason));
        return Applicability.Yes;
    }

    public override Gen<Trial> Trials(Subject subject)
    {
        var prefix = Invariance.Find(subject).Prefix;
        var periods = prefix is null ? subject.InputShape.Spatial.Select(_ => 1L).ToArray() : Geometry.Of(prefix).Axes.Select(a => a.Period).ToArray();
        return from trial in TrialGenerators.Cases()
               from shift in TrialGenerators.CircularShift(subject.InputShape.Spatial, periods)
               select trial with { Transformation = shift };
    }

    public override Outcome Run(Subject subject, Trial trial)
    {
        if (trial.Transformation is not CircularShift shift || shift.Offsets.Count != subject.InputShape.SpatialRank) return Outcome.Skip("the case has no circular shift of the input's rank");
        var prefix = Invariance.Find(subject).Prefix;
        if (prefix is not null)
        {
            var axes = Geometry.Of(prefix).Axes;
            if (shift.Offsets.Where((o, i) => o % axes[i].Period != 0).Any()) return Outcome.Skip("the shift is not a multiple of the stride before the global pooling");
        }
        return Invariance.Run(subject, trial);
    }
}
