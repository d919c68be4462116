using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Cnn.Functional.Torch;

/// <summary>
/// <see cref="Conv"/> in 1, 2 or 3 dimensions: weight [F, C/G, *K], bias [F]. Padding that is symmetric and
/// zero goes to the convolution itself; asymmetric ('same' with an even kernel) or non-zero padding (circular,
/// reflect, replicate) is applied first with <c>pad</c>.
/// </summary>
internal sealed class ConvModule : NodeModule
{
    private readonly Parameter weight;
    private readonly Parameter? bias;
    private readonly WindowPadding window;
    private readonly long[] stride, dilation;
    private readonly long groups;

    public ConvModule(string name, InferredNode node, Conv conv) : base(name)
    {
        var input = node.InputShapes[0];
        var g = WindowGeometry.For(node.Path, conv.Kind, input, conv.Kernel, conv.Stride, conv.Dilation, conv.Padding, conv.Rounding, pooling: false);
        var fanIn = (long)((long)(input.Channels / conv.Groups) * g.Kernel.Longs().Product());
        weight = FanInWeight([conv.Filters, input.Channels / conv.Groups, .. g.Kernel.Longs()], fanIn);
        bias = FanInBias(conv.Bias, conv.Filters, fanIn);
        window = new WindowPadding(this, node.InputShapes[0], g, conv.PaddingMode);
        stride = g.Stride.Longs();
        dilation = g.Dilation.Longs();
        groups = conv.Groups;
    }

    public override Tensor Forward(IReadOnlyList<Tensor> inputs) => Convolve(inputs[0], weight, bias, window, stride, dilation, groups);

    /// <summary>An N-d convolution with the padding of <paramref name="window"/>.</summary>
    internal static Tensor Convolve(Tensor x, Tensor weight, Tensor? bias, WindowPadding window, long[] stride, long[] dilation, long groups)
    {
        using var padded = window.NeedsPad ? window.Pad(x) : null;
        var input = padded ?? x;
        var padding = window.NeedsPad ? new long[stride.Length] : window.Symmetric;
        return ConvNd(input, weight, bias, stride, padding, dilation, groups);
    }

    /// <summary>libtorch's 1-, 2- or 3-d convolution (by the length of <paramref name="stride"/>) with symmetric zero padding.</summary>
    internal static Tensor ConvNd(Tensor x, Tensor weight, Tensor? bias, long[] stride, long[] padding, long[] dilation, long groups) => stride.Length switch
    {
        1 => F.conv1d(x, weight, bias, stride[0], padding[0], dilation[0], groups),
        2 => F.conv2d(x, weight, bias, stride, padding, dilation, groups),
        _ => F.conv3d(x, weight, bias, stride, padding, dilation, groups),
    };

    /// <summary>A convolution without padding, stride or dilation (a 1×1 convolution, or a step of a factored one).</summary>
    internal static Tensor ConvNd(Tensor x, Tensor weight, Tensor? bias, long[] stride, long groups = 1) =>
        ConvNd(x, weight, bias, stride, new long[stride.Length], Enumerable.Repeat(1L, stride.Length).ToArray(), groups);
}

/// <summary>The padding of a window: symmetric zeros are left to the operation; anything else is applied with <c>pad</c>.</summary>
internal sealed class WindowPadding
{
    private readonly long[] before, after;
    private readonly PaddingMode mode;
    private readonly double fill;

    /// <param name="owner">The module that pads: its <see cref="NodeModule.ScratchElementsPerExample"/> learns the size of the padded
    /// input, so that the memory limits see it before a forward pass allocates it ('same' padding of a huge dilated kernel
    /// would otherwise pad a 1-pixel input to 10¹⁸ values inside libtorch — found by fuzzing).</param>
    /// <param name="input">The input of one example.</param>
    /// <param name="g">The window.</param>
    /// <param name="mode">How to pad.</param>
    /// <param name="fill">The constant to pad with.</param>
    /// <param name="padsWhenever">True for an owner that calls <see cref="Pad"/> whenever <see cref="Pads"/> (not only when <see cref="NeedsPad"/>).</param>
    public WindowPadding(NodeModule owner, Shape input, WindowGeometry g, PaddingMode mode, double fill = 0, bool padsWhenever = false)
    {
        before = g.PadBefore.Select(p => (long)p).ToArray();
        after = g.PadAfter.Select(p => (long)p).ToArray();
        this.mode = mode;
        this.fill = fill;
        // Symmetric padding stays with the operation even for max pooling (whose own padding is −∞ already): padding
        // first would count the right padding as input in ceil mode and keep one window too many (shape-inference law).
        NeedsPad = !before.SequenceEqual(after) || (mode != PaddingMode.Zeros && before.Any(p => p > 0));
        if (padsWhenever ? Pads : NeedsPad) owner.ScratchElementsPerExample = Math.Max(owner.ScratchElementsPerExample, PaddedElements(input));
    }

    // C · Π(W + before + after), saturating at long.MaxValue (then no limit admits it).
    private long PaddedElements(Shape input)
    {
        try
        {
            long n = input.Channels;
            for (var i = 0; i < before.Length; i++) n = checked(n * (input.Spatial[i] + before[i] + after[i]));
            return n;
        }
        catch (OverflowException)
        {
            return long.MaxValue;
        }
    }

    public bool NeedsPad { get; }

    /// <summary>Whether the window pads at all (on either side, in any dimension).</summary>
    public bool Pads => before.Any(p => p > 0) || after.Any(p => p > 0);

    /// <summary>The per-dimension padding when it is symmetric.</summary>
    public long[] Symmetric => before;

    /// <summary>Pads explicitly: pad takes (before, after) pairs from the last dimension backwards.</summary>
    public Tensor Pad(Tensor x)
    {
        var pairs = new long[2 * before.Length];
        for (var i = 0; i < before.Length; i++)
        {
            var dim = before.Length - 1 - i;
            pairs[2 * i] = before[dim];
            pairs[2 * i + 1] = after[dim];
        }
        var torchMode = mode switch
        {
            PaddingMode.Circular => TorchSharp.PaddingModes.Circular,
            PaddingMode.Reflect => TorchSharp.PaddingModes.Reflect,
            PaddingMode.Replicate => TorchSharp.PaddingModes.Replicate,
            _ => TorchSharp.PaddingModes.Constant,
        };
        return F.pad(x, pairs, torchMode, fill);
    }
}
