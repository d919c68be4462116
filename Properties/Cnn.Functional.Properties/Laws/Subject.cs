using System.Collections.Immutable;
using Cnn.Functional.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace Cnn.Functional.Properties;

/// <summary>
/// What a law is checked against: a layer on an input shape, a node of a graph (with the node's inferred input
/// shapes), or a whole graph. A subject is a description; <see cref="Create"/> lowers it to TorchSharp with fresh
/// weights for each case. The forward of any node can be replaced — by your own implementation of a layer, which then
/// keeps the library's parameters (<c>weight</c>, <c>bias</c>, …), or by a deliberately broken one, which is how the
/// laws' mutation tests prove that each law can fail.
/// </summary>
/// <example><code>
/// var conv = Subject.For(Layers.Conv(4, 3, padding: Padding.Same), Shape.Image(2, 8, 8));
/// var mine = conv.WithForward("my convolution", (module, inputs) => MyConv(inputs[0], module));
/// LawResult result = Laws.TranslationEquivariance.Check(mine);
/// </code></example>
public sealed class Subject
{
    private readonly ImmutableDictionary<string, Replacement> replacements;

    private Subject(string name, Graph graph, string? path, Graph context, string? contextPath, ImmutableDictionary<string, Replacement> replacements)
    {
        Name = name;
        Graph = graph;
        Inferred = graph.Infer();
        Path = path;
        Context = context;
        ContextPath = contextPath;
        this.replacements = replacements;
        var inputs = Inferred.Nodes.Where(n => n.Node.Layer is Input).ToList();
        InputPaths = inputs.Select(n => n.Path).ToEquatableArray();
        InputShapes = inputs.Select(n => n.OutputShape).ToEquatableArray();
        OutputShape = path is null ? Inferred.Output : Inferred[path].OutputShape;
    }

    /// <summary>A short name: the node's path, or the graph's name.</summary>
    public string Name { get; }

    /// <summary>The graph that is lowered: for a layer or node, its input nodes and the node itself.</summary>
    public Graph Graph { get; }

    /// <summary><see cref="Graph"/> with every shape inferred.</summary>
    public InferredGraph Inferred { get; }

    /// <summary>The node under test, or null when the subject is the whole graph.</summary>
    public string? Path { get; }

    /// <summary>The graph the subject was taken from (for a node: the original graph, which some laws need, e.g. to find a residual block).</summary>
    public Graph Context { get; }

    /// <summary>The node's path in <see cref="Context"/> (null for a whole graph).</summary>
    public string? ContextPath { get; }

    /// <summary>The layer under test, or null for a whole graph.</summary>
    public Layer? Layer => Path is null ? null : Graph.Find(Path).Layer;

    /// <summary>The paths of the input nodes, in order.</summary>
    public EquatableArray<string> InputPaths { get; }

    /// <summary>The shapes of one example of each input, in order.</summary>
    public EquatableArray<Shape> InputShapes { get; }

    /// <summary>The shape of one example of the (first) input.</summary>
    public Shape InputShape => InputShapes[0];

    /// <summary>The inferred shape of one example of the output.</summary>
    public Shape OutputShape { get; }

    /// <summary>The paths whose forward is replaced, with what replaces them.</summary>
    public IReadOnlyDictionary<string, string> Replaced => replacements.ToDictionary(r => r.Key, r => r.Value.Description);

    /// <summary>The configuration as people read it: layer hyperparameters (or graph), input shapes, replaced forwards.</summary>
    public string Description
    {
        get
        {
            var what = Path is null ? $"graph '{Graph.Name}'" : $"{Path}: {Text(Layer!)}";
            var shapes = string.Join(", ", InputShapes.Items);
            var replaced = replacements.IsEmpty ? "" : "; " + string.Join("; ", replacements.OrderBy(r => r.Key, StringComparer.Ordinal)
                .Select(r => $"{r.Key} replaced by {r.Value.Description}"));
            return $"{what} on input {shapes}{replaced}";
        }
    }

    /// <summary>A layer as its record prints, without the derived Kind and Arity: <c>Conv { Filters = 4, Kernel = 3, … }</c>.</summary>
    public static string Text(Layer layer)
    {
        var text = System.Text.RegularExpressions.Regex.Replace(layer.ToString(), @"(Kind|Arity) = [^,}]*(, )?", "");
        return text.Replace(", }", " }").Replace("{  }", "").TrimEnd();
    }

    /// <summary><paramref name="layer"/> on one example of <paramref name="input"/>, at the node path <paramref name="path"/>.</summary>
    /// <exception cref="GraphException">The layer is not valid for that input (the message says why, with the numbers).</exception>
    public static Subject For(Layer layer, Shape input, string path = "layer")
    {
        ArgumentNullException.ThrowIfNull(layer);
        ArgumentNullException.ThrowIfNull(input);
        var graph = Graph.Create(path, input, InputPath(path, 0)).Then(path, layer);
        return new Subject(path, graph, path, graph, path, ImmutableDictionary<string, Replacement>.Empty);
    }

    /// <summary>A whole graph, from its input(s) to its (first) output.</summary>
    /// <exception cref="GraphException">The graph is not valid.</exception>
    public static Subject For(Graph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        return new Subject(graph.Name, graph, null, graph, null, ImmutableDictionary<string, Replacement>.Empty);
    }

    /// <summary>The node at <paramref name="path"/> of <paramref name="graph"/>, on the input shapes inference gives it there.</summary>
    /// <exception cref="GraphException">The graph is not valid, or has no node at that path.</exception>
    public static Subject ForNode(Graph graph, string path)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var inferred = graph.Infer()[path];
        return ForNode(graph, path, inferred.Node.Layer is Input ? [inferred.OutputShape] : inferred.InputShapes.Items);
    }

    private static Subject ForNode(Graph context, string path, IReadOnlyList<Shape> inputs)
    {
        var layer = context.Find(path).Layer;
        Graph graph;
        if (layer is Input)
            graph = Graph.Create(path, inputs[0], path);
        else
        {
            graph = Graph.Empty(path);
            for (var i = 0; i < inputs.Count; i++) graph = graph.AddNode(InputPath(path, i), new Input(inputs[i]));
            graph = graph.AddNode(path, layer, Enumerable.Range(0, inputs.Count).Select(i => InputPath(path, i)).ToArray());
        }
        return new Subject(path, graph, path, context, path, ImmutableDictionary<string, Replacement>.Empty);
    }

    // Input nodes are named input, input2, …; a node that is itself called so gets x, x2, ….
    private static string InputPath(string path, int index)
    {
        var stem = path.StartsWith("input", StringComparison.Ordinal) ? "x" : "input";
        return index == 0 ? stem : $"{stem}{index + 1}";
    }

    /// <summary>The same layer (and replacements) on other input shapes: e.g. a zoo model's node on a small map.</summary>
    /// <exception cref="InvalidOperationException">The subject is a whole graph.</exception>
    /// <exception cref="GraphException">The layer is not valid for those inputs.</exception>
    public Subject WithInputs(params Shape[] inputs)
    {
        if (Path is null) throw new InvalidOperationException($"'{Name}' is a whole graph: its input shapes are its input nodes'");
        var node = ForNode(Graph, Path, inputs);
        return new Subject(Name, node.Graph, Path, Context, ContextPath, replacements);
    }

    /// <summary>
    /// The subject on the smallest input, no smaller than needed, on which its layer is still valid: each spatial extent
    /// S becomes min(S, max(<paramref name="extent"/>, 2·(window + stride))) or the next size up that the layer accepts,
    /// so that laws about interiors and shifts still have room; a flat input keeps at most 8·<paramref name="extent"/>
    /// features. Channels are kept (the weights' shapes are the layer's). A whole graph or a layer with several inputs
    /// is returned as it is.
    /// </summary>
    public Subject Small(int extent = 8)
    {
        if (Path is null || InputShapes.Count != 1 || Layer is Input) return this;
        var input = InputShape;
        if (input.IsFlat)
            return input.Channels <= 8 * extent ? this : TryInputs(Shape.Vector(8 * extent)) ?? this;
        var window = Window.Of(Layer!, input);
        var target = input.Spatial.Select((s, i) => Math.Min(s, Math.Max(extent, window is null ? 0 : 2 * (window.Extent[i] + window.Stride[i])))).ToArray();
        var largest = input.Spatial.Max();
        for (var grow = 0; grow <= largest; grow++)
        {
            var spatial = input.Spatial.Select((s, i) => Math.Min(s, target[i] + grow)).ToArray();
            var candidate = Shape.Of([input.Channels, .. spatial]);
            if (candidate == input) return this;
            if (TryInputs(candidate) is { } smaller) return smaller;
        }
        return this;
    }

    private Subject? TryInputs(Shape input) =>
        Graph.Create("probe", input).Then("probe", Layer!).Validate().Count == 0 ? WithInputs(input) : null;

    /// <summary>The subject with the node under test computing <paramref name="forward"/> instead (given its lowered module, with its parameters, and its inputs).</summary>
    /// <exception cref="InvalidOperationException">The subject is a whole graph: name the node with the other overload.</exception>
    public Subject WithForward(string description, Func<NodeModule, IReadOnlyList<Tensor>, Tensor> forward) =>
        WithForward(Path ?? throw new InvalidOperationException($"'{Name}' is a whole graph: say which node's forward to replace"), description, forward);

    /// <summary>The subject with the node at <paramref name="path"/> computing <paramref name="forward"/> instead.</summary>
    /// <exception cref="GraphException">No node has that path.</exception>
    public Subject WithForward(string path, string description, Func<NodeModule, IReadOnlyList<Tensor>, Tensor> forward)
    {
        ArgumentNullException.ThrowIfNull(forward);
        Graph.Find(path);
        return new Subject(Name, Graph, Path, Context, ContextPath, replacements.SetItem(path, new Replacement(description, forward)));
    }

    /// <summary>The same node with <paramref name="layer"/> in place of its layer (for shrinking); replacements are kept.</summary>
    /// <exception cref="GraphException">The layer is not valid for the node's inputs.</exception>
    internal Subject WithLayer(Layer layer) =>
        new(Name, Graph.Replace(Path ?? throw new InvalidOperationException($"'{Name}' is a whole graph"), layer), Path, Context, ContextPath, replacements);

    /// <summary>The whole-graph subject on <paramref name="graph"/> instead (for shrinking its input); replacements are kept.</summary>
    internal Subject WithGraph(Graph graph) => new(Name, graph, Path, graph, ContextPath, replacements);

    /// <summary>The subject on another graph (e.g. a block cut out of it) with the replacements that still name a node of it.</summary>
    internal Subject Rebased(Graph graph, string? path)
    {
        var kept = replacements.Where(r => graph.TryFind(r.Key) is not null).ToImmutableDictionary();
        return new Subject(Name, graph, path, Context, ContextPath, kept);
    }

    /// <summary>Lowers the subject in <paramref name="dtype"/> with weights drawn from <paramref name="seed"/>, in evaluation mode.</summary>
    public Instance Create(ScalarType dtype, int seed)
    {
        GraphModule module;
        lock (Seeding.Gate)
        {
            TorchSharp.torch.manual_seed(seed);
            module = GraphModule.Create(Inferred);
        }
        module.to(dtype);
        module.eval();
        return new Instance(this, module, dtype, replacements);
    }

    public override string ToString() => Description;

    internal sealed record Replacement(string Description, Func<NodeModule, IReadOnlyList<Tensor>, Tensor> Forward);
}

/// <summary>
/// libtorch's generator is global: laws seed it and draw from it under this lock, so runs replay exactly. Code outside
/// the laws that needs that generator's sequence (a reproducible training run) must not run at the same time.
/// </summary>
internal static class Seeding
{
    public static readonly object Gate = new();
}
