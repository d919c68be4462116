namespace Cnn.Functional;

/// <summary>One tensor a lowered graph will hold: its state-dict name, shape, and whether it is learned (a parameter) or kept (a buffer).</summary>
public sealed record TensorSpec(string Name, EquatableArray<int> Shape, bool Learnable)
{
    public long Elements => Shape.Aggregate(1L, (n, d) => checked(n * d));

    public override string ToString() => $"{Name} [{string.Join(", ", Shape.Items)}]{(Learnable ? "" : " (buffer)")}";
}

/// <summary>
/// The state dict a graph lowers to, decided here so that it is a property of the graph, not of the lowering:
/// a node's path with '/' replaced by '.' is its module name (<c>layer1/0/conv1</c> → <c>layer1.0.conv1</c>), and
/// its tensors follow PyTorch's names and layouts (<c>weight</c> [F, C/G, *K], <c>bias</c>, <c>running_mean</c>, …).
/// Zoo models name their nodes so that this layout equals torchvision's, which lets trained weights be
/// copied across one-to-one. The learned elements add up to the summary's parameter count.
/// </summary>
public static class StateDictLayout
{
    /// <summary>The module name of a node: its path with '/' replaced by '.'.</summary>
    public static string ModuleName(string path) => path.Replace('/', '.');

    /// <summary>Every tensor of the lowered graph, in node order.</summary>
    public static IReadOnlyList<TensorSpec> Of(InferredGraph graph) => graph.Nodes.SelectMany(Of).ToList();

    /// <summary>The tensors of one node.</summary>
    public static IReadOnlyList<TensorSpec> Of(InferredNode node)
    {
        var module = ModuleName(node.Path);
        var input = node.InputShapes.Count > 0 ? node.InputShapes[0] : node.OutputShape;
        var output = node.OutputShape;
        var list = new List<TensorSpec>();
        void Param(string name, params int[] shape) => list.Add(new TensorSpec($"{module}.{name}", shape.ToEquatableArray(), true));
        void Buffer(string name, params int[] shape) => list.Add(new TensorSpec($"{module}.{name}", shape.ToEquatableArray(), false));
        int[] Kernel(Size size) => size.IsUniform ? Enumerable.Repeat(size.Values[0], input.SpatialRank).ToArray() : size.Values.Items.ToArray();
        void Norm(int channels, bool affine, bool running)
        {
            if (affine) { Param("weight", channels); Param("bias", channels); }
            if (running) { Buffer("running_mean", channels); Buffer("running_var", channels); Buffer("num_batches_tracked"); }
        }

        switch (node.Node.Layer)
        {
            case Conv c:
                Param("weight", [c.Filters, input.Channels / c.Groups, .. Kernel(c.Kernel)]);
                if (c.Bias) Param("bias", c.Filters);
                break;
            case BinaryConv c:
                Param("weight", [c.Filters, input.Channels / c.Groups, .. Kernel(c.Kernel)]);
                if (c.Bias) Param("bias", c.Filters);
                break;
            case DiracConv c:
                Param("weight", [c.Filters, input.Channels, .. Kernel(c.Kernel)]);
                if (c.Bias) Param("bias", c.Filters);
                Param("alpha", c.Filters);
                Param("beta", c.Filters);
                break;
            case ConvTranspose c:
                // PyTorch stores a transposed convolution's weight as [C, F/G, *K].
                Param("weight", [input.Channels, c.Filters / c.Groups, .. Kernel(c.Kernel)]);
                if (c.Bias) Param("bias", c.Filters);
                break;
            case CoordConv c:
                Param("weight", [c.Filters, input.Channels + c.CoordinateChannels(input.SpatialRank), .. Kernel(c.Kernel)]);
                if (c.Bias) Param("bias", c.Filters);
                break;
            case DeformableConv c:
                var k = Kernel(c.Kernel);
                var offsets = 2 * c.OffsetGroups * k.Aggregate(1, (a, b) => a * b);
                Param("offset.weight", [offsets, input.Channels, .. k]);
                Param("offset.bias", offsets);
                Param("weight", [c.Filters, input.Channels / c.Groups, .. k]);
                if (c.Bias) Param("bias", c.Filters);
                break;
            case DepthwiseSeparableConv c:
                var depth = input.Channels * c.DepthMultiplier;
                Param("depthwise.weight", [depth, 1, .. Kernel(c.Kernel)]);
                Param("pointwise.weight", [c.Filters, depth, .. Enumerable.Repeat(1, input.SpatialRank)]);
                if (c.Bias) Param("pointwise.bias", c.Filters);
                break;
            case SpatiallySeparableConv c:
                var factors = Kernel(c.Kernel);
                for (var i = 0; i < factors.Length; i++)
                    Param($"factor{i + 1}.weight", [c.Filters, i == 0 ? input.Channels : 1, .. factors.Select((f, j) => j == i ? f : 1)]);
                if (c.Bias) Param("bias", c.Filters);
                break;
            case LocallyConnected c:
                // One filter bank per output position: [*S', F, C, *K].
                Param("weight", [.. output.Spatial, c.Filters, input.Channels, .. Kernel(c.Kernel)]);
                if (c.Bias) Param("bias", [.. output.Spatial, c.Filters]);
                break;
            case PartialConv c:
                // Only the table's connections are stored, packed row by row: [Σ|row|, *K].
                Param("weight", [c.Connections.Sum(r => r.Count), .. Kernel(c.Kernel)]);
                if (c.Bias) Param("bias", c.Connections.Count);
                break;
            case Subsampling:
                Param("weight", input.Channels);
                Param("bias", input.Channels);
                break;
            case RbfOutput r:
                Buffer("prototypes", r.Units, input.Channels);
                break;
            case Dense d:
                Param("weight", d.Units, input.Channels);
                if (d.Bias) Param("bias", d.Units);
                break;
            case BinaryDense d:
                Param("weight", d.Units, input.Channels);
                if (d.Bias) Param("bias", d.Units);
                break;
            case Activation { Function: ActivationFunction.PRelu }:
                Param("weight", input.Channels);
                break;
            case BatchNorm b:
                Norm(input.Channels, b.Affine, running: true);
                break;
            case InstanceNorm n:
                Norm(input.Channels, n.Affine, n.TrackRunningStats);
                break;
            case GroupNorm n:
                Norm(input.Channels, n.Affine, running: false);
                break;
            case LayerNorm n when n.Affine:
                Param("weight", input.Dims.Items.ToArray());
                Param("bias", input.Dims.Items.ToArray());
                break;
            case WeightedSum:
                Param("weight", node.InputShapes.Count);
                break;
        }
        return list;
    }
}
