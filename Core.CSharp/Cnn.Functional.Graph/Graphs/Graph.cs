using System.Text.RegularExpressions;

namespace Cnn.Functional;

/// <summary>
/// A network as a value: an immutable directed acyclic graph of <see cref="Node"/>s in topological order
/// (every node's inputs come before it), with named outputs. Every method returns a new graph; two
/// graphs built the same way are equal. Adding a node checks the structure at once (unique paths, known
/// inputs); <see cref="Infer"/> checks every shape and reports all errors together.
/// </summary>
public sealed partial record Graph(string Name, EquatableArray<Node> Nodes, EquatableArray<string> Outputs)
{
    /// <summary>A graph with a single input node.</summary>
    public static Graph Create(string name, Shape input, string inputPath = "input") =>
        new Graph(name, EquatableArray<Node>.Empty, EquatableArray<string>.Empty).AddNode(inputPath, new Input(input));

    /// <summary>A graph with no nodes yet (for several inputs, add <see cref="Input"/> layers).</summary>
    public static Graph Empty(string name) => new(name, EquatableArray<Node>.Empty, EquatableArray<string>.Empty);

    /// <summary>The path of the most recently added node.</summary>
    /// <exception cref="GraphException">The graph has no nodes, or its last node is null (a damaged graph value).</exception>
    public string Last => Nodes.Count > 0
        ? Nodes[Nodes.Count - 1]?.Path ?? throw new GraphException(new GraphError(Name, "graph", "the last node is null or has no path"))
        : throw new GraphException(new GraphError(Name, "graph", "the graph has no nodes"));

    /// <summary>The output paths: the declared ones, or the last node (none when that node is null: inference reports it).</summary>
    public IReadOnlyList<string> OutputPaths =>
        Outputs.Count > 0 ? Outputs.Items : Nodes.Count > 0 && Nodes[Nodes.Count - 1]?.Path is { } last ? [last] : [];

    /// <summary>Appends <paramref name="layer"/> at <paramref name="path"/>, fed by the last node (a chain).</summary>
    public Graph Then(string path, Layer layer) => AddNode(path, layer, Last);

    /// <summary>Appends <paramref name="layer"/> at <paramref name="path"/>, fed by <paramref name="inputs"/> (branches and merges).</summary>
    /// <exception cref="GraphException">The path is invalid or taken, or an input does not exist yet.</exception>
    public Graph AddNode(string path, Layer layer, params string[] inputs)
    {
        var node = new Node(path, layer, inputs.ToEquatableArray());
        var errors = new List<GraphError>();
        GraphStructure.CheckNode(node, Nodes.Select(n => n.Path).ToHashSet(StringComparer.Ordinal), errors);
        if (errors.Count > 0) throw new GraphException(errors);
        return this with { Nodes = Nodes.Append(node) };
    }

    /// <summary>The graph with these nodes as its outputs.</summary>
    public Graph WithOutputs(params string[] paths)
    {
        var known = Nodes.Select(n => n.Path).ToHashSet(StringComparer.Ordinal);
        var missing = paths.Where(p => !known.Contains(p)).Select(p => new GraphError(p, "output", $"no node has the path '{p}'")).ToList();
        if (missing.Count > 0) throw new GraphException(missing);
        return this with { Outputs = paths.ToEquatableArray() };
    }

    public Graph WithName(string name) => this with { Name = name };

    /// <summary>The node at <paramref name="path"/>, or null.</summary>
    public Node? TryFind(string path) => Nodes.FirstOrDefault(n => n.Path == path);

    /// <summary>The node at <paramref name="path"/>.</summary>
    /// <exception cref="GraphException">No node has that path.</exception>
    public Node Find(string path) => TryFind(path) ?? throw new GraphException(new GraphError(path, "node", $"no node has the path '{path}' in graph '{Name}'"));

    /// <summary>Freezes the nodes whose path is <paramref name="pathPrefix"/> or lies under it (e.g. "features" freezes "features/conv1").</summary>
    public Graph Freeze(string pathPrefix) => SetTrainable(pathPrefix, false);

    public Graph Unfreeze(string pathPrefix) => SetTrainable(pathPrefix, true);

    /// <summary>Freezes every node for which <paramref name="predicate"/> holds.</summary>
    public Graph Freeze(Func<Node, bool> predicate) =>
        this with { Nodes = Nodes.Select(n => predicate(n) ? n with { Trainable = false } : n).ToEquatableArray() };

    private Graph SetTrainable(string prefix, bool trainable)
    {
        var matched = false;
        var nodes = Nodes.Select(n =>
        {
            if (!IsUnder(n.Path, prefix)) return n;
            matched = true;
            return n with { Trainable = trainable };
        }).ToEquatableArray();
        return matched ? this with { Nodes = nodes } : throw new GraphException(new GraphError(prefix, "node", $"no node is at or under '{prefix}'"));
    }

    /// <summary>True when <paramref name="path"/> equals <paramref name="prefix"/> or lies under it in the path hierarchy.</summary>
    public static bool IsUnder(string path, string prefix) =>
        path == prefix || (path.StartsWith(prefix, StringComparison.Ordinal) && path.Length > prefix.Length && path[prefix.Length] == '/');

    /// <summary>Checks every node and shape; reports every error, not just the first.</summary>
    /// <exception cref="GraphException">The graph has errors.</exception>
    public InferredGraph Infer() => ShapeInference.Run(this).OrThrow();

    /// <summary>All errors in the graph (empty when it is valid). Never throws.</summary>
    public IReadOnlyList<GraphError> Validate() => ShapeInference.Run(this).Errors;

    /// <summary>The summary table's data: shapes, parameters, MACs, memory and receptive fields.</summary>
    /// <exception cref="GraphException">The graph has errors.</exception>
    public ModelSummary Summarize(SummaryOptions? options = null) => ModelSummary.Of(this, options);

    /// <summary>The graph as deterministic JSON (see <see cref="GraphJson"/>).</summary>
    /// <exception cref="GraphException">A layer holds a value JSON cannot represent (NaN, ±∞, an undefined enum value).</exception>
    public string ToJson() => GraphJson.Write(this);

    /// <summary>Reads a graph from JSON written by <see cref="ToJson"/>.</summary>
    /// <exception cref="GraphException">The text is not a valid graph document.</exception>
    public static Graph FromJson(string json) => GraphJson.Read(json);

    public override string ToString() => $"{Name}: {string.Join("; ", Nodes.Items)}";
}

/// <summary>The structural rules of a graph: valid, unique paths; inputs that exist and come earlier; the right number of inputs.</summary>
internal static partial class GraphStructure
{
    // No dots: PyTorch uses '.' to separate submodule names, and paths become submodule names when lowered.
    [GeneratedRegex(@"^[A-Za-z0-9_\-]+(/[A-Za-z0-9_\-]+)*$")]
    private static partial Regex PathPattern();

    public static bool IsValidPath(string? path) => path is not null && path.Length <= 512 && PathPattern().IsMatch(path);

    /// <summary>Checks one node against the paths that precede it.</summary>
    public static void CheckNode(Node node, IReadOnlySet<string> earlier, List<GraphError> errors)
    {
        var path = node.Path ?? "(null)";
        if (node.Layer is null)
        {
            errors.Add(new GraphError(path, "node", "the node has no layer"));
            return;
        }
        var kind = node.Layer.Kind;
        if (!IsValidPath(node.Path))
            errors.Add(new GraphError(path, kind, $"'{path}' is not a valid path: use segments of letters, digits, '_' and '-', separated by '/'"));
        else if (earlier.Contains(node.Path!))
            errors.Add(new GraphError(path, kind, $"the path '{path}' is already taken", "every node needs its own path; use a naming scope"));

        var count = node.Inputs.Count;
        var arityOk = node.Layer.Arity switch
        {
            Arity.None => count == 0,
            Arity.One => count == 1,
            Arity.Three => count == 3,
            _ => count >= 2,
        };
        if (!arityOk)
        {
            var expected = node.Layer.Arity switch
            {
                Arity.None => "no inputs",
                Arity.One => "exactly one input",
                Arity.Three => "three inputs (transform, gate, carry)",
                _ => "two or more inputs",
            };
            errors.Add(new GraphError(path, kind, $"the {kind} layer takes {expected}; got {count}"));
        }
        foreach (var input in node.Inputs)
        {
            // An input that names an earlier node is fine, even when this node reuses its path (reported above).
            if (input is not null && earlier.Contains(input))
                continue;
            if (input == node.Path)
                errors.Add(new GraphError(path, kind, "a node cannot be its own input (the graph must be acyclic)"));
            else
                errors.Add(new GraphError(path, kind, $"input '{input}' is not an earlier node",
                    "add nodes in order: every input must exist before the node that reads it"));
        }
    }
}
