using static TorchSharp.torch;

namespace Cnn.Functional.Torch;

/// <summary>
/// The 2-D kernels of a convolution, weight [F, C/g, kh, kw]: <c>this[f, c]</c> is filter f's kernel on its input
/// channel c. The first layer's filters are the interpretable ones (the lecture: "first layer is easier to
/// interpret … filters shouldn't look noisy"); deeper ones are drawn as channel grids.
/// </summary>
public sealed record FilterBank(string Path, int Filters, int InputChannels, EquatableArray<PixelMap> Kernels)
{
    public PixelMap this[int filter, int channel] => Kernels[filter * InputChannels + channel];
}

/// <summary>Reads the filters of a convolutional node.</summary>
public static class Filters
{
    /// <summary>
    /// The kernels of the node at <paramref name="path"/> (default "": the first node with a 4-D weight — the first
    /// convolution). Copies; the module is not changed.
    /// </summary>
    /// <exception cref="GraphException">No node has that path, or it has no 2-D convolution kernels.</exception>
    public static FilterBank Of(GraphModule module, string path = "")
    {
        if (path.Length == 0)
            path = module.Graph.Nodes.FirstOrDefault(n => KernelWeight(module, n.Path) is not null)?.Path
                ?? throw new GraphException(new GraphError(module.Graph.Graph.Name, "graph", "no node of this graph has 2-D convolution kernels"));
        var node = ExplainInput.Node(module, path, "filters");
        var weight = KernelWeight(module, path) ?? throw new GraphException(new GraphError(path, node.Node.Layer.Kind,
            $"'{path}' has no 2-D convolution kernels (a 4-D weight [F, C, kh, kw])",
            $"nodes with kernels: {string.Join(", ", module.Graph.Nodes.Where(n => KernelWeight(module, n.Path) is not null).Select(n => n.Path))}"));
        using var scope = NewDisposeScope();
        var (filters, channels) = ((int)weight.shape[0], (int)weight.shape[1]);
        var kernels = new List<PixelMap>(filters * channels);
        for (var f = 0; f < filters; f++)
            for (var c = 0; c < channels; c++)
                kernels.Add(PixelMap.FromTensor(weight[f, c]));
        return new FilterBank(path, filters, channels, kernels.ToEquatableArray());
    }

    private static Tensor? KernelWeight(GraphModule module, string path) =>
        module[path].named_parameters(recurse: false).FirstOrDefault(p => p.name == "weight" && p.parameter.dim() == 4).parameter;
}
