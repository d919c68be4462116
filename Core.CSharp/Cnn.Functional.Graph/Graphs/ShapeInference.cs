namespace Cnn.Functional;

/// <summary>A node with everything shape inference learned about it.</summary>
public sealed record InferredNode(Node Node, EquatableArray<Shape> InputShapes, LayerInfo Info)
{
    public string Path => Node.Path;

    public Shape OutputShape => Info.Output;
}

/// <summary>A graph whose every shape has been checked: the output shape, parameters and MACs of each node.</summary>
public sealed record InferredGraph(Graph Graph, EquatableArray<InferredNode> Nodes)
{
    /// <summary>The node at <paramref name="path"/>.</summary>
    /// <exception cref="GraphException">No node has that path.</exception>
    public InferredNode this[string path] => Nodes.FirstOrDefault(n => n.Path == path)
        ?? throw new GraphException(new GraphError(path, "node", $"no node has the path '{path}' in graph '{Graph.Name}'"));

    /// <summary>The shape of the (first) output.</summary>
    public Shape Output => this[Graph.OutputPaths[0]].OutputShape;

    public long Parameters => Nodes.Sum(n => n.Info.Parameters);
}

/// <summary>What inference found: the nodes it could infer, and every error.</summary>
public sealed record InferenceResult(Graph Graph, EquatableArray<InferredNode> Nodes, EquatableArray<GraphError> Errors)
{
    public bool IsValid => Errors.Count == 0;

    /// <exception cref="GraphException">The graph has errors.</exception>
    public InferredGraph OrThrow() => IsValid ? new InferredGraph(Graph, Nodes) : throw new GraphException(Errors.Items);
}

/// <summary>
/// The one pass that checks a graph: its structure, then each node's hyperparameters and shapes in
/// topological order. A node whose input failed is skipped (its error would only echo the first), but
/// independent branches are still checked, so one run reports every real problem.
/// </summary>
public static class ShapeInference
{
    public static InferenceResult Run(Graph graph)
    {
        var errors = new List<GraphError>();
        var inferred = new List<InferredNode>();
        if (graph is null)
            return new InferenceResult(graph!, EquatableArray<InferredNode>.Empty, EquatableArray.Of(new GraphError("(graph)", "graph", "the graph is null")));
        var name = graph.Name ?? "(unnamed)";
        if (graph.Nodes.Count == 0) errors.Add(new GraphError(name, "graph", "the graph has no nodes"));

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var shapes = new Dictionary<string, Shape>(StringComparer.Ordinal);
        foreach (var node in graph.Nodes)
        {
            if (node is null) { errors.Add(new GraphError(name, "graph", "the graph holds a null node")); continue; }
            var before = errors.Count;
            GraphStructure.CheckNode(node, seen, errors);
            if (node.Path is not null) seen.Add(node.Path);
            if (errors.Count > before) continue;

            // Skip nodes downstream of a failure: their own error would only repeat it.
            if (!node.Inputs.All(shapes.ContainsKey)) continue;
            var inputShapes = node.Inputs.Select(i => shapes[i]).ToArray();
            var context = new LayerContext(node.Path!, node.Layer.Kind, inputShapes, node.Inputs.Items, errors);
            var info = node.Layer.Infer(context);
            if (info is null || context.Failed) continue;
            shapes[node.Path!] = info.Output;
            inferred.Add(new InferredNode(node, inputShapes.ToEquatableArray(), info));
        }

        foreach (var output in graph.OutputPaths)
            if (!seen.Contains(output))
                errors.Add(new GraphError(output, "output", $"the output '{output}' is not a node of the graph"));

        return new InferenceResult(graph, inferred.ToEquatableArray(), errors.ToEquatableArray());
    }
}
