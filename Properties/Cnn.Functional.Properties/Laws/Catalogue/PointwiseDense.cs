using FsCheck;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Cnn.Functional.Properties;

/// <summary>
/// A 1×1 convolution is a fully connected layer applied at every pixel (the lecture's "1×1 convolution: reduce the
/// number of channels"): y[n, :, p] = W·x[n, :, p·s] + b, with W the [F, C] matrix of the kernel (block-diagonal over
/// groups) and the input padded and subsampled by the stride first.
/// </summary>
public sealed class PointwiseDense : Law
{
    public override string Name => "pointwise-dense";

    public override string Statement => "conv_{1×1}(x)[:, p] = W·x[:, p·s] + b at every position p: a fully connected layer per pixel";

    public override string Source => "lecture, 'Types of Convolution: 1x1 Convolution' (Lin et al. 2014, Network in Network)";

    public override Applicability AppliesTo(Subject subject)
    {
        if (subject.Layer is not Conv) return Applicability.No("it is not a convolution");
        var window = Window.Of(subject.Layer, subject.InputShape)!;
        return window.Kernel.All(k => k == 1) ? Applicability.Yes : Applicability.No($"its kernel is {string.Join("×", window.Kernel)}, not 1×1");
    }

    public override Gen<Trial> Trials(Subject subject) => TrialGenerators.Cases();

    public override Outcome Run(Subject subject, Trial trial)
    {
        var conv = (Conv)subject.Layer!;
        var window = Window.Of(conv, subject.InputShape)!;
        using var instance = subject.Create(trial.DType, trial.Seed);
        var x = trial.MakeInput(subject.InputShape);
        var actual = instance.Forward(x);

        // Pad, keep every s-th pixel, and multiply each pixel's channel vector by its group's block of W.
        var pixels = ReferenceOps.Subsample(ReferenceOps.Pad(x, window), window.Stride, subject.OutputShape.Spatial);
        var weight = instance.Weight("weight").flatten(1);                        // [F, C/G]
        var bias = instance.HasWeight("bias") ? instance.Weight("bias") : null;
        var (groups, inPer, outPer) = (conv.Groups, subject.InputShape.Channels / conv.Groups, conv.Filters / conv.Groups);
        var blocks = new List<Tensor>();
        for (var g = 0; g < groups; g++)
        {
            var channelsLast = pixels.narrow(1, g * inPer, inPer).movedim([1L], [-1L]);   // [N, *O, C/G]
            var y = F.linear(channelsLast, weight.narrow(0, g * outPer, outPer), bias?.narrow(0, g * outPer, outPer));
            blocks.Add(y.movedim([-1L], [1L]));
        }
        return Outcome.Of(Difference.Of("conv1×1(x)", actual, "per-pixel W·x + b", cat(blocks.ToArray(), 1), trial.DType));
    }
}
