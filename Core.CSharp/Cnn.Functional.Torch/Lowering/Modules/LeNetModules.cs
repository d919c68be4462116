using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Cnn.Functional.Torch;

/// <summary>
/// <see cref="PartialConv"/>, LeNet-5's C3 (LeCun et al., 1998, Table I): filter f reads only the input channels of
/// row f of the connection table. <c>[N, C, *S] → [N, F, *S']</c>. The weight is stored packed, one kernel per
/// connection, row by row: [Σ|row|, *K] (<see cref="StateDictLayout"/>); the forward pass scatters it into a full
/// [F, C, *K] kernel whose unconnected (f, c) pairs stay zero, so they neither affect the output nor get a
/// gradient. Filter f's kernels and bias are drawn from U[−1/√n, 1/√n] with its own fan-in n = |row f|·ΠK.
/// </summary>
internal sealed class PartialConvModule : NodeModule
{
    private readonly Parameter weight;
    private readonly Parameter? bias;
    private readonly long[] slots;
    private readonly WindowPadding window;
    private readonly long[] kernel, stride;
    private readonly long filters, channels;

    public PartialConvModule(string name, InferredNode node, PartialConv conv) : base(name)
    {
        var input = node.InputShapes[0];
        var g = WindowGeometry.For(node.Path, conv.Kind, input, conv.Kernel, conv.Stride, 1, conv.Padding, Rounding.Exact, pooling: false);
        kernel = g.Kernel.Longs();
        stride = g.Stride.Longs();
        window = new WindowPadding(this, node.InputShapes[0], g, PaddingMode.Zeros);
        filters = conv.Connections.Count;
        channels = input.Channels;
        var rows = conv.Connections.Items;
        var rowBounds = rows.Select(row => 1 / Math.Sqrt(row.Count * kernel.Product())).ToArray();
        // Packed entry j is connection (f, c); its place in the full kernel viewed as [F·C, ΠK] is f·C + c.
        var connections = rows.SelectMany((row, f) => row.Items.Select(c => (Filter: f, Channel: c))).ToArray();
        slots = connections.Select(x => x.Filter * channels + x.Channel).ToArray();
        using var bounds = tensor(connections.Select(x => rowBounds[x.Filter]).ToArray(), dtype: ScalarType.Float32);
        weight = Uniform("weight", [connections.Length, .. kernel], 1);
        using (no_grad()) weight.mul_(bounds.reshape([connections.Length, .. kernel.Select(_ => 1L)]));
        if (conv.Bias)
        {
            using var biasBounds = tensor(rowBounds, dtype: ScalarType.Float32);
            bias = Uniform("bias", [filters], 1);
            using (no_grad()) bias.mul_(biasBounds);
        }
    }

    public override Tensor Forward(IReadOnlyList<Tensor> inputs)
    {
        using var scope = NewDisposeScope();
        var taps = kernel.Product();
        var index = tensor(slots, device: weight.device);
        var full = zeros([filters * channels, taps], dtype: weight.dtype, device: weight.device)
            .index_copy(0, index, weight.reshape(slots.Length, taps))
            .reshape([filters, channels, .. kernel]);
        var ones = kernel.Select(_ => 1L).ToArray();
        return ConvModule.Convolve(inputs[0], full, bias, window, stride, ones, 1).MoveToOuterDisposeScope();
    }
}

/// <summary>
/// <see cref="Subsampling"/>, LeNet-5's S2 and S4 (LeCun et al., 1998): each unit sums its window of one channel,
/// multiplies by that channel's coefficient and adds its bias, y = w_c·Σ_window x + b_c.
/// <c>[N, C, *S] → [N, C, *S']</c>; weight [C], bias [C], both U[−1/√n, 1/√n] with n = the window size (a
/// unit's fan-in). The sum is libtorch's average pooling times the window size.
/// </summary>
internal sealed class SubsamplingModule : NodeModule
{
    private readonly Parameter weight, bias;
    private readonly long[] window, stride;

    public SubsamplingModule(string name, InferredNode node, Subsampling layer) : base(name)
    {
        var input = node.InputShapes[0];
        var g = WindowGeometry.For(node.Path, layer.Kind, input, layer.Window, layer.Stride, 1, Padding.Valid, Rounding.Exact, pooling: true);
        window = g.Kernel.Longs();
        stride = g.Stride.Longs();
        var bound = 1 / Math.Sqrt(window.Product());
        weight = Uniform("weight", [input.Channels], bound);
        bias = Uniform("bias", [input.Channels], bound);
    }

    public override Tensor Forward(IReadOnlyList<Tensor> inputs)
    {
        using var scope = NewDisposeScope();
        var x = inputs[0];
        var average = window.Length switch
        {
            1 => F.avg_pool1d(x, window[0], stride[0]),
            2 => F.avg_pool2d(x, window, stride),
            _ => F.avg_pool3d(x, window, stride),
        };
        var shape = Sizes.PerChannel(weight.shape[0], x.dim());
        return (average * window.Product() * weight.reshape(shape) + bias.reshape(shape)).MoveToOuterDisposeScope();
    }
}

/// <summary>
/// <see cref="RbfOutput"/>, LeNet-5's Euclidean RBF units (LeCun et al., 1998, eq. 7): yᵢ = Σⱼ (xⱼ − wᵢⱼ)², the
/// squared distance of the input to a fixed prototype per unit. <c>[N, I] → [N, U]</c>; prototypes [U, I] are a
/// buffer, not learned. LeCun drew them as stylised 7×12 bitmaps of the characters with values ±1; lacking those for
/// any U and I, each entry is +1 or −1 from a fixed SplitMix64 stream (seed <see cref="Seed"/>), so every lowering
/// of the same layer gets the same prototypes whatever the global seed. Load other prototypes through the state
/// dict. Computed as ‖x‖² − 2·x·wᵢ + ‖wᵢ‖², which needs no [N, U, I] intermediate, clamped at 0 against rounding.
/// </summary>
internal sealed class RbfOutputModule : NodeModule
{
    /// <summary>The seed of the prototypes' ±1 stream.</summary>
    public const ulong Seed = 1998;

    private readonly Tensor prototypes;

    public RbfOutputModule(string name, int inputs, RbfOutput layer) : base(name)
    {
        var values = new float[(long)layer.Units * inputs];
        var state = Seed;
        for (var i = 0; i < values.Length; i++) values[i] = (SplitMix64(ref state) & 1) == 0 ? -1f : 1f;
        prototypes = Buffer("prototypes", tensor(values, [layer.Units, inputs]));
    }

    public override Tensor Forward(IReadOnlyList<Tensor> inputs)
    {
        using var scope = NewDisposeScope();
        var x = inputs[0];
        var distance = x.square().sum(1, keepdim: true) - 2 * x.matmul(prototypes.t()) + prototypes.square().sum(1);
        return distance.clamp_min(0).MoveToOuterDisposeScope();
    }

    // Steele, Lea & Flood (2014): a small generator whose stream is fixed by its seed on every platform.
    private static ulong SplitMix64(ref ulong state)
    {
        var z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
