using System.Globalization;

namespace Cnn.Functional;

/// <summary>
/// The lecture's size arithmetic, as plain functions (usable from notebooks) and as the checked form that
/// layers use during inference.
/// <list type="bullet">
/// <item>Convolution: O = (W − F + 2P)/S + 1, "if this number is not an integer, your strides are incorrect".</item>
/// <item>Dilated kernel: F' = D(F − 1) + 1 (Yu &amp; Koltun).</item>
/// <item>Transposed convolution: W = (O − 1)·S + F − 2P (+ output padding).</item>
/// </list>
/// </summary>
public static class SizeFormulas
{
    /// <summary>The effective extent of a kernel of size <paramref name="kernel"/> with dilation <paramref name="dilation"/>: D(F − 1) + 1.</summary>
    public static long DilatedKernel(int kernel, int dilation) => (long)dilation * (kernel - 1) + 1;

    /// <summary>(W − F + 2P)/S + 1 as a real number, so a caller can see whether it tiles.</summary>
    public static double ConvOutput(int input, int kernel, int padding, int stride) =>
        (double)(input - kernel + 2L * padding) / stride + 1;

    /// <summary>(O − 1)·S + D(F − 1) + 1 − 2P + output padding: the transposed convolution's output size.</summary>
    public static long TransposedOutput(int input, int kernel, int padding, int stride, int outputPadding = 0, int dilation = 1) =>
        (long)(input - 1) * stride + DilatedKernel(kernel, dilation) - 2L * padding + outputPadding;

    internal static string Number(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
}

/// <summary>
/// A sliding window resolved against an input: per spatial dimension the kernel, its dilated extent, the
/// stride, the padding on each side and the output size.
/// </summary>
internal sealed record WindowGeometry(int[] Kernel, int[] Extent, int[] Stride, int[] Dilation, int[] PadBefore, int[] PadAfter, int[] Output)
{
    /// <summary>
    /// Applies the lecture's formula in every spatial dimension, reporting a failure once when every
    /// dimension fails the same way and per dimension (H:, W:) otherwise.
    /// </summary>
    /// <summary>The largest stride lowering hands to libtorch (see <see cref="For"/>).</summary>
    internal const int MaxLoweredStride = 65_535;

    /// <summary>
    /// The geometry of a window on <paramref name="input"/>, for lowering a node inference already accepted. A stride only
    /// matters in a dimension with more than one output: where there is one, it becomes the smallest stride that gives one
    /// (the same single window). libtorch 2.10's CPU convolutions crash the process (SIGSEGV, SIGFPE) or hang in the
    /// backward pass for a stride of 65,536 or more in the last dimension (measured with plain <c>conv1d</c>/<c>conv2d</c>/
    /// <c>conv3d</c>, e.g. stride 65,536 on a 1-pixel input); a larger stride that remains is refused here, in every dimension.
    /// </summary>
    /// <exception cref="GraphException">The window does not fit (inference would have reported it), or a stride over 65,535 remains.</exception>
    internal static WindowGeometry For(string path, string kind, Shape input, Size kernel, Size stride, Size dilation, Padding padding, Rounding rounding, bool pooling)
    {
        var errors = new List<GraphError>();
        var context = new LayerContext(path, kind, [input], ["input"], errors);
        var g = Resolve(context, kernel, stride, dilation, padding, rounding, pooling) ?? throw new GraphException(errors);
        var lowered = g.Stride.ToArray();
        var spatial = input.Spatial;
        for (var i = 0; i < lowered.Length; i++)
        {
            // floor(n / s) + 1 = 1 for every s > n, with n = W + padding − extent ≥ 0; PyTorch's ceil mode keeps its stride.
            if (g.Output[i] == 1 && rounding != Rounding.Ceil)
                lowered[i] = (int)Math.Min(lowered[i], (long)spatial[i] + g.PadBefore[i] + g.PadAfter[i] - g.Extent[i] + 1);
            if (lowered[i] > MaxLoweredStride)
                errors.Add(new GraphError(path, kind,
                    $"{Shape.SpatialName(lowered.Length, i)}: stride {lowered[i]} over {g.Output[i]} outputs is larger than libtorch runs safely ({MaxLoweredStride}): its CPU convolutions crash the process or hang for strides of 65,536 or more",
                    $"use a stride of at most {MaxLoweredStride}"));
        }
        if (errors.Count > 0) throw new GraphException(errors);
        return g with { Stride = lowered };
    }

    public static WindowGeometry? Resolve(LayerContext c, Size kernel, Size stride, Size dilation, Padding padding, Rounding rounding, bool pooling)
    {
        if (padding is null) { c.Error("padding is missing"); return null; }
        var k = c.Resolve(kernel, pooling ? "window" : "kernel", 1);
        var s = c.Resolve(stride, "stride", 1);
        var d = c.Resolve(dilation, "dilation", 1);
        var p = padding.Kind == PaddingKind.Same
            ? new int[c.Input.SpatialRank]
            : c.Resolve(padding.Amount, "padding", 0);
        if (!pooling && rounding == Rounding.Ceil)
            c.Error("ceil rounding applies to pooling only (PyTorch's ceil_mode)", hint: "use Rounding.Exact or Rounding.Floor");
        if (k is null || s is null || d is null || p is null) return null;

        var rank = c.Input.SpatialRank;
        var input = c.Input.Spatial;
        var extent = new int[rank];
        var before = new int[rank];
        var after = new int[rank];
        var output = new int[rank];
        var problems = new (string Message, string? Hint)?[rank];
        for (var i = 0; i < rank; i++)
        {
            var e = SizeFormulas.DilatedKernel(k[i], d[i]);
            if (e > int.MaxValue) { problems[i] = ($"dilated kernel {d[i]}·({k[i]} − 1) + 1 = {e} is too large", null); continue; }
            extent[i] = (int)e;
            if (pooling && padding.Kind == PaddingKind.Explicit && 2L * p[i] > k[i])
            {
                problems[i] = ($"padding {p[i]} is more than half the window {k[i]}", "a pooling window must not lie entirely in the padding (PyTorch's rule): use padding ≤ window/2");
                continue;
            }
            problems[i] = padding.Kind == PaddingKind.Same
                ? Same(input[i], extent[i], s[i], out output[i], out before[i], out after[i])
                : Explicit(input[i], k[i], extent[i], d[i], s[i], p[i], rounding, pooling, out output[i]);
            if (padding.Kind == PaddingKind.Explicit) before[i] = after[i] = p[i];
        }

        Report(c, problems);
        return c.Failed ? null : new WindowGeometry(k, extent, s, d, before, after, output);
    }

    // TensorFlow's 'SAME': O = ⌈W/S⌉, with just enough padding for the last window.
    private static (string, string?)? Same(int w, int extent, int stride, out int output, out int before, out int after)
    {
        output = (int)((w + (long)stride - 1) / stride);
        var total = Math.Max((long)(output - 1) * stride + extent - w, 0);
        before = (int)(total / 2);
        after = (int)(total - before);
        return null;
    }

    private static (string, string?)? Explicit(int w, int kernel, int extent, int dilation, int stride, int pad, Rounding rounding, bool pooling, out int output)
    {
        output = 0;
        var numerator = (long)w + 2L * pad - extent;
        // A pooling layer has a window, not a kernel: say so, as its other messages do.
        var noun = pooling ? "window" : "kernel";
        var kernelText = dilation == 1 ? $"{noun} {kernel}" : $"{noun} {kernel} dilated by {dilation} (D(F − 1) + 1 = {extent})";
        if (numerator < 0)
            return ($"{kernelText} is larger than the padded input {w} + 2·{pad} = {w + 2L * pad}",
                $"use a smaller {noun}, more padding, or a larger input");
        if (numerator % stride == 0 || rounding == Rounding.Floor)
            return Fits(numerator / stride + 1, w, pad, out output);
        if (rounding == Rounding.Ceil)
        {
            // PyTorch's ceil_mode: keep a last partial window, unless it would start in the right padding.
            var o = (numerator + stride - 1) / stride + 1;
            if ((o - 1) * stride >= w + (long)pad) o--;
            return Fits(o, w, pad, out output);
        }
        var exact = SizeFormulas.Number((double)numerator / stride + 1);
        var padText = pad == 0 ? "" : $" and padding {pad}";
        return ($"({w} − {extent} + 2·{pad})/{stride} + 1 = {exact} is not an integer — stride {stride} does not tile input {w} with {kernelText}{padText}",
            "choose padding or stride so the division is exact, or opt in to PyTorch's floor rounding with Rounding.Floor" +
            (pooling ? " or its ceil_mode with Rounding.Ceil" : ""));
    }

    // An output size must fit a 32-bit size like every other dimension (W + 2P can exceed it); never wrap around.
    private static (string, string?)? Fits(long size, int w, int pad, out int output)
    {
        output = size <= int.MaxValue ? (int)size : 0;
        return size <= int.MaxValue ? null
            : ($"the output size {size} (input {w} + 2·{pad} padding) is larger than the largest size, {int.MaxValue}", "reduce the padding or the input");
    }

    /// <summary>Reports per-dimension problems: once when every dimension fails alike, else prefixed "H:", "W:".</summary>
    internal static void Report(LayerContext c, (string Message, string? Hint)?[] problems)
    {
        var failed = problems.Where(x => x is not null).Select(x => x!.Value).ToList();
        if (failed.Count == 0) return;
        if (failed.Count == problems.Length && failed.Distinct().Count() == 1)
        {
            c.Error(failed[0].Message, failed[0].Hint);
            return;
        }
        for (var i = 0; i < problems.Length; i++)
            if (problems[i] is { } problem)
                c.Error($"{Shape.SpatialName(problems.Length, i)}: {problem.Message}", problem.Hint);
    }
}
