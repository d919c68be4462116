namespace Cnn.Functional;

/// <summary>
/// One problem found in a graph: where (the node's path and layer kind), what (a sentence with the numbers
/// of the formula that failed), and, where there is one, what to do about it.
/// </summary>
/// <example><c>stage1/conv1: (32 − 5 + 2·0)/2 + 1 = 14.5 is not an integer — stride 2 does not tile input 32 with kernel 5</c></example>
public sealed record GraphError(string Path, string LayerKind, string Message, string? Hint = null)
{
    public override string ToString() => Hint is null ? $"{Path}: {Message}" : $"{Path}: {Message}. Hint: {Hint}";
}

/// <summary>
/// The library's one error type for graphs: thrown by building, inference, summary and JSON reading, and
/// carrying every error found in the graph, not only the first. Nothing in the Graph project throws any
/// other exception for bad input.
/// </summary>
public sealed class GraphException : Exception
{
    public GraphException(IReadOnlyList<GraphError> errors)
        : base(Describe(errors)) => Errors = errors;

    public GraphException(GraphError error)
        : this(new[] { error }) { }

    public IReadOnlyList<GraphError> Errors { get; }

    private static string Describe(IReadOnlyList<GraphError> errors) => errors.Count switch
    {
        0 => "invalid graph",
        1 => errors[0].ToString(),
        _ => $"{errors.Count} errors in the graph:" + Environment.NewLine +
             string.Join(Environment.NewLine, errors.Select(e => "  " + e)),
    };
}
