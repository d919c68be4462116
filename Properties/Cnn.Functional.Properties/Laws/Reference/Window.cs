namespace Cnn.Functional.Properties;

/// <summary>
/// The sliding window of a layer on an input, per spatial dimension, recomputed here from the lecture's formulas (not
/// taken from the library, whose lowering the laws check): kernel F, dilated extent D(F − 1) + 1, stride S, dilation D,
/// the padding before and after, and how padding is filled. Explicit padding P is on both sides; 'same' padding
/// (TensorFlow's) makes the output ⌈W/S⌉ with total padding max((O − 1)·S + extent − W, 0), the odd one at the end.
/// </summary>
internal sealed record Window(int[] Kernel, int[] Extent, int[] Stride, int[] Dilation, int[] PadBefore, int[] PadAfter, PaddingMode Mode)
{
    public int Rank => Kernel.Length;

    /// <summary>Whether any side of any dimension is padded.</summary>
    public bool Pads => PadBefore.Any(p => p > 0) || PadAfter.Any(p => p > 0);

    /// <summary>Output positions along <paramref name="axis"/> for input extent <paramref name="input"/> (floor rounding).</summary>
    public int Output(int axis, int input) => (input + PadBefore[axis] + PadAfter[axis] - Extent[axis]) / Stride[axis] + 1;

    /// <summary>The window of <paramref name="layer"/> on <paramref name="input"/>, or null for a layer without one.</summary>
    public static Window? Of(Layer layer, Shape input)
    {
        if (input.IsFlat) return null;
        return layer switch
        {
            Conv c => Make(input, c.Kernel, c.Stride, c.Dilation, c.Padding, c.PaddingMode),
            BinaryConv c => Make(input, c.Kernel, c.Stride, 1, c.Padding),
            DiracConv c => Make(input, c.Kernel, 1, c.Dilation, c.Padding),
            PartialConv c => Make(input, c.Kernel, c.Stride, 1, c.Padding),
            SpatiallySeparableConv c => Make(input, c.Kernel, c.Stride, 1, c.Padding),
            DepthwiseSeparableConv c => Make(input, c.Kernel, c.Stride, c.Dilation, c.Padding),
            LocallyConnected c => Make(input, c.Kernel, c.Stride, 1, c.Padding),
            DeformableConv c => Make(input, c.Kernel, c.Stride, c.Dilation, c.Padding),
            CoordConv c => Make(input, c.Kernel, c.Stride, c.Dilation, c.Padding),
            Pool p => Make(input, p.Window, p.Stride, 1, p.Padding),
            Subsampling s => Make(input, s.Window, s.Stride, 1, Padding.Valid),
            // Adaptive pooling has equal, non-overlapping windows only when each output divides its input.
            AdaptivePool a when Resolve(a.Output, input.SpatialRank) is { } o && input.Spatial.Select((s, i) => s % o[i] == 0).All(x => x) =>
                Make(input, Size.Of(input.Spatial.Select((s, i) => s / o[i]).ToArray()), Size.Of(input.Spatial.Select((s, i) => s / o[i]).ToArray()), 1, Padding.Valid),
            _ => null,
        };
    }

    private static Window Make(Shape input, Size kernel, Size stride, Size dilation, Padding padding, PaddingMode mode = PaddingMode.Zeros)
    {
        var rank = input.SpatialRank;
        var k = Resolve(kernel, rank)!;
        var s = Resolve(stride, rank)!;
        var d = Resolve(dilation, rank)!;
        var extent = k.Select((x, i) => d[i] * (x - 1) + 1).ToArray();
        int[] before, after;
        if (padding.Kind == PaddingKind.Same)
        {
            var total = input.Spatial.Select((w, i) => Math.Max(((w + s[i] - 1) / s[i] - 1) * s[i] + extent[i] - w, 0)).ToArray();
            before = total.Select(t => t / 2).ToArray();
            after = total.Select((t, i) => t - before[i]).ToArray();
        }
        else
        {
            before = Resolve(padding.Amount, rank)!;
            after = before;
        }
        return new Window(k, extent, s, d, before, after, mode);
    }

    /// <summary>One value per dimension: a uniform size repeated, else its values (null when the count is wrong).</summary>
    public static int[]? Resolve(Size size, int rank) =>
        size.Values.Count == 1 ? Enumerable.Repeat(size.Values[0], rank).ToArray()
        : size.Values.Count == rank ? size.Values.Items.ToArray() : null;

    /// <summary>The input positions [first, last] that output <paramref name="o"/> reads along <paramref name="axis"/> (padding included: may lie outside the input).</summary>
    public (int First, int Last) Reads(int axis, int o) => (o * Stride[axis] - PadBefore[axis], o * Stride[axis] - PadBefore[axis] + Extent[axis] - 1);
}
