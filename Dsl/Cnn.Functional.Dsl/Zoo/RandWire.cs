using System.Globalization;

namespace Cnn.Functional.Dsl;

/// <summary>An undirected edge with <see cref="From"/> &lt; <see cref="To"/>; as a network it runs from the lower index to the higher.</summary>
public sealed record GraphEdge(int From, int To);

/// <summary>
/// A random graph on nodes 0…<see cref="Nodes"/> − 1 with its edges sorted. Orienting every edge from the
/// lower to the higher index makes it acyclic, and the node order is then a topological order.
/// </summary>
public sealed record RandomGraph(int Nodes, EquatableArray<GraphEdge> Edges)
{
    /// <summary>The nodes with an edge to a lower index: the node's inputs.</summary>
    public IReadOnlyList<int> Predecessors(int node) => Edges.Where(e => e.To == node).Select(e => e.From).ToList();

    /// <summary>The nodes with an edge to a higher index: the nodes reading this one.</summary>
    public IReadOnlyList<int> Successors(int node) => Edges.Where(e => e.From == node).Select(e => e.To).ToList();

    /// <summary>The number of edges at <paramref name="node"/>, ignoring direction.</summary>
    public int Degree(int node) => Edges.Count(e => e.From == node || e.To == node);
}

/// <summary>
/// Randomly wired networks (Xie, Kirillov, Girshick &amp; He, 2019, "Exploring Randomly Wired Neural Networks
/// for Image Recognition"): each stage's wiring is a random graph from a generator (here Watts–Strogatz),
/// made acyclic by node index. A node aggregates its inputs with a learned positive weighted sum, then
/// applies ReLU → 3×3 depthwise-separable convolution → batch norm; nodes without inputs read the stage
/// input with stride 2, and the stage outputs the combination of the nodes without outputs.
/// </summary>
public static class RandWire
{
    /// <summary>
    /// The Watts–Strogatz small-world graph WS(<paramref name="n"/>, <paramref name="k"/>, <paramref name="p"/>):
    /// a ring where each node is joined to its <paramref name="k"/>/2 nearest neighbours on each side, then,
    /// for j = 1 … k/2 and each node u in order, with probability <paramref name="p"/> the edge (u, u + j mod n)
    /// is moved to (u, w) for a uniformly drawn w that is neither u nor already joined to u (networkx's
    /// algorithm; draws come from <c>System.Random(seed)</c>, so the same seed gives the same graph).
    /// Rewiring keeps the n·k/2 edges.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">k is odd or not in 2 … n − 1, or p is not in [0, 1].</exception>
    public static RandomGraph WattsStrogatz(int n, int k, double p, int seed)
    {
        if (k < 2 || k % 2 != 0 || k >= n)
            throw new ArgumentOutOfRangeException(nameof(k), k, $"WS(n, k, p) needs an even k with 2 ≤ k < n; got n = {n}, k = {k}");
        if (!(p >= 0 && p <= 1))
            throw new ArgumentOutOfRangeException(nameof(p), p, string.Create(CultureInfo.InvariantCulture, $"the rewiring probability must be in [0, 1]; got {p}"));

        var neighbours = Enumerable.Range(0, n).Select(_ => new HashSet<int>()).ToArray();
        void Join(int a, int b) { neighbours[a].Add(b); neighbours[b].Add(a); }
        for (var j = 1; j <= k / 2; j++)
            for (var u = 0; u < n; u++)
                Join(u, (u + j) % n);

        var random = new Random(seed);
        for (var j = 1; j <= k / 2; j++)
            for (var u = 0; u < n; u++)
            {
                if (random.NextDouble() >= p) continue;
                // A node joined to every other node keeps its edge (networkx skips it the same way).
                if (neighbours[u].Count >= n - 1) continue;
                int w;
                do w = random.Next(n); while (w == u || neighbours[u].Contains(w));
                var v = (u + j) % n;
                neighbours[u].Remove(v);
                neighbours[v].Remove(u);
                Join(u, w);
            }

        var edges = Enumerable.Range(0, n)
            .SelectMany(a => neighbours[a].Where(b => a < b).Select(b => new GraphEdge(a, b)))
            .OrderBy(e => e.From).ThenBy(e => e.To);
        return new RandomGraph(n, edges.ToEquatableArray());
    }

    /// <summary>
    /// RandWire-WS(4, 0.75) in the paper's small computation regime (Table 1): conv1 3×3/2 with C/2 filters
    /// and conv2 3×3/2 with C, then stages 3, 4, 5 of <paramref name="nodes"/> random-wired nodes at C, 2C, 4C
    /// channels (56 → 28 → 14 → 7), a 1×1 convolution to 1280, global average pooling and a 1000-way linear
    /// layer. Each stage draws its own graph from a seed taken from <c>System.Random(seed)</c>. With the
    /// defaults (seed 0, N = 32, C = 78): 5,526,031 parameters and 569M MACs (seeds 0–9: 5.53–5.79M and
    /// 569–591M); the paper reports 5.6M parameters for RandWire-WS in this regime, a budget of under 600M
    /// multiply-adds.
    /// </summary>
    /// <remarks>
    /// Choices the paper's Table 1 leaves open: conv1 is conv → batch norm; conv2 and the classifier's 1×1
    /// convolution follow the nodes' ReLU → conv → batch norm order, without biases since batch norm follows;
    /// a ReLU precedes the global pooling; no dropout is added. The graphs come from <c>System.Random</c>, so
    /// seed s here does not give the graph networkx gives for seed s.
    /// </remarks>
    [ZooModel("randwire", "RandWire-WS(4, 0.75), small regime, C = 78, N = 32, seed 0: randomly wired stages, 3×224×224 → 1000 (5,526,031 parameters)")]
    public static Graph SmallRegime(int seed = 0, int nodes = 32, int k = 4, double p = 0.75, int channels = 78, int classes = 1000)
    {
        if (channels < 2) throw new ArgumentOutOfRangeException(nameof(channels), channels, "C must be at least 2 (conv1 has C/2 filters)");
        var random = new Random(seed);
        var stages = new[] { 1, 2, 4 }.Select((width, i) =>
            Net.Scope($"stage{i + 3}", Stage(WattsStrogatz(nodes, k, p, random.Next()), width * channels))).ToArray();

        var network = Net.Sequence(
            // 3×3 convolutions with stride 2 and padding 1 do not tile even sizes ((224 + 2 − 3)/2 + 1 = 112.5): floor, as PyTorch.
            Net.Scope("conv1", Net.Sequence(
                Net.Layer(Layers.Conv(channels / 2, 3, stride: 2, padding: 1, bias: false, rounding: Rounding.Floor), "conv"),
                Net.Layer(Layers.BatchNorm(), "bn"))),
            Net.Scope("conv2", Net.Sequence(
                Net.Layer(Layers.Relu(), "relu"),
                Net.Layer(Layers.Conv(channels, 3, stride: 2, padding: 1, bias: false, rounding: Rounding.Floor), "conv"),
                Net.Layer(Layers.BatchNorm(), "bn"))),
            Net.SequenceOf(stages),
            Net.Scope("classifier", Net.Sequence(
                Net.Layer(Layers.Relu(), "relu1"),
                Net.Layer(Layers.Conv(1280, 1, bias: false), "conv"),
                Net.Layer(Layers.BatchNorm(), "bn"),
                Net.Layer(Layers.Relu(), "relu2"),
                Net.Layer(Layers.GlobalAvgPool(), "avgpool"),
                Net.Layer(Layers.Dense(classes), "fc"))));
        return network.ToGraph("randwire", Shape.Image(3, 224, 224));
    }

    /// <summary>
    /// One randomly wired stage at <paramref name="channels"/> channels: node i is scoped <c>node{i}</c> with
    /// <c>sum</c> (a <see cref="WeightedSum"/>, when it has several inputs), <c>relu</c>, <c>conv</c> and
    /// <c>bn</c>; nodes without inputs read the stage input with stride 2. The stage output <c>output</c> adds
    /// the nodes without successors. The paper averages them; the sum differs by the constant factor m, which
    /// the next ReLU → bias-free convolution → batch norm removes (BN(a·x) = BN(x) for a &gt; 0, up to ε), so
    /// the network computes the same function with the same parameters.
    /// </summary>
    public static Block Stage(RandomGraph graph, int channels)
    {
        var key = string.Create(CultureInfo.InvariantCulture, $"randwire-stage:{graph.Nodes}:{channels}:{string.Join(",", graph.Edges.Select(e => $"{e.From}-{e.To}"))}");
        return Net.Custom(key, (builder, input) =>
        {
            var outputs = new string[graph.Nodes];
            for (var i = 0; i < graph.Nodes; i++)
            {
                var inputs = graph.Predecessors(i).Select(j => outputs[j]).ToArray();
                using (builder.Scope($"node{i}"))
                {
                    var x = inputs.Length switch
                    {
                        0 => input,
                        1 => inputs[0],
                        _ => builder.Add("sum", Layers.WeightedSum(), inputs),
                    };
                    x = builder.Add("relu", Layers.Relu(), x);
                    // Stride 2 halves the size at the stage's entry: (56 + 2 − 3)/2 + 1 = 28.5, floored as PyTorch.
                    var conv = inputs.Length == 0
                        ? Layers.DepthwiseSeparableConv(channels, 3, stride: 2, padding: 1, bias: false, rounding: Rounding.Floor)
                        : Layers.DepthwiseSeparableConv(channels, 3, padding: 1, bias: false);
                    x = builder.Add("conv", conv, x);
                    outputs[i] = builder.Add("bn", Layers.BatchNorm(), x);
                }
            }
            var sinks = Enumerable.Range(0, graph.Nodes).Where(i => graph.Successors(i).Count == 0).Select(i => outputs[i]).ToArray();
            return sinks.Length == 1 ? sinks[0] : builder.Add("output", Layers.Add(), sinks);
        });
    }
}
