using FsCheck;
using FsCheck.Fluent;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Cnn.Functional.Properties;

/// <summary>
/// Transposed convolution is the adjoint of convolution with the same weight: ⟨conv(x), y⟩ = ⟨x, convᵀ(y)⟩. For a
/// transposed convolution T the law checks ⟨T(y), x⟩ = ⟨y, conv(x)⟩ with conv the plain convolution of T's weight,
/// stride, padding and dilation; for a zero-padded convolution C it checks ⟨C(x), y⟩ = ⟨x, Cᵀ(y)⟩ with Cᵀ libtorch's
/// transposed convolution (cropped to the padding). Biases are removed by subtracting f(0), so f is linear.
/// </summary>
public sealed class Adjoint : Law
{
    public override string Name => "adjoint";

    public override string Statement => "⟨conv(x), y⟩ = ⟨x, convᵀ(y)⟩: the transposed convolution is the adjoint of the convolution with the same weight";

    public override string Source => "lecture, 'Types of Convolution: Transposed Convolution'; Dumoulin & Visin 2016, 'A guide to convolution arithmetic', §4";

    public override Applicability AppliesTo(Subject subject) => subject.Layer switch
    {
        ConvTranspose => Applicability.Yes,
        Conv { PaddingMode: not PaddingMode.Zeros } c when Window.Of(c, subject.InputShape)!.Pads =>
            Applicability.No($"its padding is {c.PaddingMode}, not zeros: its adjoint is not a transposed convolution"),
        Conv => Applicability.Yes,
        _ => Applicability.No("it is neither a convolution nor a transposed convolution"),
    };

    public override Gen<Trial> Trials(Subject subject) =>
        from trial in TrialGenerators.Cases()
        from other in TrialGenerators.Tensor(Draw.Gaussian, Draw.SmallIntegers)
        select trial with { Other = other };

    public override Outcome Run(Subject subject, Trial trial)
    {
        using var instance = subject.Create(trial.DType, trial.Seed);
        var x = trial.MakeInput(subject.InputShape);
        var y = trial.MakeOther(subject.OutputShape);
        // f(x) − f(0): the linear part, whatever the bias.
        var linear = instance.Forward(x) - instance.Forward(zeros_like(x));
        var weight = instance.Weight("weight");
        var adjoint = subject.Layer switch
        {
            ConvTranspose t => ConvOf(t, subject, y, weight),
            _ => TransposedConvOf((Conv)subject.Layer!, subject, y, weight),
        };
        var left = (linear.to_type(ScalarType.Float64) * y.to_type(ScalarType.Float64));
        var right = (x.to_type(ScalarType.Float64) * adjoint.to_type(ScalarType.Float64));
        var scale = Math.Max(left.abs().sum().item<double>(), right.abs().sum().item<double>());
        var name = subject.Layer is ConvTranspose ? ("⟨convᵀ(x), y⟩", "⟨x, conv(y)⟩") : ("⟨conv(x), y⟩", "⟨x, convᵀ(y)⟩");
        return Outcome.Of(Difference.Of(name.Item1, left.sum().item<double>(), name.Item2, right.sum().item<double>(), scale, trial.DType));
    }

    // The adjoint of a transposed convolution: the convolution with its weight [C, F/G, *K], read as F → C, cropped to the input.
    private static Tensor ConvOf(ConvTranspose t, Subject subject, Tensor y, Tensor weight)
    {
        var rank = subject.InputShape.SpatialRank;
        var kernel = Window.Resolve(t.Kernel, rank)!;
        var dilation = Window.Resolve(t.Dilation, rank)!;
        var window = new Window(kernel, kernel.Select((k, i) => dilation[i] * (k - 1) + 1).ToArray(), Window.Resolve(t.Stride, rank)!, dilation,
            Window.Resolve(t.Padding, rank)!, Window.Resolve(t.Padding, rank)!, PaddingMode.Zeros);
        var full = ReferenceOps.Convolve(y, weight, null, window, t.Groups);
        for (var i = 0; i < rank; i++) full = full.narrow(2 + i, 0, subject.InputShape.Spatial[i]);
        return full;
    }

    // The adjoint of a zero-padded convolution: libtorch's transposed convolution over the padded input, then the padding cut off.
    private static Tensor TransposedConvOf(Conv conv, Subject subject, Tensor y, Tensor weight)
    {
        var input = subject.InputShape.Spatial;
        var w = Window.Of(conv, subject.InputShape)!;
        var rank = w.Rank;
        // Floor rounding leaves r = (W + P − e) mod s trailing positions unread: output padding restores them.
        var extra = input.Select((s, i) => (long)((s + w.PadBefore[i] + w.PadAfter[i] - w.Extent[i]) % w.Stride[i])).ToArray();
        var stride = ReferenceOps.Longs(w.Stride);
        var dilation = ReferenceOps.Longs(w.Dilation);
        var none = new long[rank];
        var full = rank switch
        {
            1 => F.conv_transpose1d(y, weight, null, stride[0], 0, extra[0], dilation[0], conv.Groups),
            2 => F.conv_transpose2d(y, weight, null, stride, none, extra, dilation, conv.Groups),
            _ => F.conv_transpose3d(y, weight, null, stride, none, extra, dilation, conv.Groups),
        };
        for (var i = 0; i < rank; i++) full = full.narrow(2 + i, w.PadBefore[i], input[i]);
        return full;
    }
}
