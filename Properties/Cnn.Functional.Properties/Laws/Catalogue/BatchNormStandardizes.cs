using System.Globalization;
using FsCheck;
using static TorchSharp.torch;

namespace Cnn.Functional.Properties;

/// <summary>
/// Batch normalisation in training mode standardises each channel over the batch and positions: with γ = 1 and β = 0
/// (the law sets them) every channel of the output has mean 0 and (biased) variance v/(v + ε), where v is the channel's
/// variance in the input — 1 up to ε. Batches have 2 or 3 examples.
/// </summary>
public sealed class BatchNormStandardizes : Law
{
    public override string Name => "batch-norm-standardizes";

    public override string Statement => "in training, with γ = 1 and β = 0: per channel, mean(BN(x)) = 0 and var(BN(x)) = v/(v + ε) ≈ 1";

    public override string Source => "lecture, 'Alternative: Batch Normalization' (Ioffe & Szegedy 2015, Algorithm 1)";

    public override Applicability AppliesTo(Subject subject) =>
        subject.Layer is BatchNorm ? Applicability.Yes : Applicability.No("it is not batch normalisation");

    public override Gen<Trial> Trials(Subject subject) => TrialGenerators.Cases(2, 3, Draw.Gaussian, Draw.SmallIntegers);

    public override IEnumerable<Trial> ShrinkTrial(Subject subject, Trial trial) => TrialShrinker.Shrink(trial, Draws, minBatch: 2);

    public override Outcome Run(Subject subject, Trial trial)
    {
        var norm = (BatchNorm)subject.Layer!;
        using var instance = subject.Create(trial.DType, trial.Seed);
        if (norm.Affine)
        {
            instance.Assign("weight", ones_like(instance.Weight("weight")));
            instance.Assign("bias", zeros_like(instance.Weight("bias")));
        }
        instance.Training = true;
        var x = trial.MakeInput(subject.InputShape);
        var y = instance.Forward(x).to_type(ScalarType.Float64);
        long[] others = [0, .. ReferenceOps.SpatialDims((int)x.dim() - 2)];
        var v = x.to_type(ScalarType.Float64).var(others, unbiased: false);
        var mean = y.mean(others);
        var variance = y.var(others, unbiased: false);
        var expected = v / (v + norm.Epsilon);
        return Outcome.Worst(
            Outcome.Of(Difference.Of("per-channel mean", mean, "0", zeros_like(mean), trial.DType), "mean"),
            Outcome.Of(Difference.Of("per-channel variance", variance, "v/(v + ε)", expected, trial.DType), string.Format(CultureInfo.InvariantCulture, "variance (ε = {0})", norm.Epsilon)));
    }
}
