namespace Cnn.Functional.Properties;

/// <summary>What the invariance laws share: f(g(x)) = f(x), and finding the global pooling a subject ends in.</summary>
internal static class Invariance
{
    /// <summary>Runs one case of f(g(x)) = f(x) with the case's transformation g.</summary>
    public static Outcome Run(Subject subject, Trial trial)
    {
        if (trial.Transformation is not { } g || !g.Fits(subject.InputShape.Spatial)) return Outcome.Skip("the case's transformation does not fit the input");
        using var instance = subject.Create(trial.DType, trial.Seed);
        var x = trial.MakeInput(subject.InputShape);
        var y = instance.Forward(x);
        var transformed = instance.Forward(g.Apply(x));
        return Outcome.Of(Difference.Of("f(g(x))", transformed, "f(x)", y, trial.DType));
    }

    /// <summary>Whether <paramref name="layer"/> pools each channel over all positions.</summary>
    public static bool IsGlobal(Layer layer) =>
        layer is GlobalPool || layer is AdaptivePool a && a.Output.Values.All(v => v == 1);

    /// <summary>
    /// The node where the subject pools globally, when everything after it reads only its result; with the part before it
    /// as a subject (null when the global node reads the input directly). Reason when there is no such node.
    /// </summary>
    public static (InferredNode? Global, Subject? Prefix, string Reason) Find(Subject subject)
    {
        if (subject.InputShapes.Count != 1 || subject.InputShape.IsFlat) return (null, null, "it needs one spatial input");
        var nodes = subject.Inferred.Nodes.Items;
        var end = subject.Path ?? subject.Inferred.Graph.OutputPaths[0];
        var last = nodes.IndexOf(nodes.First(n => n.Path == end));
        var index = -1;
        for (var i = 0; i <= last && index < 0; i++)
            if (nodes[i].Node.Layer is not Input && (IsGlobal(nodes[i].Node.Layer) || nodes[i].OutputShape.IsFlat)) index = i;
        if (index < 0) return (null, null, "it does not pool globally");
        var global = nodes[index];
        if (!IsGlobal(global.Node.Layer)) return (null, null, $"{global.Path} ({global.Node.Layer.Kind}) drops the positions' order without pooling them");
        var before = nodes.Take(index).Select(n => n.Path).ToHashSet(StringComparer.Ordinal);
        var reader = nodes.Skip(index + 1).Take(last - index).FirstOrDefault(n => n.Node.Inputs.Any(p => before.Contains(p)));
        if (reader is not null) return (null, null, $"{reader.Path} reads {string.Join(", ", reader.Node.Inputs.Where(before.Contains))} from before the global pooling");
        var source = global.Node.Inputs[0];
        var prefix = nodes[0].Path == source ? null : Subject.For(subject.Graph.Truncate(source));
        return (global, prefix, "");
    }
}
