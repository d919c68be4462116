using System.Collections.Immutable;
using FsCheck;
using FsCheck.Fluent;

namespace Cnn.Functional.Properties;

/// <summary>
/// A graph that is valid by construction, with the output shape of each node (in node order) as computed
/// by the generator from the lecture's formulas, independently of the library's inference.
/// </summary>
/// <param name="Graph">The graph; its outputs are the last node unless declared.</param>
/// <param name="Shapes">The expected output shape of each node, in the order of <c>Graph.Nodes</c>.</param>
/// <param name="IsChain">True when every node reads the node just before it.</param>
public sealed record ValidGraph(Graph Graph, EquatableArray<Shape> Shapes, bool IsChain)
{
    public override string ToString() =>
        $"{Graph.Name}: " + string.Join("; ", Graph.Nodes.Select((n, i) => $"{n.Path}{(n.Trainable ? "" : " (frozen)")} = {n.Layer}({string.Join(", ", n.Inputs.Items)}) → {Shapes[i]}")) +
        (Graph.Outputs.Count > 0 ? $"; outputs {Graph.Outputs}" : "");
}

/// <summary>
/// Generators of valid graphs: chains of layers from <see cref="ValidLayerGenerators"/>, and DAGs that also
/// hold residual blocks (y = F(x) + x), Inception-style blocks (parallel 'same' branches concatenated),
/// highway blocks (y = H·T + x·(1 − T)) and weighted sums (y = Σᵢ σ(wᵢ)·xᵢ over new branches and earlier nodes
/// of the same shape). Some nodes are frozen; DAGs sometimes declare several outputs.
/// </summary>
public static class ValidGraphGenerators
{
    private sealed record State(ImmutableList<Node> Nodes, ImmutableList<Shape> Shapes, int Blocks)
    {
        public string Last => Nodes[^1].Path;

        public Shape LastShape => Shapes[^1];

        public State Add(string path, Layer layer, Shape output, bool trainable, params string[] inputs) =>
            this with { Nodes = Nodes.Add(new Node(path, layer, inputs.ToEquatableArray(), trainable)), Shapes = Shapes.Add(output) };
    }

    /// <summary>A valid chain: an input, then 1 to <paramref name="maxLayers"/> layers.</summary>
    public static Gen<ValidGraph> Chain(int maxLayers = 8) =>
        from input in ShapeGenerators.Input()
        from count in Gen.Choose(1, maxLayers)
        from state in Repeat(Start(input), count, ChainStep)
        select new ValidGraph(ToGraph("chain", state, []), state.Shapes.ToEquatableArray(), true);

    /// <summary>A valid DAG: an input, then 1 to <paramref name="maxSteps"/> steps, each a layer or a block with branches and a merge.</summary>
    public static Gen<ValidGraph> Dag(int maxSteps = 6) =>
        from input in ShapeGenerators.Input()
        from count in Gen.Choose(1, maxSteps)
        from state in Repeat(Start(input), count, s => Gen.Frequency((2, ChainStep(s)), (3, Block(s))))
        from extraOutput in Gen.Frequency((3, Gen.Constant(-1)), (1, Gen.Choose(0, state.Nodes.Count - 2)))
        select new ValidGraph(ToGraph("dag", state, extraOutput < 0 ? [] : [state.Nodes[extraOutput].Path, state.Last]),
            state.Shapes.ToEquatableArray(), false);

    /// <summary>A valid chain or DAG.</summary>
    public static Gen<ValidGraph> Any() => Gen.OneOf(Chain(), Dag());

    /// <summary>Every proper prefix of the graph's nodes, with the shapes that go with them: still valid.</summary>
    public static IEnumerable<ValidGraph> Shrink(ValidGraph graph) =>
        GraphGenerators.ShrinkPrefix(graph.Graph).Select(g => graph with { Graph = g, Shapes = graph.Shapes.Take(g.Nodes.Count).ToEquatableArray() });

    private static State Start(Shape input) =>
        new State([], [], 0).Add("input", Layers.Input(input), input, true);

    private static Gen<State> Repeat(State state, int count, Func<State, Gen<State>> step) =>
        count == 0 ? Gen.Constant(state) : step(state).SelectMany(next => Repeat(next, count - 1, step));

    private static Graph ToGraph(string name, State state, string[] outputs) =>
        new(name, state.Nodes.ToEquatableArray(), outputs.ToEquatableArray());

    private static Gen<bool> Trainable() => Gen.Frequency((5, Gen.Constant(true)), (1, Gen.Constant(false)));

    private static Gen<State> ChainStep(State s) =>
        from step in ValidLayerGenerators.For(s.LastShape)
        from trainable in Trainable()
        select s.Add($"layer{s.Nodes.Count}", step.Layer, step.Output, trainable, s.Last);

    /// <summary>A block reading the last node: residual, Inception-style, highway or weighted-sum (spatial inputs); residual dense or weighted-sum (flat ones).</summary>
    private static Gen<State> Block(State s)
    {
        var x = s.LastShape;
        var scope = $"block{s.Blocks + 1}";
        var next = s with { Blocks = s.Blocks + 1 };
        if (x.IsFlat)
            return Gen.OneOf(
                from trainable in Trainable()
                select next.Add($"{scope}/dense", Layers.Dense(x.Channels), x, trainable, s.Last)
                    .Add($"{scope}/add", Layers.Add(), x, true, $"{scope}/dense", s.Last),
                WeightedSum(next, scope, x));
        return Gen.OneOf(Residual(next, scope, x), Inception(next, scope, x), Highway(next, scope, x), WeightedSum(next, scope, x));
    }

    // y = Σᵢ σ(wᵢ)·xᵢ, a randomly wired network's node: 1 to 3 new branches of x that keep its shape (a 'same'
    // convolution or Dirac convolution of C filters, a dense or binary dense layer of F units, a scaled tanh), and
    // 0 to 2 earlier nodes of x's shape (x itself, possibly more than once); at least two inputs, all of shape x.
    private static Gen<State> WeightedSum(State s, string scope, Shape x)
    {
        var sameShape = s.Nodes.Where((_, i) => s.Shapes[i] == x).Select(n => n.Path).ToArray();
        var branch = x.IsFlat
            ? Gen.OneOf(
                Gen.Constant(Layers.Dense(x.Channels)),
                Gen.Elements(Enum.GetValues<Binarization>()).Select(mode => Layers.BinaryDense(x.Channels, mode: mode)),
                Gen.Constant(Layers.Activation(ActivationFunction.ScaledTanh)))
            : Gen.OneOf(
                SmallKernel().Select(k => Layers.Conv(x.Channels, k, padding: Padding.Same)),
                from k in SmallKernel() from d in Gen.Choose(1, 2) select Layers.DiracConv(x.Channels, k, Padding.Same, d),
                Gen.Constant(Layers.Activation(ActivationFunction.ScaledTanh)));
        return from branches in Gen.Choose(1, 3).SelectMany(n => Gen.ArrayOf(branch, n))
               from earlier in Gen.Choose(0, 2).SelectMany(n => Gen.ArrayOf(Gen.Elements(sameShape), n))
               from trainable in Trainable()
               select Sum(s, scope, x, branches, earlier, trainable);
    }

    private static State Sum(State s, string scope, Shape x, Layer[] branches, string[] earlier, bool trainable)
    {
        var state = s;
        var inputs = new List<string>();
        for (var i = 0; i < branches.Length; i++)
        {
            var path = $"{scope}/branch{i + 1}";
            state = state.Add(path, branches[i], x, true, s.Last);
            inputs.Add(path);
        }
        inputs.AddRange(earlier);
        if (inputs.Count < 2) inputs.Add(s.Last);
        return state.Add($"{scope}/sum", Layers.WeightedSum(), x, trainable, [.. inputs]);
    }

    private static Gen<Size> SmallKernel() => Gen.Choose(1, 5).Select(Size.All);

    // y = relu?(conv_same(x)) + x: the branch keeps the channels and the spatial size.
    private static Gen<State> Residual(State s, string scope, Shape x) =>
        from k in SmallKernel()
        from relu in Gen.Elements(false, true)
        from trainable in Trainable()
        let conv = s.Add($"{scope}/conv", Layers.Conv(x.Channels, k, padding: Padding.Same), x, trainable, s.Last)
        let branch = relu ? conv.Add($"{scope}/relu", Layers.Relu(), x, true, conv.Last) : conv
        select branch.Add($"{scope}/add", Layers.Add(), x, true, branch.Last, s.Last);

    // Parallel 'same' branches (convolutions of F_i filters, or 3-wide max pooling at stride 1), concatenated: ΣF_i channels.
    private static Gen<State> Inception(State s, string scope, Shape x) =>
        from widths in Gen.Choose(2, 3).SelectMany(n => Gen.ArrayOf(Gen.Choose(0, 4), n))
        from kernels in Gen.ArrayOf(SmallKernel(), widths.Length)
        select Concatenate(s, scope, x, widths, kernels);

    private static State Concatenate(State s, string scope, Shape x, int[] widths, Size[] kernels)
    {
        var state = s;
        var paths = new List<string>();
        for (var i = 0; i < widths.Length; i++)
        {
            var path = $"{scope}/branch{i + 1}";
            state = widths[i] == 0
                ? state.Add(path, Layers.MaxPool(3, 1, Padding.Same), x, true, s.Last)
                : state.Add(path, Layers.Conv(widths[i], kernels[i], padding: Padding.Same), x.WithChannels(widths[i]), true, s.Last);
            paths.Add(path);
        }
        var channels = widths.Sum(w => w == 0 ? x.Channels : w);
        return state.Add($"{scope}/concat", Layers.Concat(), x.WithChannels(channels), true, [.. paths]);
    }

    // y = H(x)·T(x) + x·(1 − T(x)) with H, T 'same' convolutions keeping the channels and T through a sigmoid.
    private static Gen<State> Highway(State s, string scope, Shape x) =>
        from kh in SmallKernel()
        from kt in SmallKernel()
        select s.Add($"{scope}/transform", Layers.Conv(x.Channels, kh, padding: Padding.Same), x, true, s.Last)
            .Add($"{scope}/gateConv", Layers.Conv(x.Channels, kt, padding: Padding.Same), x, true, s.Last)
            .Add($"{scope}/gate", Layers.Sigmoid(), x, true, $"{scope}/gateConv")
            .Add($"{scope}/highway", Layers.HighwayGate(), x, true, $"{scope}/transform", $"{scope}/gate", s.Last);
}
