namespace Cnn.Functional.Dsl;

/// <summary>
/// Fully convolutional conversion (Long, Shelhamer &amp; Darrell, 2015, Fig. 2): the fully connected head of a
/// classifier becomes convolutions, so the network accepts larger inputs and outputs a heat map of class
/// scores instead of one score vector. The flatten disappears; the first dense layer after it becomes a
/// convolution whose kernel covers the whole feature map it used to read (its weights are the dense weights
/// reshaped from [U, C·H·W] to [U, C, H, W]); every later dense layer becomes a 1×1 convolution. Paths and
/// parameter counts are unchanged, so trained weights carry over by path.
/// </summary>
public static class FullyConvolutional
{
    /// <summary>The converted graph, with the input shape <paramref name="input"/> (null keeps the original).</summary>
    /// <exception cref="GraphException">The graph has errors, has no flatten, or has a layer after it that cannot work on feature maps.</exception>
    public static Graph Convert(Graph graph, Shape? input = null)
    {
        var inferred = graph.Infer();
        var rewired = new Dictionary<string, string>(StringComparer.Ordinal);
        var nodes = new List<Node>();
        var afterFlatten = new HashSet<string>(StringComparer.Ordinal);
        var firstDense = new Dictionary<string, Layer>(StringComparer.Ordinal);
        var errors = new List<GraphError>();
        foreach (var n in inferred.Nodes)
        {
            var node = n.Node with { Inputs = n.Node.Inputs.Select(i => rewired.GetValueOrDefault(i, i)).ToEquatableArray() };
            var flatInput = n.Node.Inputs.Any(afterFlatten.Contains);
            switch (node.Layer)
            {
                case Input when input is not null:
                    nodes.Add(node with { Layer = new Input(input) });
                    continue;
                case Flatten when !n.InputShapes[0].IsFlat:
                    rewired[node.Path] = node.Inputs[0];
                    afterFlatten.Add(node.Path);
                    // The dense layer that reads the flatten sees the whole map: a kernel of the map's size.
                    var map = n.InputShapes[0].Spatial;
                    foreach (var reader in inferred.Nodes.Where(r => r.Node.Inputs.Contains(node.Path)))
                        if (reader.Node.Layer is Dense d)
                            firstDense[reader.Path] = Layers.Conv(d.Units, Size.Of(map), bias: d.Bias);
                    continue;
            }
            if (!flatInput)
            {
                nodes.Add(node);
                continue;
            }
            afterFlatten.Add(node.Path);
            switch (node.Layer)
            {
                case Dense when firstDense.TryGetValue(node.Path, out var conv):
                    nodes.Add(node with { Layer = conv });
                    break;
                case Dense d:
                    nodes.Add(node with { Layer = Layers.Conv(d.Units, 1, bias: d.Bias) });
                    break;
                case Activation or Dropout { Spatial: false } or Softmax or BatchNorm or Add or Concat:
                    nodes.Add(node);
                    break;
                default:
                    errors.Add(new GraphError(node.Path, node.Layer.Kind, $"a {node.Layer.Kind} layer after the flatten has no convolutional equivalent"));
                    break;
            }
        }
        if (!rewired.Any()) errors.Add(new GraphError(graph.Name, "graph", "the graph has no flatten: there is no fully connected head to convert"));
        if (errors.Count > 0) throw new GraphException(errors);
        var converted = graph with { Name = graph.Name + "-fcn", Nodes = nodes.ToEquatableArray(), Outputs = graph.Outputs.Select(o => rewired.GetValueOrDefault(o, o)).ToEquatableArray() };
        converted.Infer();
        return converted;
    }
}
