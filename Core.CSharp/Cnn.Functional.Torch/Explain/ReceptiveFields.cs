using static TorchSharp.torch;

namespace Cnn.Functional.Torch;

/// <summary>One node's receptive field size and jump (first spatial dimension), for drawing how fields grow with depth.</summary>
public sealed record FieldSize(string Path, string Kind, double Size, double Jump);

/// <summary>
/// Receptive fields as places in the input: which pixels a unit sees (to outline it over an image), the size of every
/// node's field in order (three 3×3 convolutions grow it linearly, 3 → 5 → 7; dilations 1, 2, 4 exponentially,
/// 3 → 7 → 15: Yu &amp; Koltun 2016, Fig. 1), and the measured field, the pixels whose gradient reaches the unit.
/// </summary>
/// <remarks>
/// Placement uses the recurrence of Araujo, Norris &amp; Sim (2019, "Computing Receptive Fields of Convolutional Neural
/// Networks", eq. 1–3) with a start offset: if unit u of a layer's input sees pixels a·u + b … a·u + b + r − 1, unit o
/// of a window layer (effective kernel k, stride s, leading padding p) sees a' = a·s, b' = b − a·p, r' = r + a·(k − 1).
/// The leading padding is read off the shapes, p = ⌈((m − 1)·s + k − n) / 2⌉ for input size n and output size m —
/// symmetric padding as PyTorch applies it — so any window layer is placed without knowing its kind.
/// </remarks>
public static class ReceptiveFields
{
    /// <summary>
    /// The input pixels that unit (<paramref name="row"/>, <paramref name="column"/>) of the node at <paramref name="path"/>
    /// sees. It may reach past the image where the node's layers pad (use <see cref="Region.Clip"/>); a node after
    /// global pooling, flattening or a dense layer sees the whole image, as does one after a transposed convolution.
    /// </summary>
    /// <exception cref="GraphException">No node has that path, or the graph's input is not an image [C, H, W].</exception>
    /// <exception cref="ArgumentOutOfRangeException">The position is outside the node's map.</exception>
    public static Region Of(InferredGraph graph, string path, int row, int column)
    {
        var input = graph.Nodes.FirstOrDefault(n => n.Node.Layer is Input)
            ?? throw new GraphException(new GraphError(graph.Graph.Name, "graph", "the graph has no input"));
        if (input.OutputShape.Rank != 3)
            throw new GraphException(new GraphError(input.Path, "input", $"receptive fields are placed on images [C, H, W]; the input is {input.OutputShape}"));
        var node = graph.Nodes.FirstOrDefault(n => n.Path == path)
            ?? throw new GraphException(new GraphError(path, "node", $"no node has the path '{path}' in graph '{graph.Graph.Name}'"));
        var (height, width) = (input.OutputShape.Dims[1], input.OutputShape.Dims[2]);
        var placed = Place(graph);
        var field = placed[path];
        if (field is null || node.OutputShape.Rank != 3) return new Region(0, 0, height, width);
        var (rows, columns) = (node.OutputShape.Dims[1], node.OutputShape.Dims[2]);
        if (row < 0 || row >= rows) throw new ArgumentOutOfRangeException(nameof(row), row, $"'{path}' has rows 0 to {rows - 1}");
        if (column < 0 || column >= columns) throw new ArgumentOutOfRangeException(nameof(column), column, $"'{path}' has columns 0 to {columns - 1}");
        return new Region(field.Start[0] + row * field.Jump[0], field.Start[1] + column * field.Jump[1], field.Size[0], field.Size[1]);
    }

    /// <summary>Every node's receptive field size and jump along the first spatial dimension, in topological order (from the summary's recurrence).</summary>
    public static EquatableArray<FieldSize> Growth(Graph graph) =>
        ModelSummary.Of(graph).Nodes
            .Where(n => n.ReceptiveField.Size.Count > 0)
            .Select(n => new FieldSize(n.Path, n.Kind, n.ReceptiveField.Size[0], n.ReceptiveField.Jump[0]))
            .ToEquatableArray();

    /// <summary>
    /// The measured field of one unit: |∂ unit / ∂ input| summed over channels, for <paramref name="image"/> (default:
    /// an image of ones, so that ReLUs pass). Pixels outside the computed field always get 0; inside, a zero means the
    /// unit ignored that pixel for this image (a ReLU was off, a max-pool chose another). Evaluation mode.
    /// </summary>
    /// <exception cref="GraphException">No node has that path.</exception>
    /// <exception cref="ArgumentException">The position is outside the node's map, or the image does not fit.</exception>
    public static PixelMap Measure(GraphModule module, string path, int channel, int row, int column, Tensor? image = null)
    {
        var node = ExplainInput.Node(module, path, "receptive field");
        var shape = ExplainInput.InputNode(module, "receptive field").OutputShape;
        if (shape.Rank != 3) throw new ArgumentException($"receptive fields are measured on images [C, H, W]; the input is {shape}", nameof(image));
        var dims = node.OutputShape.Dims;
        if (channel < 0 || channel >= dims[0]) throw new ArgumentOutOfRangeException(nameof(channel), channel, $"'{path}' has channels 0 to {dims[0] - 1}");
        using var mode = ExplainInput.Evaluating(module);
        using var scope = NewDisposeScope();
        var x = (image is null ? ones([1, .. shape.Dims.Items.Select(d => (long)d)], device: ExplainInput.DeviceOf(module)) : ExplainInput.One(module, image, "receptive field"))
            .requires_grad_();
        var value = module.Run(x, [path])[path][0];
        Tensor unit;
        if (node.OutputShape.Rank == 3)
        {
            if (row < 0 || row >= dims[1] || column < 0 || column >= dims[2])
                throw new ArgumentOutOfRangeException(nameof(row), $"({row}, {column}) is outside '{path}', which is {dims[1]}×{dims[2]}");
            unit = value[channel, row, column];
        }
        else unit = value[channel];
        var gradient = autograd.grad([unit], [x])[0];
        return PixelMap.FromTensor(gradient[0].abs().sum([0L]));
    }

    /// <summary>Per spatial dimension: pixel start of unit 0, jump between units, and size.</summary>
    private sealed record Placement(int[] Start, int[] Jump, int[] Size);

    // A null placement means "the whole image": global maps, or upsampling, whose fractional jumps are not placed.
    private static Dictionary<string, Placement?> Place(InferredGraph graph)
    {
        var placed = new Dictionary<string, Placement?>(StringComparer.Ordinal);
        foreach (var node in graph.Nodes)
        {
            if (node.Node.Layer is Input)
            {
                placed[node.Path] = new Placement([0, 0], [1, 1], [1, 1]);
                continue;
            }
            var inputs = node.Node.Inputs.Select(p => placed[p]).ToList();
            if (inputs.Count == 0 || inputs.Any(p => p is null) || node.OutputShape.Rank != 3 || node.InputShapes.Any(s => s.Rank != 3))
            {
                placed[node.Path] = null;
                continue;
            }
            // Merges cover all their inputs.
            var merged = new Placement(
                [inputs.Min(p => p!.Start[0]), inputs.Min(p => p!.Start[1])],
                [inputs.Max(p => p!.Jump[0]), inputs.Max(p => p!.Jump[1])],
                [0, 0]);
            for (var d = 0; d < 2; d++)
                merged.Size[d] = inputs.Max(p => p!.Start[d] + p.Size[d]) - merged.Start[d];
            placed[node.Path] = node.Info.Map switch
            {
                SpatialMap.IdentityMap => merged,
                SpatialMap.WindowMap w when w.Kernel.Count == 2 => Through(merged, w, node.InputShapes[0].Spatial, node.OutputShape.Spatial),
                _ => null,
            };
        }
        return placed;
    }

    private static Placement Through(Placement field, SpatialMap.WindowMap window, int[] inputSize, int[] outputSize)
    {
        var result = new Placement(new int[2], new int[2], new int[2]);
        for (var d = 0; d < 2; d++)
        {
            var (k, s, n, m) = (window.Kernel[d], window.Stride[d], inputSize[d], outputSize[d]);
            var padding = Math.Max(0, (int)Math.Ceiling(((m - 1) * s + k - n) / 2.0));
            result.Start[d] = field.Start[d] - field.Jump[d] * padding;
            result.Jump[d] = field.Jump[d] * s;
            result.Size[d] = field.Size[d] + field.Jump[d] * (k - 1);
        }
        return result;
    }
}
