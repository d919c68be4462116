using static TorchSharp.torch;

namespace Cnn.Functional.Torch;

/// <summary>
/// Where the evidence for <paramref name="Class"/> lies: <paramref name="Map"/> over the positions of the feature node
/// at <paramref name="Path"/> (h × w), and <paramref name="Upsampled"/>, the same map bilinearly resized to the input
/// image (H × W) for drawing over it and for comparing with other attribution maps.
/// </summary>
public sealed record ClassActivationMap(int Class, string Path, PixelMap Map, PixelMap Upsampled);

/// <summary>
/// Class activation mapping, CAM (Zhou, Khosla, Lapedriza, Oliva &amp; Torralba 2016, "Learning Deep Features for
/// Discriminative Localization", §2): for a network whose last feature maps f_k are globally averaged and then scored
/// linearly, S_c = Σ_k w_k^c · mean_(x,y) f_k(x, y), so the class score is the mean of
/// <c>M_c(x, y) = Σ_k w_k^c f_k(x, y)</c> (eq. 2 of the paper; the lecture's "weighted combination of the feature
/// maps before GAP"). When global pooling yields the class scores directly (All-CNN), w is the identity and M_c = f_c.
/// </summary>
public static class Cam
{
    /// <summary>
    /// The CAM of class <paramref name="target"/> for one image. The graph must end, after an optional softmax, in a
    /// dense layer fed by global average pooling (flatten and dropout between them are allowed), or in global average
    /// pooling itself. Runs in evaluation mode without gradients.
    /// </summary>
    /// <exception cref="GraphException">The graph does not end in global average pooling: use <see cref="GradCam"/>.</exception>
    /// <exception cref="ArgumentException">The image does not fit the graph, or the class is not an output class.</exception>
    public static ClassActivationMap Map(GraphModule module, Tensor image, int target)
    {
        var output = ModelOutput.Of(module.Graph);
        ExplainInput.CheckClass(output, target, "CAM");
        var (featurePath, densePath) = Structure(module.Graph, output);
        using var mode = ExplainInput.Evaluating(module);
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var x = ExplainInput.One(module, image, "CAM");
        var values = module.Run(x, [featurePath]);
        var features = values[featurePath][0];
        var map = densePath is null
            ? features[target]
            : einsum("k,khw->hw", Weight(module, densePath)[target], features);
        return new ClassActivationMap(target, featurePath, PixelMap.FromTensor(map), Upsample(map, x));
    }

    /// <summary>The feature node whose maps are averaged, and the dense layer after the averaging (null when there is none).</summary>
    internal static (string Feature, string? Dense) Structure(InferredGraph graph, ModelOutput output)
    {
        var node = graph[output.ScorePath];
        string? dense = null;
        node = Skip(graph, node);
        if (node.Node.Layer is Dense)
        {
            dense = node.Path;
            node = Skip(graph, graph[node.Node.Inputs[0]]);
        }
        if (node.Node.Layer is not GlobalPool { Function: PoolKind.Average })
            throw new GraphException(new GraphError(node.Path, node.Node.Layer.Kind,
                $"CAM needs a network whose class scores are a linear function of globally averaged feature maps; before its output '{output.OutputPath}' this graph has a {node.Node.Layer.Kind} node, not global average pooling",
                "use Grad-CAM (GradCam.Map), which works on any convolutional node"));
        var feature = graph[node.Node.Inputs[0]];
        if (feature.OutputShape.Rank != 3)
            throw new GraphException(new GraphError(feature.Path, feature.Node.Layer.Kind,
                $"CAM draws 2-D maps; the averaged node gives {feature.OutputShape}"));
        return (feature.Path, dense);
    }

    // Flatten, dropout and a softmax leave the CAM's linear structure as it is.
    private static InferredNode Skip(InferredGraph graph, InferredNode node)
    {
        while (node.Node.Layer is Flatten or Dropout or Softmax && node.Node.Inputs.Count == 1) node = graph[node.Node.Inputs[0]];
        return node;
    }

    internal static Tensor Weight(GraphModule module, string path) =>
        module[path].named_parameters().First(p => p.name == "weight").parameter;

    /// <summary>A 2-D map [h, w] resized bilinearly to the input's H × W (Zhou et al.: "upsampling the CAM to the size of the input image").</summary>
    internal static PixelMap Upsample(Tensor map, Tensor input)
    {
        using var scope = NewDisposeScope();
        var size = new[] { input.shape[^2], input.shape[^1] };
        var resized = nn.functional.interpolate(map.detach().reshape(1, 1, map.shape[0], map.shape[1]), size, mode: InterpolationMode.Bilinear, align_corners: false);
        return PixelMap.FromTensor(resized[0, 0]);
    }
}
