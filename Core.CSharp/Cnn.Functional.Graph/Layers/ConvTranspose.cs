namespace Cnn.Functional;

/// <summary>
/// Transposed convolution (upsampling; the adjoint of <see cref="Conv"/>):
/// <c>[N, C, *S] → [N, F, *S']</c> with the lecture's <c>S' = (S − 1)·stride + D(K − 1) + 1 − 2P + output padding</c>.
/// With stride s and padding P it maps a convolution's output size back to its input size whenever that
/// convolution tiled exactly. Output padding (&lt; stride or dilation) picks among the sizes that floor
/// rounding folds together. Parameters: C·(F/G)·ΠK weights + F biases.
/// </summary>
public sealed record ConvTranspose(
    int Filters,
    Size Kernel,
    Size Stride,
    Size Padding,
    Size OutputPadding,
    Size Dilation,
    int Groups,
    bool Bias) : Layer
{
    public override string Kind => "convTranspose";

    public override LayerInfo? Infer(LayerContext c)
    {
        if (!c.RequireSpatial()) return null;
        ConvCounts.CheckGroups(c, Filters, Groups);
        var k = c.Resolve(Kernel, "kernel", 1);
        var s = c.Resolve(Stride, "stride", 1);
        var p = c.Resolve(Padding, "padding", 0);
        var op = c.Resolve(OutputPadding, "output padding", 0);
        var d = c.Resolve(Dilation, "dilation", 1);
        if (k is null || s is null || p is null || op is null || d is null || c.Failed) return null;

        var rank = c.Input.SpatialRank;
        var output = new int[rank];
        var extent = new int[rank];
        var problems = new (string Message, string? Hint)?[rank];
        for (var i = 0; i < rank; i++)
        {
            if (op[i] >= Math.Max(s[i], d[i]))
            {
                problems[i] = ($"output padding {op[i]} must be smaller than the stride {s[i]} or the dilation {d[i]}", null);
                continue;
            }
            var w = c.Input.Spatial[i];
            var size = SizeFormulas.TransposedOutput(w, k[i], p[i], s[i], op[i], d[i]);
            extent[i] = (int)Math.Min(SizeFormulas.DilatedKernel(k[i], d[i]), int.MaxValue);
            if (size < 1 || size > int.MaxValue)
            {
                problems[i] = ($"({w} − 1)·{s[i]} + {extent[i]} − 2·{p[i]} + {op[i]} = {size} is not a valid size",
                    size < 1 ? "the padding removes more than the kernel adds: reduce the padding" : "the output would be too large");
                continue;
            }
            output[i] = (int)size;
        }
        WindowGeometry.Report(c, problems);
        if (c.Failed) return null;

        // Each input position is scattered through a C·(F/G)·ΠK kernel: MACs = input positions · C · (F/G) · ΠK.
        var counts = ConvCounts.Of(c, Filters, c.Input.Channels, Groups, k, c.Input.Spatial, bias: false);
        var parameters = counts is null ? null : c.Sum(counts.Value.Parameters, Bias ? Filters : 0);
        if (counts is null || parameters is null) return null;
        return new LayerInfo(ConvCounts.OutputShape(Filters, output), parameters.Value, counts.Value.Macs, 0, SpatialMap.Upsampling(extent, s));
    }
}
