using FsCheck;
using static TorchSharp.torch;

namespace Cnn.Functional.Properties;

/// <summary>
/// A spatially separable convolution equals the full convolution with the rank-1 kernel its factors make: the
/// lecture's Sobel example, [[−1, 0, 1], [−2, 0, 2], [−1, 0, 1]] = [1, 2, 1]ᵀ × [−1, 0, 1]. The kernel of filter f and
/// channel c is factor1[f, c] ⊗ factor2[f] ⊗ factor3[f] (an outer product over the spatial dimensions), applied with the
/// layer's stride and padding, plus the bias.
/// </summary>
public sealed class SeparableRankOne : Law
{
    public override string Name => "separable-rank-one";

    public override string Statement => "separable(x) = conv(x, k₁ ⊗ k₂ (⊗ k₃)) + b: the full convolution with the rank-1 kernel";

    public override string Source => "lecture, 'Types of Convolution: Separable Convolution' (the Sobel kernel as [1, 2, 1]ᵀ × [−1, 0, 1])";

    public override Applicability AppliesTo(Subject subject) =>
        subject.Layer is SpatiallySeparableConv ? Applicability.Yes : Applicability.No("it is not a spatially separable convolution");

    public override Gen<Trial> Trials(Subject subject) => TrialGenerators.Cases();

    public override Outcome Run(Subject subject, Trial trial)
    {
        var window = Window.Of(subject.Layer!, subject.InputShape)!;
        using var instance = subject.Create(trial.DType, trial.Seed);
        var x = trial.MakeInput(subject.InputShape);
        var actual = instance.Forward(x);
        // factor1 [F, C, K₁, 1, …] · factor2 [F, 1, 1, K₂, …] · …: broadcasting is the outer product.
        var kernel = instance.Weight("factor1.weight");
        for (var i = 2; i <= window.Rank; i++) kernel = kernel * instance.Weight($"factor{i}.weight");
        var bias = instance.HasWeight("bias") ? instance.Weight("bias") : null;
        var expected = ReferenceOps.Convolve(x, kernel, bias, window, 1);
        return Outcome.Of(Difference.Of("separable(x)", actual, "conv(x, rank-1 kernel)", expected, trial.DType));
    }
}
