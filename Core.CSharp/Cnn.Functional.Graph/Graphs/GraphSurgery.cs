namespace Cnn.Functional;

/// <summary>
/// Graph surgery for transfer learning (the lecture's "using a trained CNN &amp; fine-tuning"): keep a trained
/// network up to some layer and put a new head on it, or swap one layer for another. The results are new graphs;
/// nodes that keep their path keep their state-dict names, so trained weights load into them by path.
/// </summary>
public sealed partial record Graph
{
    /// <summary>
    /// The graph cut after <paramref name="path"/>: that node and every node it depends on, with it as the only
    /// output (declared outputs are dropped: the last node, <paramref name="path"/>, is the output until
    /// <see cref="Then"/> appends after it). <c>alexnet.Truncate("classifier/relu7")</c> yields the 4,096-value "CNN codes" of Razavian et al.;
    /// add a new head with <see cref="Then"/>.
    /// </summary>
    /// <exception cref="GraphException">No node has that path.</exception>
    public Graph Truncate(string path)
    {
        Find(path);
        var needed = new HashSet<string>(StringComparer.Ordinal) { path };
        // Nodes are in topological order, so one backward sweep collects every ancestor.
        for (var i = Nodes.Count - 1; i >= 0; i--)
            if (needed.Contains(Nodes[i].Path))
                foreach (var input in Nodes[i].Inputs) needed.Add(input);
        return this with { Nodes = Nodes.Where(n => needed.Contains(n.Path)).ToEquatableArray(), Outputs = EquatableArray<string>.Empty };
    }

    /// <summary>
    /// The graph with the node at <paramref name="path"/> computing <paramref name="layer"/> instead, fed by the same
    /// inputs: e.g. a new 10-class <c>Dense</c> head in place of ImageNet's 1,000-class one. The new node is trainable
    /// (its weights are new); shapes are checked when the graph is inferred, naming the path on a mismatch.
    /// </summary>
    /// <exception cref="GraphException">No node has that path, or the layer takes a different number of inputs.</exception>
    public Graph Replace(string path, Layer layer)
    {
        ArgumentNullException.ThrowIfNull(layer);
        var old = Find(path);
        var node = old with { Layer = layer, Trainable = true };
        var earlier = Nodes.TakeWhile(n => n.Path != path).Select(n => n.Path).ToHashSet(StringComparer.Ordinal);
        var errors = new List<GraphError>();
        GraphStructure.CheckNode(node, earlier, errors);
        if (errors.Count > 0) throw new GraphException(errors);
        return this with { Nodes = Nodes.Select(n => n.Path == path ? node : n).ToEquatableArray() };
    }

    /// <summary>
    /// The graph fed with examples of <paramref name="shape"/> instead: e.g. torchvision's ResNet-18 at 64×64
    /// (<c>ModelZoo.Get("resnet18").WithInput(Shape.Image(3, 64, 64))</c>; its adaptive pooling makes that valid).
    /// Every node keeps its path and layer, so weights still load by path where their shapes do not depend on the
    /// input; shapes are checked when the graph is inferred, naming the node where the new size breaks the network.
    /// </summary>
    /// <exception cref="GraphException">The graph has no input node, or more than one.</exception>
    public Graph WithInput(Shape shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        var inputs = Nodes.Select((n, i) => (Node: n, Index: i)).Where(p => p.Node.Layer is Input).ToList();
        if (inputs.Count != 1)
            throw new GraphException(new GraphError(Name, "graph", $"WithInput needs a graph with exactly one input node; '{Name}' has {inputs.Count}"));
        var (node, index) = inputs[0];
        return this with { Nodes = Nodes.SetItem(index, node with { Layer = new Input(shape) }) };
    }
}
