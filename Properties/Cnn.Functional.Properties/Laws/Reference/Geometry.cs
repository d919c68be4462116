namespace Cnn.Functional.Properties;

/// <summary>
/// How one spatial axis of a subject's output relates to the same axis of its input, which is what translation laws
/// need: shifting the input by t (a multiple of <paramref name="Period"/>) shifts the output by t·Num/Den; output o
/// reads input positions <see cref="Reads"/>(o) (padding included, so they may lie outside the input); and
/// <paramref name="Wraps"/> says that every padding on the way is circular and every layer tiles its input exactly
/// (O·S = W), so that a circular shift commutes with the subject everywhere, not only in the interior.
/// </summary>
/// <remarks>
/// A window of extent e = D(F − 1) + 1, stride s and padding p before: output o reads [o·s − p, o·s − p + e − 1], and a
/// shift by a multiple of s moves the output by t/s (the lecture's receptive-field arithmetic with the padding offset
/// kept; Dumoulin &amp; Visin, "A guide to convolution arithmetic"). A transposed convolution: o receives input i
/// when i·s + k·d − p = o, so o reads [⌈(o + p − e + 1)/s⌉, ⌊(o + p)/s⌋] and a shift by t moves the output by t·s.
/// </remarks>
internal sealed record Axis(long Num, long Den, long Period, Func<long, (long First, long Last)> Reads, bool Wraps)
{
    public static Axis Pointwise { get; } = new(1, 1, 1, o => (o, o), true);

    /// <summary>The output shift for an input shift of <paramref name="t"/> (a multiple of <see cref="Period"/>).</summary>
    public long Shift(long t) => t * Num / Den;

    /// <summary><paramref name="layer"/> (this axis) after <paramref name="before"/> (the axis so far).</summary>
    public static Axis Then(Axis before, Axis layer)
    {
        var num = before.Num * layer.Num;
        var den = before.Den * layer.Den;
        var g = Gcd(num, den);
        // t must be a multiple of the period so far, and move the layer's input by a multiple of its own period.
        var needed = before.Den * layer.Period / Gcd(before.Num, before.Den * layer.Period);
        return new Axis(num / g, den / g, Lcm(before.Period, needed),
            o => (before.Reads(layer.Reads(o).First).First, before.Reads(layer.Reads(o).Last).Last),
            before.Wraps && layer.Wraps);
    }

    /// <summary>The axis of a merge of branches: they must scale alike; the merge reads what any branch reads.</summary>
    public static Axis? Union(IReadOnlyList<Axis> branches)
    {
        if (branches.Any(b => b.Num * branches[0].Den != branches[0].Num * b.Den)) return null;
        return new Axis(branches[0].Num, branches[0].Den, branches.Select(b => b.Period).Aggregate(Lcm),
            o => (branches.Min(b => b.Reads(o).First), branches.Max(b => b.Reads(o).Last)), branches.All(b => b.Wraps));
    }

    public static long Gcd(long a, long b) => b == 0 ? Math.Abs(a) : Gcd(b, a % b);

    public static long Lcm(long a, long b) => a / Gcd(a, b) * b;

    public static long FloorDiv(long a, long b) => (long)Math.Floor((double)a / b);

    public static long CeilDiv(long a, long b) => (long)Math.Ceiling((double)a / b);
}

/// <summary>The axes of a subject from its input to its output, or why there are none.</summary>
internal sealed record Geometry(Axis[] Axes, string Reason)
{
    public bool Known => Axes.Length > 0;

    public bool Wraps => Known && Axes.All(a => a.Wraps);

    public static Geometry Unknown(string reason) => new([], reason);

    /// <summary>The geometry of <paramref name="subject"/> (of its node, or of its whole graph); one input only.</summary>
    public static Geometry Of(Subject subject)
    {
        if (subject.InputShapes.Count != 1) return Unknown($"it has {subject.InputShapes.Count} inputs");
        var input = subject.InputShape;
        if (input.IsFlat) return Unknown($"its input {input} has no spatial dimensions");
        var target = subject.Path ?? subject.Inferred.Graph.OutputPaths[0];
        var rank = input.SpatialRank;
        var axes = new Dictionary<string, Axis[]>(StringComparer.Ordinal);
        foreach (var node in subject.Inferred.Nodes)
        {
            if (node.Node.Layer is Input)
                axes[node.Path] = Enumerable.Repeat(Axis.Pointwise, rank).ToArray();
            else
            {
                var layer = Layer(node);
                if (layer is null) return Unknown($"{node.Path} ({node.Node.Layer.Kind}) {Why(node)}");
                var before = new Axis[rank];
                for (var i = 0; i < rank; i++)
                {
                    var merged = Axis.Union(node.Node.Inputs.Select(p => axes[p][i]).ToList());
                    if (merged is null) return Unknown($"{node.Path} merges branches whose outputs move by different amounts under a shift");
                    before[i] = merged;
                }
                axes[node.Path] = before.Select((b, i) => Axis.Then(b, layer[i])).ToArray();
            }
            if (node.Path == target) break;
        }
        return new Geometry(axes[target], "");
    }

    // One layer's own axes, from its input to its output; null when it has no translation geometry.
    private static Axis[]? Layer(InferredNode node)
    {
        var layer = node.Node.Layer;
        var input = node.InputShapes[0];
        var output = node.OutputShape;
        if (input.IsFlat || output.IsFlat || input.SpatialRank != output.SpatialRank) return null;
        var rank = input.SpatialRank;
        switch (layer)
        {
            case Activation or Softmax or LocalResponseNorm or BatchNorm or Dropout or Add or Concat or WeightedSum or HighwayGate:
                return Enumerable.Repeat(Axis.Pointwise, rank).ToArray();
            case ConvTranspose t:
                var k = Window.Resolve(t.Kernel, rank)!;
                var s = Window.Resolve(t.Stride, rank)!;
                var p = Window.Resolve(t.Padding, rank)!;
                var d = Window.Resolve(t.Dilation, rank)!;
                return Enumerable.Range(0, rank).Select(i =>
                {
                    long e = d[i] * (k[i] - 1) + 1, stride = s[i], pad = p[i];
                    return new Axis(stride, 1, 1, o => (Axis.CeilDiv(o + pad - e + 1, stride), Axis.FloorDiv(o + pad, stride)), false);
                }).ToArray();
        }
        var window = Window.Of(layer, input);
        if (window is null) return null;
        return Enumerable.Range(0, rank).Select(i =>
        {
            var w = window;
            var axis = i;
            // A circular shift commutes everywhere when the padding wraps around (or there is none and windows do not
            // straddle) and the layer tiles its input exactly: O·S = W.
            var tiles = (long)output.Spatial[i] * w.Stride[i] == input.Spatial[i];
            var wraps = tiles && (w.Mode == PaddingMode.Circular || !w.Pads && w.Extent[i] <= w.Stride[i]);
            return new Axis(1, w.Stride[i], w.Stride[i], o => ((long)o * w.Stride[axis] - w.PadBefore[axis], (long)o * w.Stride[axis] - w.PadBefore[axis] + w.Extent[axis] - 1), wraps);
        }).ToArray();
    }

    private static string Why(InferredNode node) => node.Node.Layer switch
    {
        LayerNorm or InstanceNorm or GroupNorm => "normalises with statistics of the whole map",
        GlobalPool or Flatten or Dense or BinaryDense or RbfOutput => "has no spatial output",
        AdaptivePool => "has adaptive windows of unequal size (its input is not a multiple of its output)",
        _ => "has no sliding-window geometry",
    };
}
