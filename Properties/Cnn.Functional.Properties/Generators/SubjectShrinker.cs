namespace Cnn.Functional.Properties;

/// <summary>
/// Shrinking for subjects: smaller inputs (fewer channels, shorter extents) and simpler layers (fewer filters, groups
/// and taps; stride and dilation 1; no padding; no bias), each kept only when the layer is still valid. Replaced
/// forwards are kept, so a broken layer shrinks to the smallest configuration that still shows the break.
/// </summary>
public static class SubjectShrinker
{
    /// <summary>Valid, smaller subjects: inputs first, then the layer's hyperparameters.</summary>
    public static IEnumerable<Subject> Shrink(Subject subject) =>
        Inputs(subject).Concat(subject.Layer is { } layer && subject.InputShapes.Count == 1 ? Simpler(layer).Select(l => Try(() => subject.WithLayer(l))) : [])
            .Where(s => s is not null).Select(s => s!);

    private static IEnumerable<Subject?> Inputs(Subject subject)
    {
        if (subject.InputShapes.Count != 1) yield break;
        var dims = subject.InputShape.Dims.Items.ToArray();
        for (var i = 0; i < dims.Length; i++)
            foreach (var smaller in new[] { dims[i] / 2, dims[i] - 1 }.Where(v => v >= 1 && v < dims[i]).Distinct())
            {
                var copy = (int[])dims.Clone();
                copy[i] = smaller;
                var shape = Shape.Of(copy);
                yield return subject.Path is null
                    ? Try(() => subject.WithGraph(subject.Graph.Replace(subject.InputPaths[0], new Input(shape))))
                    : Try(() => subject.WithInputs(shape));
            }
    }

    private static Subject? Try(Func<Subject> make)
    {
        try
        {
            return make();
        }
        catch (GraphException)
        {
            return null;
        }
    }

    /// <summary>One-step simpler versions of a layer (not checked for validity here).</summary>
    public static IEnumerable<Layer> Simpler(Layer layer)
    {
        switch (layer)
        {
            case Conv c:
                foreach (var f in Fewer(c.Filters)) yield return c with { Filters = f };
                if (c.Groups > 1) yield return c with { Groups = 1 };
                foreach (var k in Smaller(c.Kernel)) yield return c with { Kernel = k };
                foreach (var s in Smaller(c.Stride)) yield return c with { Stride = s };
                foreach (var d in Smaller(c.Dilation)) yield return c with { Dilation = d };
                foreach (var p in Simpler(c.Padding)) yield return c with { Padding = p };
                if (c.Bias) yield return c with { Bias = false };
                break;
            case ConvTranspose t:
                foreach (var f in Fewer(t.Filters)) yield return t with { Filters = f };
                if (t.Groups > 1) yield return t with { Groups = 1 };
                foreach (var k in Smaller(t.Kernel)) yield return t with { Kernel = k };
                foreach (var s in Smaller(t.Stride)) yield return t with { Stride = s, OutputPadding = 0 };
                foreach (var d in Smaller(t.Dilation)) yield return t with { Dilation = d, OutputPadding = 0 };
                foreach (var p in Smaller(t.Padding, 0)) yield return t with { Padding = p };
                foreach (var p in Smaller(t.OutputPadding, 0)) yield return t with { OutputPadding = p };
                if (t.Bias) yield return t with { Bias = false };
                break;
            case SpatiallySeparableConv s:
                foreach (var f in Fewer(s.Filters)) yield return s with { Filters = f };
                foreach (var k in Smaller(s.Kernel)) yield return s with { Kernel = k };
                foreach (var st in Smaller(s.Stride)) yield return s with { Stride = st };
                foreach (var p in Simpler(s.Padding)) yield return s with { Padding = p };
                break;
            case DepthwiseSeparableConv d:
                foreach (var f in Fewer(d.Filters)) yield return d with { Filters = f };
                if (d.DepthMultiplier > 1) yield return d with { DepthMultiplier = 1 };
                foreach (var k in Smaller(d.Kernel)) yield return d with { Kernel = k };
                foreach (var st in Smaller(d.Stride)) yield return d with { Stride = st };
                foreach (var di in Smaller(d.Dilation)) yield return d with { Dilation = di };
                foreach (var p in Simpler(d.Padding)) yield return d with { Padding = p };
                break;
            case LocallyConnected l:
                foreach (var f in Fewer(l.Filters)) yield return l with { Filters = f };
                foreach (var k in Smaller(l.Kernel)) yield return l with { Kernel = k };
                foreach (var st in Smaller(l.Stride)) yield return l with { Stride = st };
                foreach (var p in Simpler(l.Padding)) yield return l with { Padding = p };
                break;
            case CoordConv c:
                foreach (var f in Fewer(c.Filters)) yield return c with { Filters = f };
                foreach (var k in Smaller(c.Kernel)) yield return c with { Kernel = k };
                foreach (var st in Smaller(c.Stride)) yield return c with { Stride = st };
                if (c.WithRadius) yield return c with { WithRadius = false };
                break;
            case DiracConv d:
                foreach (var f in Fewer(d.Filters)) yield return d with { Filters = f };
                foreach (var k in Smaller(d.Kernel)) yield return d with { Kernel = k };
                foreach (var di in Smaller(d.Dilation)) yield return d with { Dilation = di };
                break;
            case Pool p:
                foreach (var w in Smaller(p.Window)) yield return p with { Window = w };
                foreach (var st in Smaller(p.Stride)) yield return p with { Stride = st };
                foreach (var pad in Simpler(p.Padding)) yield return p with { Padding = pad };
                break;
            case Dense d:
                foreach (var u in Fewer(d.Units)) yield return d with { Units = u };
                break;
        }
    }

    private static IEnumerable<int> Fewer(int n) => new[] { 1, n / 2, n - 1 }.Where(v => v >= 1 && v < n).Distinct();

    private static IEnumerable<Size> Smaller(Size size, int least = 1)
    {
        var values = size.Values.Items.ToArray();
        if (size.IsUniform)
        {
            foreach (var v in new[] { least, values[0] - 1 }.Where(v => v >= least && v < values[0]).Distinct()) yield return Size.All(v);
            yield break;
        }
        for (var i = 0; i < values.Length; i++)
            if (values[i] > least)
            {
                var copy = (int[])values.Clone();
                copy[i] = least;
                yield return Size.Of(copy);
            }
    }

    private static IEnumerable<Padding> Simpler(Padding padding)
    {
        if (padding.Kind == PaddingKind.Same) yield return Padding.Valid;
        else foreach (var amount in Smaller(padding.Amount, 0)) yield return new Padding(PaddingKind.Explicit, amount);
    }
}
