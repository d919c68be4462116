using FsCheck;
using FsCheck.Fluent;

namespace Cnn.Functional.Properties;

/// <summary>
/// Global pooling is invariant to any permutation of the positions (flips, quarter turns, circular shifts and
/// arbitrary shuffles alike): each channel is pooled over a set, not a sequence (Network-in-Network's f̄ᵢ = mean over x, y
/// of fᵢ). Layers before it must be pointwise for this to hold, since a window sees neighbours.
/// </summary>
public sealed class SpatialPermutationInvariance : Law
{
    public override string Name => "spatial-permutation-invariance";

    public override string Statement => "f(π(x)) = f(x) for every permutation π of the spatial positions";

    public override string Source => "lecture, 'Equivariance vs. Invariance' and global average pooling (Lin et al. 2014, Network in Network)";

    public override Applicability AppliesTo(Subject subject)
    {
        var (global, prefix, reason) = Invariance.Find(subject);
        if (global is null) return Applicability.No(reason);
        if (prefix is null) return Applicability.Yes;
        var windowed = prefix.Inferred.Nodes.FirstOrDefault(n => n.Node.Layer is not Input && !IsPointwise(n.Node.Layer));
        return windowed is null ? Applicability.Yes
            : Applicability.No($"{windowed.Path} ({windowed.Node.Layer.Kind}) sees neighbouring positions before the global pooling");
    }

    private static bool IsPointwise(Layer layer) =>
        layer is Activation or Softmax or LocalResponseNorm or BatchNorm or Dropout or Add or Concat or WeightedSum or HighwayGate;

    public override Gen<Trial> Trials(Subject subject) =>
        from trial in TrialGenerators.Cases()
        from permutation in TrialGenerators.SpatialPermutation(subject.InputShape.Spatial)
        select trial with { Transformation = permutation };

    public override Outcome Run(Subject subject, Trial trial) => Invariance.Run(subject, trial);
}
