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
    private readonly int[][] lastReadBy;
    private readonly int outputIndex;
    private readonly MemoryLimits limits;
    private readonly InferredNode[] inputNodes;
    private readonly MemoryLimits.ActivationCount activationsPerExample;

    static GraphModule() => NativeAllocator.EnsureTuned();

    private GraphModule(InferredGraph graph, MemoryLimits limits) : base(graph.Graph.Name)
    {
        this.graph = graph;
        this.limits = limits;
        inputNodes = graph.Nodes.Where(n => n.Node.Layer is Input).ToArray();
        var nodes = graph.Nodes;
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < nodes.Count; i++) index[nodes[i].Path] = i;
        nodeModules = nodes.Select(Lower.Node).ToArray();
        // Scratch memory (a padded copy of an input) is known once the nodes are lowered: check it before any forward pass.
        var scratch = nodeModules.Select((m, i) => (m.ScratchElementsPerExample, i)).MaxBy(x => x.ScratchElementsPerExample);
        activationsPerExample = MemoryLimits.ActivationsPerExample(graph) with { Scratch = scratch.ScratchElementsPerExample, ScratchNode = scratch.i };
        try
        {
            limits.CheckActivations(graph, activationsPerExample, 1);
        }
        catch (GraphException)
        {
            foreach (var m in nodeModules) m.Dispose();
            throw;
        }
        inputIndex = nodes.Select(n => n.Node.Inputs.Select(p => index[p]).ToArray()).ToArray();
        outputIndex = index[graph.Graph.OutputPaths[0]];
        var lastUse = Enumerable.Range(0, nodes.Count).ToArray();
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
    /// <param name="graph">The graph.</param>
    /// <param name="limits">The memory the parameters and a forward pass may take (default: <see cref="MemoryLimits.Default"/>, from the machine's memory).</param>
    /// <exception cref="GraphException">The graph has errors, needs more memory than <paramref name="limits"/> allow (checked before
    /// any tensor is allocated), or two nodes would share a module name.</exception>
    public static GraphModule Create(Graph graph, MemoryLimits? limits = null) => Create(graph.Infer(), limits);

    /// <summary>Lowers an already inferred graph, checking its memory against <paramref name="limits"/> first.</summary>
    /// <exception cref="GraphException">The graph needs more memory than <paramref name="limits"/> allow, or two nodes would share a module name.</exception>
    public static GraphModule Create(InferredGraph graph, MemoryLimits? limits = null)
    {
        limits ??= MemoryLimits.Default;
        limits.CheckGraph(graph);
        return new(graph, limits);
    }

    /// <summary>The memory limits this module was lowered with; every forward pass checks its batch against them.</summary>
    public MemoryLimits Limits => limits;

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
        CheckInput(input);
        limits.CheckActivations(graph, activationsPerExample, input.shape[0]);
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

    // One tensor feeds the graph: it must be a batch of the (one) input node's shape, or libtorch fails somewhere inside with
    // its own message (or, for a second input of another shape, the graph computes something else).
    private void CheckInput(Tensor input)
    {
        var inputs = inputNodes;
        if (inputs.Length != 1)
            throw new GraphException(new GraphError(graph.Graph.Name, "graph",
                $"forward feeds one tensor, and graph '{graph.Graph.Name}' has {inputs.Length} inputs ({string.Join(", ", inputs.Select(n => $"{n.Path} {n.OutputShape}"))})",
                "run the nodes one by one (this[path].Forward) to feed several inputs"));
        var shape = inputs[0].OutputShape;
        var actual = input.shape;
        var fits = actual.Length == shape.Rank + 1;
        for (var i = 0; fits && i < shape.Rank; i++) fits = actual[i + 1] == shape.Dims[i];
        if (!fits)
            throw new GraphException(new GraphError(inputs[0].Path, "input",
                $"forward got a tensor of shape [{string.Join(", ", actual)}]; the input '{inputs[0].Path}' takes a batch [N, {string.Join(", ", shape.Dims.Items)}]"));
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
