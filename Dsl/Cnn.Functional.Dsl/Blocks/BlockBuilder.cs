namespace Cnn.Functional.Dsl;

/// <summary>
/// Lowers blocks to a <see cref="Graph"/>: tracks the current naming scope and the per-scope counters
/// that name unnamed layers. Lives only while one block is lowered.
/// </summary>
public sealed class BlockBuilder
{
    private readonly Stack<string> scopes = new();
    private readonly Dictionary<string, int> counters = new(StringComparer.Ordinal);

    internal BlockBuilder(Graph graph) => Graph = graph;

    /// <summary>The graph built so far.</summary>
    public Graph Graph { get; private set; }

    /// <summary>The current scope prefix, e.g. "stage2/block1/" (empty at the top).</summary>
    public string Prefix => scopes.Count == 0 ? "" : string.Join("/", scopes.Reverse()) + "/";

    /// <summary>
    /// Adds <paramref name="layer"/> fed by <paramref name="inputs"/> under the current scope, at
    /// <paramref name="name"/> or, when null, at its kind followed by the next counter ("conv3"); returns its path.
    /// </summary>
    /// <exception cref="GraphException">The path is taken or an input is unknown.</exception>
    public string Add(string? name, Layer layer, params string[] inputs)
    {
        var path = Prefix + (name ?? NextName(layer.Kind));
        Graph = Graph.AddNode(path, layer, inputs);
        return path;
    }

    /// <summary>
    /// <paramref name="name"/> if no node in the current scope uses it (as a node or a scope), else name2, name3, …:
    /// lets a block fix readable names ("add", "shortcut") and still be repeated in one scope.
    /// </summary>
    public string FreeName(string name)
    {
        for (var n = 1; ; n++)
        {
            var candidate = n == 1 ? name : name + n;
            var path = Prefix + candidate;
            if (!Graph.Nodes.Any(node => node.Path == path || node.Path.StartsWith(path + "/", StringComparison.Ordinal))) return candidate;
        }
    }

    private string NextName(string kind)
    {
        var key = Prefix + kind;
        counters[key] = counters.GetValueOrDefault(key) + 1;
        return kind + counters[key];
    }

    /// <summary>Enters the scope <paramref name="name"/> until the result is disposed.</summary>
    public IDisposable Scope(string name)
    {
        scopes.Push(name);
        return new Exit(scopes);
    }

    private sealed class Exit(Stack<string> scopes) : IDisposable
    {
        public void Dispose() => scopes.Pop();
    }
}
