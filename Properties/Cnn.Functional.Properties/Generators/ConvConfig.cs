using PaddingValue = Cnn.Functional.Padding;

namespace Cnn.Functional.Properties;

/// <summary>
/// A convolution configuration as plain numbers, one entry per spatial dimension: input extent W, kernel F,
/// stride S, padding P (both sides) and dilation D, plus channels C, filters F and groups G. It describes
/// the lecture's <c>O = (W − D(F − 1) − 1 + 2P)/S + 1</c> problem without saying whether it is valid: see
/// <see cref="Defects"/> and the generators in <see cref="ConvConfigGenerators"/>.
/// </summary>
/// <param name="Input">The input's spatial extents W (1 to 3 entries).</param>
/// <param name="Channels">Input channels C.</param>
/// <param name="Filters">Output channels (filters).</param>
/// <param name="Groups">Groups G: each group sees C/G channels and makes F/G filters.</param>
/// <param name="Kernel">Kernel size per dimension.</param>
/// <param name="Stride">Stride per dimension.</param>
/// <param name="Padding">Explicit padding per dimension, on both sides.</param>
/// <param name="Dilation">Dilation per dimension.</param>
public sealed record ConvConfig(
    EquatableArray<int> Input,
    int Channels,
    int Filters,
    int Groups,
    EquatableArray<int> Kernel,
    EquatableArray<int> Stride,
    EquatableArray<int> Padding,
    EquatableArray<int> Dilation)
{
    /// <summary>The path of the convolution in the graphs built by <see cref="ToGraph"/>.</summary>
    public const string LayerPath = "features/conv";

    /// <summary>The number of spatial dimensions.</summary>
    public int Rank => Input.Count;

    /// <summary>The input shape <c>[C, *W]</c>.</summary>
    public Shape InputShape => Shape.Of([Channels, .. Input]);

    /// <summary>The convolution with explicit padding and the given rounding.</summary>
    public Layer ToConv(Rounding rounding = Rounding.Exact, bool bias = true) =>
        Layers.Conv(Filters, SizeOf(Kernel), SizeOf(Stride), new PaddingValue(PaddingKind.Explicit, SizeOf(Padding)), SizeOf(Dilation), Groups, bias, rounding);

    /// <summary>The same convolution with 'same' padding (the configuration's padding is ignored).</summary>
    public Layer ToSameConv(bool bias = true) =>
        Layers.Conv(Filters, SizeOf(Kernel), SizeOf(Stride), PaddingValue.Same, SizeOf(Dilation), Groups, bias);

    /// <summary>The transposed convolution with the same kernel, stride, padding, dilation and groups, mapping F channels back to C.</summary>
    public Layer ToConvTranspose(bool bias = true) =>
        Layers.ConvTranspose(Channels, SizeOf(Kernel), SizeOf(Stride), SizeOf(Padding), 0, SizeOf(Dilation), Groups, bias);

    /// <summary>A graph with this configuration's input and <paramref name="layer"/> at <paramref name="path"/>.</summary>
    public Graph ToGraph(Layer layer, string path = LayerPath) => Graph.Create("conv-config", InputShape).Then(path, layer);

    /// <summary>
    /// True when every count is positive, every array has <see cref="Rank"/> (1 to 3) entries, kernels and
    /// dilations are at least 1 and G divides F: the parts of a configuration no generator here breaks.
    /// </summary>
    public bool IsWellFormed =>
        Rank is >= 1 and <= 3 && Kernel.Count == Rank && Stride.Count == Rank && Padding.Count == Rank && Dilation.Count == Rank &&
        Channels >= 1 && Filters >= 1 && Groups >= 1 && Filters % Groups == 0 &&
        Input.All(w => w >= 1) && Kernel.All(k => k >= 1) && Dilation.All(d => d >= 1);

    /// <summary>
    /// What is wrong with this configuration for an exact-rounding convolution (empty when it is valid).
    /// A dimension with a non-positive stride or negative padding is not checked further.
    /// </summary>
    public IReadOnlyList<ConvDefect> Defects()
    {
        var defects = new SortedSet<ConvDefect>();
        for (var i = 0; i < Rank; i++)
        {
            if (Stride[i] < 1) defects.Add(ConvDefect.NonPositiveStride);
            if (Padding[i] < 0) defects.Add(ConvDefect.NegativePadding);
            if (Stride[i] < 1 || Padding[i] < 0) continue;
            var numerator = Input[i] + 2L * Padding[i] - ((long)Dilation[i] * (Kernel[i] - 1) + 1);
            if (numerator < 0) defects.Add(ConvDefect.KernelLargerThanInput);
            else if (numerator % Stride[i] != 0) defects.Add(ConvDefect.NonTilingStride);
        }
        if (Groups >= 1 && Channels % Groups != 0) defects.Add(ConvDefect.GroupsNotDividingChannels);
        return defects.ToList();
    }

    /// <summary>One number when every dimension agrees (a uniform <see cref="Size"/>), else one per dimension.</summary>
    private static Size SizeOf(EquatableArray<int> values) =>
        values.Count > 0 && values.All(v => v == values[0]) ? Size.All(values[0]) : Size.Of(values.Items.ToArray());

    public override string ToString() =>
        $"input [{Channels}, {Text(Input)}], filters {Filters}, groups {Groups}, kernel {Text(Kernel)}, stride {Text(Stride)}, padding {Text(Padding)}, dilation {Text(Dilation)}";

    private static string Text(EquatableArray<int> values) => string.Join("×", values.Items);
}

/// <summary>What makes a convolution configuration invalid (each generated by <see cref="ConvConfigGenerators.Invalid(ConvDefect)"/>).</summary>
public enum ConvDefect
{
    /// <summary>(W − D(F − 1) − 1 + 2P)/S + 1 is not an integer: the stride does not tile the input.</summary>
    NonTilingStride,

    /// <summary>A stride of zero or less.</summary>
    NonPositiveStride,

    /// <summary>A negative padding.</summary>
    NegativePadding,

    /// <summary>The dilated kernel D(F − 1) + 1 is larger than the padded input W + 2P.</summary>
    KernelLargerThanInput,

    /// <summary>The groups do not divide the input channels.</summary>
    GroupsNotDividingChannels,
}

/// <summary>A configuration whose kernel fits the padded input but whose stride need not tile it: valid with <see cref="Rounding.Floor"/>.</summary>
public sealed record FloorConvConfig(ConvConfig Config)
{
    public override string ToString() => Config.ToString();
}

/// <summary>A configuration for 'same' padding: any kernel and dilation (even larger than the input), positive strides; its padding is zero and unused.</summary>
public sealed record SameConvConfig(ConvConfig Config)
{
    public override string ToString() => Config.ToString();
}

/// <summary>A configuration with values up to <c>int.MaxValue</c>, valid or not: sizes and counts may overflow.</summary>
public sealed record ExtremeConvConfig(ConvConfig Config)
{
    public override string ToString() => Config.ToString();
}

/// <summary>A configuration with exactly one <paramref name="Defect"/>; everything else about it is valid.</summary>
public sealed record InvalidConvConfig(ConvConfig Config, ConvDefect Defect)
{
    public override string ToString() => $"{Defect}: {Config}";
}
