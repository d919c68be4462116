using static TorchSharp.torch;

namespace Cnn.Functional.Torch;

/// <summary>
/// A node's output for one image, one map per channel: [C, H, W] gives C maps of H × W, a sequence [C, L] C maps of
/// 1 × L, a vector [K] one map of 1 × K.
/// </summary>
public sealed record ActivationMaps(string Path, Shape Shape, EquatableArray<PixelMap> Channels)
{
    /// <summary>The fraction of exactly-zero values: the lecture's sparsity check ("activations … should get sparser during training"; all-zero maps for many inputs are dead ReLUs).</summary>
    public double ZeroFraction
    {
        get
        {
            var total = Channels.Sum(c => (long)c.Values.Count);
            return total == 0 ? 0 : (double)Channels.Sum(c => c.Values.Count(v => v == 0)) / total;
        }
    }
}

/// <summary>Activation maps of any node (the lecture's "visualize layer activations").</summary>
public static class Activations
{
    /// <summary>The output of the node at <paramref name="path"/> for one <paramref name="image"/>, in evaluation mode.</summary>
    /// <exception cref="GraphException">No node has that path.</exception>
    /// <exception cref="ArgumentException">The image does not fit the graph.</exception>
    public static ActivationMaps Of(GraphModule module, Tensor image, string path)
    {
        var node = ExplainInput.Node(module, path, "activations");
        using var mode = ExplainInput.Evaluating(module);
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var x = ExplainInput.One(module, image, "activations");
        var value = module.Run(x, [path])[path][0];
        var maps = value.dim() switch
        {
            3 => Enumerable.Range(0, (int)value.shape[0]).Select(c => PixelMap.FromTensor(value[c])),
            2 => Enumerable.Range(0, (int)value.shape[0]).Select(c => PixelMap.FromTensor(value[c].unsqueeze(0))),
            1 => [PixelMap.FromTensor(value.unsqueeze(0))],
            _ => throw new ArgumentException($"activations draws 1-D and 2-D maps; '{path}' gives {node.OutputShape}", nameof(path)),
        };
        return new ActivationMaps(path, node.OutputShape, maps.ToEquatableArray());
    }
}
