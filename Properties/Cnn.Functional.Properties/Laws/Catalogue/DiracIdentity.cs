using FsCheck;
using static TorchSharp.torch;

namespace Cnn.Functional.Properties;

/// <summary>
/// A Dirac-initialised convolution is the identity: with the kernel a delta at the centre tap (1 for filter f and its
/// own input channel, 0 elsewhere; torch.nn.init.dirac_) and no bias, conv(x) = x. The law sets that kernel — for a
/// <see cref="DiracConv"/>, α = 1 and β = 0, so Ŵ = diag(α)·I + diag(β)·W/‖W‖ is the delta. It applies when filters equal
/// input channels, the stride is 1, and the padding centres the kernel (P_before = D·⌊F/2⌋), so the output keeps the
/// input's size; an even kernel with 'same' padding puts its delta one tap off the centre and is not in scope.
/// </summary>
public sealed class DiracIdentity : Law
{
    public override string Name => "dirac-identity";

    public override string Statement => "conv(x; δ-kernel, bias 0) = x";

    public override string Source => "lecture, 'DiracNets' (Zagoruyko & Komodakis 2017: Ŵ = diag(a)·I + diag(b)·W)";

    public override Applicability AppliesTo(Subject subject)
    {
        var (filters, stride) = subject.Layer switch
        {
            Conv c => (c.Filters, c.Stride),
            DiracConv d => (d.Filters, Size.All(1)),
            _ => (0, Size.All(0)),
        };
        if (filters == 0) return Applicability.No("it is neither a convolution nor a Dirac convolution");
        if (filters != subject.InputShape.Channels) return Applicability.No($"it has {filters} filters for {subject.InputShape.Channels} input channels: the delta is the identity only for as many of each");
        var w = Window.Of(subject.Layer!, subject.InputShape)!;
        if (w.Stride.Any(s => s != 1)) return Applicability.No($"its stride is {stride}: it subsamples");
        for (var i = 0; i < w.Rank; i++)
            if (w.PadBefore[i] != w.Dilation[i] * (w.Kernel[i] / 2) || subject.OutputShape.Spatial[i] != subject.InputShape.Spatial[i])
                return Applicability.No($"its padding does not centre the kernel: {w.PadBefore[i]} before a kernel of {w.Kernel[i]} dilated by {w.Dilation[i]}, where the delta sits at tap {w.Kernel[i] / 2}");
        return Applicability.Yes;
    }

    public override Gen<Trial> Trials(Subject subject) => TrialGenerators.Cases();

    public override Outcome Run(Subject subject, Trial trial)
    {
        using var instance = subject.Create(trial.DType, trial.Seed);
        if (subject.Layer is DiracConv)
        {
            instance.Assign("alpha", ones_like(instance.Weight("alpha")));
            instance.Assign("beta", zeros_like(instance.Weight("beta")));
        }
        else
            instance.Assign("weight", Delta(instance.Weight("weight")));
        if (instance.HasWeight("bias")) instance.Assign("bias", zeros_like(instance.Weight("bias")));
        var x = trial.MakeInput(subject.InputShape);
        return Outcome.Of(Difference.Of("conv(x; δ)", instance.Forward(x), "x", x, trial.DType));
    }

    /// <summary>The delta kernel of the shape of <paramref name="weight"/> [F, C/G, *K]: filter f reads its own channel, f mod C/G in its group, at the centre.</summary>
    internal static Tensor Delta(Tensor weight)
    {
        var delta = zeros_like(weight);
        var perGroup = weight.shape[1];
        var centre = weight.shape.Skip(2).Select(k => TensorIndex.Single(k / 2)).ToArray();
        for (long f = 0; f < weight.shape[0]; f++)
        {
            TensorIndex[] index = [TensorIndex.Single(f), TensorIndex.Single(f % perGroup), .. centre];
            delta.index_put_(1.0, index);
        }
        return delta;
    }
}
