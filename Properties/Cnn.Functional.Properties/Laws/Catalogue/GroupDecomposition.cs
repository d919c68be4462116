using FsCheck;
using static TorchSharp.torch;

namespace Cnn.Functional.Properties;

/// <summary>
/// A group convolution equals the concatenation of independent convolutions (AlexNet's two GPUs): group g convolves
/// input channels g·C/G … (g + 1)·C/G − 1 with filters g·F/G … (g + 1)·F/G − 1 and nothing else, and the G results
/// are concatenated along the channels.
/// </summary>
public sealed class GroupDecomposition : Law
{
    public override string Name => "group-decomposition";

    public override string Statement => "conv_G(x) = concat_g conv(x[channels of group g], W[filters of group g])";

    public override string Source => "lecture, 'Types of Convolution: Group Convolution' (Krizhevsky et al. 2012)";

    public override Applicability AppliesTo(Subject subject) => subject.Layer switch
    {
        Conv { Groups: > 1 } => Applicability.Yes,
        Conv => Applicability.No("it has one group"),
        _ => Applicability.No("it is not a convolution"),
    };

    public override Gen<Trial> Trials(Subject subject) => TrialGenerators.Cases();

    public override Outcome Run(Subject subject, Trial trial)
    {
        var conv = (Conv)subject.Layer!;
        var window = Window.Of(conv, subject.InputShape)!;
        using var instance = subject.Create(trial.DType, trial.Seed);
        var x = trial.MakeInput(subject.InputShape);
        var actual = instance.Forward(x);
        var weight = instance.Weight("weight");
        var bias = instance.HasWeight("bias") ? instance.Weight("bias") : null;
        var (inPer, outPer) = (subject.InputShape.Channels / conv.Groups, conv.Filters / conv.Groups);
        var parts = Enumerable.Range(0, conv.Groups).Select(g =>
            ReferenceOps.Convolve(x.narrow(1, g * inPer, inPer), weight.narrow(0, g * outPer, outPer), bias?.narrow(0, g * outPer, outPer), window, 1)).ToArray();
        return Outcome.Of(Difference.Of("conv_G(x)", actual, "concat of G convolutions", cat(parts, 1), trial.DType));
    }
}
