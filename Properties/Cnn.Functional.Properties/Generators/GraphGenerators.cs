using FsCheck;
using FsCheck.Fluent;

namespace Cnn.Functional.Properties;

/// <summary>
/// Generators of random graphs of random layers: chains (each node reads the previous one) and DAGs (each
/// node reads as many earlier nodes as its arity asks for: branches and merges), optionally with structural
/// damage (taken paths, bad paths, missing inputs, cycles, null nodes). These graphs are mostly invalid; they
/// exist to check that inference, validation, summaries and JSON answer with a result or a
/// <see cref="GraphException"/>. For graphs that are valid by construction see <see cref="ValidGraphGenerators"/>.
/// </summary>
public static class GraphGenerators
{
    /// <summary>A chain: an input of a shape from <paramref name="inputs"/>, then 1 to <paramref name="maxLayers"/> layers, each fed by the previous node.</summary>
    public static Gen<Graph> Chain(Gen<Layer> layers, Gen<Shape> inputs, int maxLayers = 8) =>
        from input in inputs
        from count in Gen.Choose(1, maxLayers)
        from chain in Gen.ArrayOf(layers, count)
        from frozen in Gen.ArrayOf(Frozen(), count)
        select Build("chain", input,
            chain.Select((layer, i) => new Node($"layer{i + 1}", layer, EquatableArray.Of(i == 0 ? "input" : $"layer{i}"), !frozen[i])));

    /// <summary>
    /// A DAG: one or two inputs, then 1 to <paramref name="maxLayers"/> layers under random scopes, each reading
    /// earlier nodes chosen at random — as many as its <see cref="Arity"/> asks for (two or three for a merge).
    /// </summary>
    public static Gen<Graph> Dag(Gen<Layer> layers, Gen<Shape> inputs, int maxLayers = 10) =>
        from second in inputs
        from twoInputs in Gen.Elements(false, true)
        from first in inputs
        from count in Gen.Choose(1, maxLayers)
        from dag in Gen.ArrayOf(layers, count)
        from picks in Gen.ArrayOf(Gen.ArrayOf(Gen.Choose(0, 1 << 20), 3), count)
        from mergeWidth in Gen.ArrayOf(Gen.Choose(2, 3), count)
        from scopes in Gen.ArrayOf(Gen.Elements("", "stem/", "stage1/block1/", "stage2/"), count)
        from frozen in Gen.ArrayOf(Frozen(), count)
        select BuildDag(first, twoInputs ? second : null, dag, picks, mergeWidth, scopes, frozen);

    /// <summary>A chain or a DAG of layers from <paramref name="layers"/>, sometimes structurally damaged by <see cref="Damage"/>.</summary>
    public static Gen<Graph> Random(Gen<Layer> layers, Gen<Shape> inputs) =>
        from graph in Gen.OneOf(Chain(layers, inputs), Dag(layers, inputs))
        from damaged in Gen.Frequency((5, Gen.Constant(graph)), (1, Damage(graph)))
        select damaged;

    /// <summary>Random graphs of plausible and hostile layers over valid and hostile input shapes, extreme deep chains, and layers whose counts lie at the top of the 64-bit range.</summary>
    public static Gen<Graph> Hostile() => Gen.Frequency(
        (8, Random(Gen.Frequency((2, LayerGenerators.Plausible()), (1, LayerGenerators.Hostile())), LayerGenerators.HostileShape(LayerGenerators.HostileInt()))),
        (2, ExtremeChain()),
        (1, LayerGenerators.CountBoundary().Select(c => Build("boundary", c.Input, [new Node("layer", c.Layer, EquatableArray.Of("input"))]))));

    /// <summary>
    /// Deep chains (40 to 100 layers) that are mostly valid but extreme: 'same'-padded convolutions (plain, Dirac,
    /// partial, binary) and pooling with strides and dilations up to <c>int.MaxValue</c>, subsampling, transposed
    /// convolutions, adaptive pooling to huge sizes, over inputs of extent up to 10⁹. Receptive fields, jumps and
    /// memory figures grow without bound.
    /// </summary>
    public static Gen<Graph> ExtremeChain()
    {
        var huge = Gen.Elements(65_536, 1_000_000_000, int.MaxValue);
        var stride = Gen.Frequency((1, Gen.Choose(1, 3)), (3, huge));
        // A dilated kernel D(F − 1) + 1 must fit 32 bits: huge dilations (below 2³¹ − 1) go with kernel 2.
        var kernelAndDilation = Gen.Frequency(
            (3, Gen.Choose(1, 3).Select(k => (Kernel: k, Dilation: 1))),
            (1, Gen.Elements(65_536, 1_000_000_000, int.MaxValue - 1).Select(d => (Kernel: 2, Dilation: d))));
        var layer = Gen.Frequency(
            (4, from f in Gen.Choose(1, 3) from kd in kernelAndDilation from s in stride
                select Layers.Conv(f, kd.Kernel, s, Padding.Same, kd.Dilation)),
            (2, from w in Gen.Choose(1, 3) from s in stride select Layers.MaxPool(w, s, Padding.Same)),
            (1, from k in Gen.Choose(1, 3) from s in Gen.Choose(1, 2) select Layers.ConvTranspose(1, k, s)),
            (1, from o in Gen.Frequency((2, Gen.Choose(1, 4)), (1, huge)) select Layers.AdaptiveAvgPool(o)),
            (1, Gen.Elements(Layers.Relu(), Layers.BatchNorm(), Layers.Activation(ActivationFunction.ScaledTanh))),
            // The newer convolutions with the same extremes: 'same' padding, huge strides and (stride-1 Dirac) huge dilations.
            (1, from f in Gen.Choose(1, 3) from kd in kernelAndDilation from b in Gen.Elements(false, true) select Layers.DiracConv(f, kd.Kernel, Padding.Same, kd.Dilation, b)),
            (1, from k in Gen.Choose(1, 3) from s in stride select Layers.PartialConv([[0]], k, s, Padding.Same)),
            (1, from k in Gen.Choose(1, 3) from s in stride from m in Gen.Elements(Enum.GetValues<Binarization>()) select Layers.BinaryConv(1, k, s, Padding.Same, mode: m)),
            // A window of 1 tiles any input at stride 1; a huge stride only inputs of extent 1 (else the chain is refused there).
            (1, Gen.Frequency((3, Gen.Constant(1)), (1, huge)).Select(s => Layers.Subsampling(1, s))));
        var input = from channels in Gen.Choose(1, 2)
                    from extents in Gen.Choose(1, 2).SelectMany(rank => Gen.ArrayOf(Gen.Frequency((2, Gen.Choose(1, 3)), (1, huge)), rank))
                    select Shape.Of([channels, .. extents]);
        return from shape in input
               from count in Gen.Choose(40, 100)
               from chain in Gen.ArrayOf(layer, count)
               select Build("extreme", shape, chain.Select((l, i) => new Node($"layer{i + 1}", l, EquatableArray.Of(i == 0 ? "input" : $"layer{i}"))));
    }

    /// <summary>
    /// <paramref name="graph"/> with one structural defect: a path taken twice, an invalid or null path, an
    /// input that is missing, later or the node itself, a null node or layer, an unknown output, or the
    /// nodes reordered.
    /// </summary>
    public static Gen<Graph> Damage(Graph graph)
    {
        var nodes = graph.Nodes.Items;
        if (nodes.Length == 0) return Gen.Constant(graph);
        Graph With(int i, Node? node) => graph with { Nodes = nodes.SetItem(i, node!) };
        return Gen.Choose(0, nodes.Length - 1).SelectMany(i => Gen.OneOf(
            Gen.Constant(With(i, nodes[i] with { Path = nodes[(i + 1) % nodes.Length].Path })),
            Gen.Elements("", "a//b", "bad path", "/root", "x/", "é", new string('a', 600), null!).Select(p => With(i, nodes[i] with { Path = p })),
            Gen.Elements("missing", nodes[i].Path, nodes[^1].Path, null!).Select(p => With(i, nodes[i] with { Inputs = nodes[i].Inputs.Append(p) })),
            Gen.Constant(With(i, nodes[i] with { Inputs = EquatableArray<string>.Empty })),
            Gen.Constant(With(i, null)),
            Gen.Constant(With(i, nodes[i] with { Layer = null! })),
            Gen.Constant(graph with { Outputs = graph.Outputs.Append("no/such/node") }),
            Gen.Constant(graph with { Nodes = nodes.Reverse().ToEquatableArray() }),
            Gen.Constant(graph with { Nodes = EquatableArray<Node>.Empty })));
    }

    /// <summary>
    /// Smaller graphs: every proper prefix of the nodes (outputs that no longer exist are dropped). A prefix of
    /// a graph in topological order is again in topological order.
    /// </summary>
    public static IEnumerable<Graph> ShrinkPrefix(Graph graph)
    {
        for (var n = 1; n < graph.Nodes.Count; n++)
        {
            var nodes = graph.Nodes.Items.Take(n).ToEquatableArray();
            var paths = nodes.Select(x => x?.Path).ToHashSet();
            yield return graph with { Nodes = nodes, Outputs = graph.Outputs.Where(paths.Contains).ToEquatableArray() };
        }
    }

    private static Gen<bool> Frozen() => Gen.Frequency((5, Gen.Constant(false)), (1, Gen.Constant(true)));

    private static Graph Build(string name, Shape input, IEnumerable<Node> nodes) =>
        new(name, nodes.Prepend(new Node("input", new Input(input), EquatableArray<string>.Empty)).ToEquatableArray(), EquatableArray<string>.Empty);

    private static Graph BuildDag(Shape first, Shape? second, Layer[] layers, int[][] picks, int[] mergeWidth, string[] scopes, bool[] frozen)
    {
        var nodes = new List<Node> { new("input", new Input(first), EquatableArray<string>.Empty) };
        if (second is not null) nodes.Add(new Node("input2", new Input(second), EquatableArray<string>.Empty));
        for (var i = 0; i < layers.Length; i++)
        {
            var count = layers[i].Arity switch
            {
                Arity.None => 0,
                Arity.One => 1,
                Arity.Three => 3,
                _ => mergeWidth[i],
            };
            // Prefer recent nodes (half the picks read one of the last two), so that chains grow deep.
            var inputs = Enumerable.Range(0, count)
                .Select(j => picks[i][j] % 2 == 0 ? nodes[^(1 + picks[i][j] / 2 % Math.Min(2, nodes.Count))] : nodes[picks[i][j] / 2 % nodes.Count])
                .Select(n => n.Path).ToEquatableArray();
            nodes.Add(new Node($"{scopes[i]}n{i + 1}", layers[i], inputs, !frozen[i]));
        }
        return new Graph("dag", nodes.ToEquatableArray(), EquatableArray<string>.Empty);
    }
}
