using static TorchSharp.torch;

namespace Cnn.Functional.Torch;

/// <summary>
/// Grad-CAM (Selvaraju, Cogswell, Das, Vedantam, Parikh &amp; Batra 2017, "Grad-CAM: Visual Explanations from Deep
/// Networks via Gradient-based Localization", §3, eq. 1–2): for any convolutional node A with K maps, the weight of
/// map k for class c is its average gradient, <c>α_k^c = (1/Z) Σ_(i,j) ∂y^c/∂A^k_ij</c>, and the map is
/// <c>L^c = ReLU(Σ_k α_k^c A^k)</c>, y^c being the score before the softmax. For a network ending in global average
/// pooling and one linear layer it equals CAM up to a factor (the paper's §3.1).
/// </summary>
public static class GradCam
{
    /// <summary>
    /// The Grad-CAM map of class <paramref name="target"/> at the node <paramref name="path"/> (default "": the last node
    /// with 2-D maps, [C, h, w], before the output) for one image, and the map resized to the input. Evaluation mode.
    /// </summary>
    /// <exception cref="GraphException">The node does not exist or does not give 2-D maps.</exception>
    /// <exception cref="ArgumentException">The image does not fit the graph, or the class is not an output class.</exception>
    public static ClassActivationMap Map(GraphModule module, Tensor image, int target, string path = "")
    {
        var output = ModelOutput.Of(module.Graph);
        ExplainInput.CheckClass(output, target, "Grad-CAM");
        path = path.Length == 0 ? LastSpatialNode(module.Graph) : path;
        var node = ExplainInput.Node(module, path, "Grad-CAM");
        if (node.OutputShape.Rank != 3 || node.Node.Layer is Input)
            throw new GraphException(new GraphError(path, node.Node.Layer.Kind,
                $"Grad-CAM weighs the 2-D maps of a convolutional node, [C, h, w]; '{path}' gives {node.OutputShape}",
                $"the last such node is '{LastSpatialNode(module.Graph)}'"));
        using var mode = ExplainInput.Evaluating(module);
        using var scope = NewDisposeScope();
        var x = ExplainInput.One(module, image, "Grad-CAM");
        var keep = output.ScorePath == output.OutputPath ? new[] { path } : [path, output.ScorePath];
        var values = module.Run(x, keep);
        var scores = output.Kind == OutputKind.Distances ? values[output.ScorePath].neg() : values[output.ScorePath];
        var maps = values[path];
        var gradient = autograd.grad([scores[0, target]], [maps])[0];
        var alpha = gradient[0].mean([1, 2]);
        var map = nn.functional.relu(einsum("k,khw->hw", alpha, maps[0].detach()));
        return new ClassActivationMap(target, path, PixelMap.FromTensor(map), Cam.Upsample(map, x));
    }

    /// <summary>The last node (in topological order) with 2-D maps [C, h, w]: Grad-CAM's usual choice, the deepest spatial features.</summary>
    /// <exception cref="GraphException">No node gives 2-D maps.</exception>
    public static string LastSpatialNode(InferredGraph graph) =>
        graph.Nodes.LastOrDefault(n => n.OutputShape.Rank == 3 && n.Node.Layer is not Input)?.Path
        ?? throw new GraphException(new GraphError(graph.Graph.Name, "graph", "no node of this graph gives 2-D maps [C, h, w] for Grad-CAM"));
}
