using TorchSharp;
using static TorchSharp.torch;

namespace Cnn.Functional.Torch;

/// <summary>
/// A graph lowered to one TorchSharp module. Submodules nest along the node paths, so a node at
/// <c>layer1/0/conv1</c> is the module <c>layer1.0.conv1</c> and its weight the state-dict entry
/// <c>layer1.0.conv1.weight</c> — exactly <see cref="StateDictLayout"/>. The forward pass runs the nodes in
/// topological order and disposes each intermediate tensor once no later node reads it.
/// </summary>
public sealed class GraphModule : nn.Module<Tensor, Tensor>
{
    private readonly InferredGraph graph;
    private readonly NodeModule[] nodeModules;
    private readonly int[][] inputIndex;
    private readonly int[] lastUse;
    private readonly int[][] lastReadBy;
    private readonly int outputIndex;

    static GraphModule() => NativeAllocator.EnsureTuned();

    private GraphModule(InferredGraph graph) : base(graph.Graph.Name)
    {
        this.graph = graph;
        var nodes = graph.Nodes;
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < nodes.Count; i++) index[nodes[i].Path] = i;
        nodeModules = nodes.Select(Lower.Node).ToArray();
        inputIndex = nodes.Select(n => n.Node.Inputs.Select(p => index[p]).ToArray()).ToArray();
        outputIndex = index[graph.Graph.OutputPaths[0]];
        lastUse = Enumerable.Range(0, nodes.Count).ToArray();
        for (var i = 0; i < nodes.Count; i++)
            foreach (var j in inputIndex[i]) lastUse[j] = i;
        lastUse[outputIndex] = int.MaxValue;
        // Per node, the values whose last reader it is (itself when nothing reads it): computed once here, so that a
        // forward pass only indexes arrays (no LINQ or sets per node and step).
        lastReadBy = Enumerable.Range(0, nodes.Count)
            .Select(i => inputIndex[i].Distinct().Where(j => lastUse[j] == i).Concat(lastUse[i] == i ? [i] : []).ToArray())
            .ToArray();
        Register();
    }

    /// <summary>Lowers <paramref name="graph"/>, checking it first.</summary>
    /// <exception cref="GraphException">The graph has errors, or two nodes would share a module name.</exception>
    public static GraphModule Create(Graph graph) => new(graph.Infer());

    /// <summary>Lowers an already inferred graph.</summary>
    public static GraphModule Create(InferredGraph graph) => new(graph);

    /// <summary>The graph this module computes.</summary>
    public InferredGraph Graph => graph;

    /// <summary>The lowered module of the node at <paramref name="path"/>.</summary>
    public NodeModule this[string path] => nodeModules[IndexOf(path)];

    public override Tensor forward(Tensor input) => RunNodes(input, null)[outputIndex]!;

    /// <summary>
    /// Runs the graph and returns the outputs of <paramref name="keep"/> (and the graph's output) by path:
    /// activations of any node, for CNN codes and visualisation. The caller owns the returned tensors.
    /// </summary>
    public IReadOnlyDictionary<string, Tensor> Run(Tensor input, IReadOnlyCollection<string> keep)
    {
        var kept = new bool[nodeModules.Length];
        foreach (var path in keep) kept[IndexOf(path)] = true;
        kept[outputIndex] = true;
        var values = RunNodes(input, kept);
        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        for (var i = 0; i < kept.Length; i++)
            if (kept[i]) result[graph.Nodes[i].Path] = values[i]!;
        return result;
    }

    /// <summary>
    /// Runs every node in order; returns the values by node index, holding only the output and the
    /// <paramref name="kept"/> nodes (null: the output alone) — every other value is freed after its last reader.
    /// </summary>
    private Tensor?[] RunNodes(Tensor input, bool[]? kept)
    {
        var values = new Tensor?[nodeModules.Length];
        for (var i = 0; i < nodeModules.Length; i++)
        {
            var from = inputIndex[i];
            var inputs = new Tensor[from.Length];
            for (var k = 0; k < from.Length; k++) inputs[k] = values[from[k]]!;
            // The caller's tensor enters unchanged; every other value is made here and freed after its last reader.
            values[i] = from.Length == 0 ? input.alias() : nodeModules[i].Forward(inputs);
            foreach (var j in lastReadBy[i])
                if (j != outputIndex && (kept is null || !kept[j]))
                {
                    values[j]!.Dispose();
                    values[j] = null;
                }
        }
        return values;
    }

    private int IndexOf(string path)
    {
        for (var i = 0; i < nodeModules.Length; i++)
            if (graph.Nodes[i].Path == path) return i;
        throw new GraphException(new GraphError(path, "node", $"no node has the path '{path}' in graph '{graph.Graph.Name}'"));
    }

    // Nest each node's module under scope modules named by its path segments.
    private void Register()
    {
        var nodePaths = graph.Nodes.Select(n => n.Path).ToHashSet(StringComparer.Ordinal);
        var scopes = new Dictionary<string, ScopeModule>(StringComparer.Ordinal);
        for (var i = 0; i < nodeModules.Length; i++)
        {
            var path = graph.Nodes[i].Path;
            var segments = path.Split('/');
            nn.Module? parent = null;
            for (var s = 1; s < segments.Length; s++)
            {
                var prefix = string.Join("/", segments.Take(s));
                if (nodePaths.Contains(prefix))
                    throw new GraphException(new GraphError(path, graph.Nodes[i].Node.Layer.Kind,
                        $"'{prefix}' is both a node and the scope of '{path}': a module cannot be both", "rename one of them"));
                if (!scopes.TryGetValue(prefix, out var scope))
                {
                    scope = new ScopeModule(segments[s - 1]);
                    scopes[prefix] = scope;
                    if (parent is ScopeModule p) p.Add(segments[s - 1], scope);
                    else register_module(segments[s - 1], scope);
                }
                parent = scope;
            }
            if (parent is ScopeModule owner) owner.Add(segments[^1], nodeModules[i]);
            else register_module(path, nodeModules[i]);
        }
    }
}
