using FsCheck;
using FsCheck.Fluent;
using static TorchSharp.torch;

namespace Cnn.Functional.Properties;

/// <summary>
/// Backpropagation through a convolution is a convolution, and autograd agrees with the closed forms. For L = ⟨f(x), g⟩
/// (g plays ∂L/∂net):
/// <list type="bullet">
/// <item>∂L/∂a_i = Σ_j ∂L/∂net_{i−j+1}·w_j — a "full" convolution of g (with s − 1 zeros inserted between its values
/// for stride s) with the flipped kernel, input and output channels swapped within each group; then cropped to the
/// unpadded input;</item>
/// <item>∂L/∂w_k = Σ_i ∂L/∂net_i·a_{i+k−1} — the correlation of the padded input with g;</item>
/// <item>∂L/∂b = Σ g.</item>
/// </list>
/// It applies to zero-padded convolutions: 1×1, strided, dilated and grouped ones included.
/// </summary>
public sealed class ConvBackprop : Law
{
    public override string Name => "conv-backprop";

    public override string Statement => "∂L/∂a_i = Σ_j ∂L/∂net_{i−j+1}·w_j (a full convolution with the flipped kernel) and ∂L/∂w_k = Σ_i ∂L/∂net_i·a_{i+k−1}";

    public override string Source => "lecture, 'Backpropagation through convolution' ('This is also convolution!')";

    public override Applicability AppliesTo(Subject subject) => subject.Layer switch
    {
        Conv { PaddingMode: not PaddingMode.Zeros } c when Window.Of(c, subject.InputShape)!.Pads =>
            Applicability.No($"its padding is {c.PaddingMode}: the closed form is the zero-padded one"),
        Conv => Applicability.Yes,
        _ => Applicability.No("it is not a convolution"),
    };

    public override Gen<Trial> Trials(Subject subject) =>
        from trial in TrialGenerators.Cases()
        from gradient in TrialGenerators.Tensor(Draw.Gaussian, Draw.SmallIntegers)
        select trial with { Other = gradient };

    public override Outcome Run(Subject subject, Trial trial)
    {
        var conv = (Conv)subject.Layer!;
        var w = Window.Of(conv, subject.InputShape)!;
        using var instance = subject.Create(trial.DType, trial.Seed);
        var x = trial.MakeInput(subject.InputShape).requires_grad_(true);
        var g = trial.MakeOther(subject.OutputShape);
        var weight = instance.Weight("weight");
        var bias = instance.HasWeight("bias") ? instance.Weight("bias") : null;
        weight.grad?.zero_();
        (instance.Forward(x) * g).sum().backward();

        using var noGrad = no_grad();
        if (x.grad is null || weight.grad is null) return Outcome.Fail($"autograd gave {(x.grad is null ? "the input" : "the weight")} no gradient: the forward does not use it");
        var outcomes = new List<Outcome>
        {
            Outcome.Of(Difference.Of("autograd ∂L/∂x", x.grad!, "full convolution of g with the flipped kernel", InputGradient(g, weight.detach(), w, conv.Groups, subject.InputShape), trial.DType), "∂L/∂x"),
            Outcome.Of(Difference.Of("autograd ∂L/∂w", weight.grad!, "Σ_i g_i·a_{i+k−1}", WeightGradient(x.detach(), g, weight, w, conv.Groups), trial.DType), "∂L/∂w"),
        };
        if (bias is not null && bias.grad is null) return Outcome.Fail("autograd gave the bias no gradient: the forward does not use it");
        if (bias is not null)
            outcomes.Add(Outcome.Of(Difference.Of("autograd ∂L/∂b", bias.grad!, "Σ g", g.sum(SpatialAndBatch(g)), trial.DType), "∂L/∂b"));
        return Outcome.Worst([.. outcomes]);
    }

    private static long[] SpatialAndBatch(Tensor g) => [0, .. ReferenceOps.SpatialDims((int)g.dim() - 2)];

    /// <summary>Zero-insert g by the stride, pad it by extent − 1, convolve with the flipped, channel-swapped kernel, crop the padding.</summary>
    internal static Tensor InputGradient(Tensor g, Tensor weight, Window w, int groups, Shape input)
    {
        var rank = w.Rank;
        var spread = ReferenceOps.InsertZeros(g, w.Stride);
        // The padded input has W + P_before + P_after positions; the windows cover (O − 1)·s + e of them (floor rounding may leave a tail).
        var covered = Enumerable.Range(0, rank).Select(i => spread.shape[2 + i] + w.Extent[i] - 1).ToArray();
        var padded = Enumerable.Range(0, rank).Select(i => (long)input.Spatial[i] + w.PadBefore[i] + w.PadAfter[i]).ToArray();
        var full = new Window(w.Kernel, w.Extent, Enumerable.Repeat(1, rank).ToArray(), w.Dilation,
            w.Extent.Select(e => e - 1).ToArray(), w.Extent.Select((e, i) => (int)(e - 1 + padded[i] - covered[i])).ToArray(), PaddingMode.Zeros);
        // [F, C/G, *K] → per group [C/G, F/G, *K], flipped in every spatial dimension: [C, F/G, *K].
        var (f, inPer) = (weight.shape[0], weight.shape[1]);
        long[] kernel = [.. weight.shape.Skip(2)];
        var swapped = weight.reshape([groups, f / groups, inPer, .. kernel]).transpose(1, 2).reshape([groups * inPer, f / groups, .. kernel])
            .flip(ReferenceOps.SpatialDims(rank));
        var gradient = ReferenceOps.Convolve(spread, swapped, null, full, groups);
        for (var i = 0; i < rank; i++) gradient = gradient.narrow(2 + i, w.PadBefore[i], input.Spatial[i]);
        return gradient;
    }

    /// <summary>∂L/∂w[f, c, k] = Σ_{n, o} g[n, f, o]·x_padded[n, c of f's group, o·s + k·d], one kernel tap at a time.</summary>
    internal static Tensor WeightGradient(Tensor x, Tensor g, Tensor weight, Window w, int groups)
    {
        var rank = w.Rank;
        var padded = ReferenceOps.Pad(x, w);
        var output = g.shape.Skip(2).Select(o => (int)o).ToArray();
        var (f, inPer) = (weight.shape[0], weight.shape[1]);
        var outPer = f / groups;
        var taps = Positions.Grid(w.Kernel).ToArray();
        var result = zeros_like(weight, dtype: g.dtype);
        foreach (var tap in taps)
        {
            // The input values tap k meets: positions o·s + k·d for every output o.
            var seen = padded;
            for (var i = 0; i < rank; i++)
                seen = seen.narrow(2 + i, (long)tap[i] * w.Dilation[i], (long)(output[i] - 1) * w.Stride[i] + 1);
            seen = ReferenceOps.Subsample(seen, w.Stride, output).flatten(2);           // [N, C, P]
            var gradients = g.flatten(2);                                                // [N, F, P]
            for (var group = 0; group < groups; group++)
            {
                var a = gradients.narrow(1, group * outPer, outPer);                     // [N, F/G, P]
                var b = seen.narrow(1, group * inPer, inPer);                            // [N, C/G, P]
                var sum = einsum("nfp,ncp->fc", a, b);
                TensorIndex[] index = [TensorIndex.Slice(group * outPer, (group + 1) * outPer), TensorIndex.Colon, .. tap.Select(k => TensorIndex.Single(k))];
                result[index] = sum;
            }
        }
        return result;
    }
}
