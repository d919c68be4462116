namespace Cnn.Functional.Properties;

/// <summary>One law's result at one node of a graph (or at <see cref="GraphLaws.WholeGraph"/>).</summary>
public sealed record NodeLawResult(string Path, string Kind, LawResult Result);

/// <summary>Every law checked against every node of a graph, with the measurements made along the way.</summary>
public sealed record GraphLawReport(string Graph, EquatableArray<NodeLawResult> Results, EquatableArray<Measurement> Measurements, int Cases, int Seed)
{
    public int Holding => Results.Count(r => r.Result.Status == LawStatus.Holds);

    public int Violated => Results.Count(r => r.Result.Status == LawStatus.Violated);
}

/// <summary>
/// Checks laws against every node of a graph, as <c>cnnf laws</c> does: each node is a <see cref="Subject.ForNode(Graph, string)"/>
/// on a small map (<see cref="Subject.Small"/>: the node's channels and weights' shapes, a smaller spatial extent),
/// each law reports holds, violated (with its counterexample) or not applicable (with the reason); laws about whole
/// networks (the fully convolutional conversion) are checked once at <see cref="WholeGraph"/>. Max-pool nodes also get the
/// <see cref="ShiftStability"/> measurement.
/// </summary>
public static class GraphLaws
{
    /// <summary>The path under which results about the whole graph are reported.</summary>
    public const string WholeGraph = "/";

    /// <summary>The laws that speak about whole networks rather than nodes.</summary>
    public static IReadOnlyList<Law> GraphLevel { get; } = [Laws.FullyConvolutionalEquivalence];

    /// <summary>
    /// Checks <paramref name="laws"/> (all by default) against the nodes of <paramref name="graph"/> at or under
    /// <paramref name="under"/> (all by default), reporting each result to <paramref name="progress"/> as it comes.
    /// </summary>
    /// <exception cref="GraphException">The graph is not valid, or no node is at or under <paramref name="under"/>.</exception>
    public static GraphLawReport Check(Graph graph, LawOptions? options = null, IEnumerable<Law>? laws = null, string? under = null,
        IProgress<NodeLawResult>? progress = null, int smallExtent = 8)
    {
        ArgumentNullException.ThrowIfNull(graph);
        options ??= LawOptions.Default;
        var inferred = graph.Infer();
        var chosen = (laws ?? Laws.All).ToList();
        var nodes = inferred.Nodes.Where(n => under is null || Graph.IsUnder(n.Path, under)).ToList();
        if (under is not null && nodes.Count == 0)
            throw new GraphException(new GraphError(under, "node", $"no node of graph '{graph.Name}' is at or under '{under}'"));

        var results = new List<NodeLawResult>();
        var measurements = new List<Measurement>();
        void Add(NodeLawResult result)
        {
            results.Add(result);
            progress?.Report(result);
        }
        foreach (var node in nodes)
        {
            var subject = Subject.ForNode(graph, node.Path).Small(smallExtent);
            foreach (var law in chosen.Where(l => !GraphLevel.Contains(l)))
                Add(new NodeLawResult(node.Path, node.Node.Layer.Kind, law.Check(subject, options)));
            if (ShiftStability.Applies(subject)) measurements.Add(ShiftStability.Measure(subject, seed: options.Seed));
        }
        if (under is null)
        {
            var whole = Subject.For(graph);
            foreach (var law in chosen.Where(GraphLevel.Contains))
                Add(new NodeLawResult(WholeGraph, "graph", law.Check(whole, options)));
        }
        return new GraphLawReport(graph.Name, results.ToEquatableArray(), measurements.ToEquatableArray(), options.Cases, options.Seed);
    }
}
