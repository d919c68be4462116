using FsCheck;
using FsCheck.Fluent;
using static TorchSharp.torch;

namespace Cnn.Functional.Properties;

/// <summary>
/// Max-pooling's gradient is routed only to the arg-max of each window (the lecture's "switches"): ∂L/∂a_i = ∂L/∂net_k
/// when a_i is the max of window k, else 0, summed over the windows that pick a_i (overlapping windows can pick the same
/// value). The closed form is computed here by scanning every window, independently of libtorch, and compared with
/// autograd. Inputs have distinct values, so every arg-max is unique. It applies to max pooling of any geometry, global
/// max pooling and adaptive max pooling.
/// </summary>
public sealed class MaxPoolSwitches : Law
{
    public override string Name => "max-pool-switches";

    public override string Statement => "∂L/∂a_i = ∂L/∂net_k if a_i is the max of window k, else 0 (summed over windows)";

    public override string Source => "lecture, 'Backpropagation through pooling' (the switches)";

    protected override IReadOnlyList<Draw> Draws => [Draw.Distinct];

    public override Applicability AppliesTo(Subject subject) => subject.Layer switch
    {
        Pool { Function: PoolKind.Max } or GlobalPool { Function: PoolKind.Max } or AdaptivePool { Function: PoolKind.Max } => Applicability.Yes,
        Pool or GlobalPool or AdaptivePool => Applicability.No("it does not take a maximum"),
        _ => Applicability.No("it is not max pooling"),
    };

    public override Gen<Trial> Trials(Subject subject) =>
        from trial in TrialGenerators.Cases(1, 2, Draw.Distinct)
        from gradient in TrialGenerators.Tensor(Draw.Gaussian, Draw.SmallIntegers)
        select trial with { Other = gradient };

    public override Outcome Run(Subject subject, Trial trial)
    {
        using var instance = subject.Create(trial.DType, trial.Seed);
        var x = trial.MakeInput(subject.InputShape).requires_grad_(true);
        var g = trial.MakeOther(subject.OutputShape);
        (instance.Forward(x) * g).sum().backward();
        if (x.grad is null) return Outcome.Fail("autograd gave the input no gradient");
        var expected = Switches(subject, x.detach(), g);
        return Outcome.Of(Difference.Of("autograd ∂L/∂x", x.grad, "g routed to each window's arg-max", expected, trial.DType));
    }

    // Scans every window of every example and channel, adding the window's upstream gradient at its arg-max.
    private static Tensor Switches(Subject subject, Tensor x, Tensor g)
    {
        var input = subject.InputShape.Spatial;
        var outputs = subject.OutputShape.IsFlat ? input.Select(_ => 1).ToArray() : subject.OutputShape.Spatial;
        var windows = Enumerable.Range(0, input.Length).Select(i => WindowsAlong(subject, i, input[i], outputs[i])).ToArray();
        var values = x.to_type(ScalarType.Float64).contiguous().data<double>().ToArray();
        var upstream = g.to_type(ScalarType.Float64).contiguous().data<double>().ToArray();
        var result = new double[values.Length];
        var (n, c) = ((int)x.shape[0], (int)x.shape[1]);
        var plane = input.Aggregate(1, (a, s) => a * s);
        var outPlane = outputs.Aggregate(1, (a, s) => a * s);
        for (var example = 0; example < n * c; example++)
        {
            var outputIndex = 0;
            foreach (var o in Positions.Grid(outputs))
            {
                var ranges = o.Select((k, i) => Enumerable.Range(windows[i][k].First, windows[i][k].Last - windows[i][k].First + 1).ToArray()).ToArray();
                var best = -1;
                foreach (var p in Positions.Product(ranges))
                {
                    var at = example * plane + Positions.Flat(p, input);
                    if (best < 0 || values[at] > values[best]) best = at;
                }
                if (best >= 0) result[best] += upstream[example * outPlane + outputIndex];
                outputIndex++;
            }
        }
        return tensor(result, dtype: ScalarType.Float64).reshape(x.shape);
    }

    // The input positions [first, last] of each output along one axis, clipped to the input.
    private static (int First, int Last)[] WindowsAlong(Subject subject, int axis, int input, int outputs) => subject.Layer switch
    {
        Pool => Enumerable.Range(0, outputs).Select(o =>
        {
            var w = Window.Of(subject.Layer, subject.InputShape)!;
            var (first, last) = w.Reads(axis, o);
            return (Math.Max(first, 0), Math.Min(last, input - 1));
        }).ToArray(),
        // Adaptive bins: ⌊o·S/O⌋ … ⌈(o + 1)·S/O⌉ − 1 (PyTorch's adaptive pooling).
        AdaptivePool => Enumerable.Range(0, outputs).Select(o => (o * input / outputs, (int)Math.Ceiling((o + 1) * (double)input / outputs) - 1)).ToArray(),
        _ => [(0, input - 1)],
    };
}
