using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Cnn.Functional.Torch;

/// <summary>
/// <see cref="CoordConv"/> (Liu et al., 2018): the input with coordinate channels appended, then a convolution,
/// <c>[N, C, *S] → [N, C + d (+1), *S] → [N, F, *S']</c>. Channel C + i holds the coordinate along spatial
/// dimension i (H before W), <c>linspace(−1, 1, Sᵢ)</c> — 0, the centre, when Sᵢ = 1, where the authors' formula
/// 2i/(S − 1) − 1 divides by zero. With radius, the last channel holds the distance from the centre of the
/// map, √(Σᵢ cᵢ²). (The authors' AddCoords computes √((x − ½)² + (y − ½)²) on the [−1, 1] coordinates, an
/// off-centre distance usually taken for a slip; the layer's contract is the distance from the centre.)
/// The coordinates are zero-padded with the input. weight [F, C + d (+1), *K], bias [F], both U[−1/√n, 1/√n]
/// with n = (C + d (+1))·ΠK.
/// </summary>
internal sealed class CoordConvModule : NodeModule
{
    private readonly Parameter weight;
    private readonly Parameter? bias;
    private readonly WindowPadding window;
    private readonly long[] stride, dilation;
    private readonly bool radius;

    public CoordConvModule(string name, InferredNode node, CoordConv conv) : base(name)
    {
        var input = node.InputShapes[0];
        var g = WindowGeometry.For(node.Path, conv.Kind, input, conv.Kernel, conv.Stride, conv.Dilation, conv.Padding, conv.Rounding, pooling: false);
        var channels = input.Channels + conv.CoordinateChannels(input.SpatialRank);
        var fanIn = (long)(channels * g.Kernel.Longs().Product());
        weight = FanInWeight([conv.Filters, channels, .. g.Kernel.Longs()], fanIn);
        bias = FanInBias(conv.Bias, conv.Filters, fanIn);
        window = new WindowPadding(this, node.InputShapes[0], g, PaddingMode.Zeros);
        stride = g.Stride.Longs();
        dilation = g.Dilation.Longs();
        radius = conv.WithRadius;
    }

    public override Tensor Forward(IReadOnlyList<Tensor> inputs)
    {
        using var scope = NewDisposeScope();
        var x = inputs[0];
        var coordinates = Coordinates(x.shape.Skip(2).ToArray(), radius, x.dtype, x.device);
        var augmented = cat([x, coordinates.expand([x.shape[0], .. coordinates.shape.Skip(1)])], 1);
        return ConvModule.Convolve(augmented, weight, bias, window, stride, dilation, 1).MoveToOuterDisposeScope();
    }

    /// <summary>The coordinate channels [1, d (+1), *S] of a map of spatial size <paramref name="spatial"/>.</summary>
    internal static Tensor Coordinates(long[] spatial, bool withRadius, ScalarType type, Device device)
    {
        using var scope = NewDisposeScope();
        var rank = spatial.Length;
        var channels = new List<Tensor>();
        for (var i = 0; i < rank; i++)
        {
            var axis = spatial[i] == 1 ? zeros(1, dtype: type, device: device) : linspace(-1, 1, spatial[i], dtype: type, device: device);
            var shape = Enumerable.Range(0, rank).Select(j => j == i ? spatial[i] : 1L).ToArray();
            channels.Add(axis.reshape(shape).expand(spatial));
        }
        if (withRadius) channels.Add(channels.Select(c => c.square()).Aggregate((a, b) => a + b).sqrt());
        return stack(channels.ToArray()).unsqueeze(0).MoveToOuterDisposeScope();
    }
}
