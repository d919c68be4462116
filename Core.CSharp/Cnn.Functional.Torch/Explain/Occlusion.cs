using static TorchSharp.torch;

namespace Cnn.Functional.Torch;

/// <summary>
/// The probability of a class as an occluder slides over the image: <see cref="Probability"/> at pixel (i, j) is
/// p(class | image with the square centred nearest (i, j) filled), <see cref="Baseline"/> the probability without it.
/// </summary>
public sealed record OcclusionMap(int Class, int Size, int Stride, float Baseline, PixelMap Probability)
{
    /// <summary>How much covering each place lowers the probability, max(0, baseline − p): the evidence the class rests on.</summary>
    public PixelMap Sensitivity => Probability with { Values = Probability.Values.Select(p => Math.Max(0f, Baseline - p)).ToEquatableArray() };
}

/// <summary>
/// Occlusion sensitivity (Zeiler &amp; Fergus 2014, "Visualizing and Understanding Convolutional Networks", §4.2; the
/// lecture's "slide an occlusion window over the image … record the probability of the correct class"): a grey square
/// is slid over the image and the class probability recorded at each position. Where it drops, the evidence is.
/// </summary>
public static class Occlusion
{
    /// <summary>
    /// The occlusion map of class <paramref name="target"/> for one <paramref name="image"/> (the graph's input shape,
    /// 2-D spatial): a square of <paramref name="size"/> pixels (default: a quarter of the smaller side, at least 1)
    /// filled with <paramref name="fill"/> (grey, for pixels in [0, 1]) is centred on every <paramref name="stride"/>-th
    /// pixel; each pixel of the H × W map holds the probability at the nearest occluder position. The occluded
    /// copies are scored <paramref name="batchSize"/> at a time in evaluation mode, one dispose scope per batch.
    /// </summary>
    /// <exception cref="ArgumentException">The image does not fit the graph or is not 2-D, a setting is out of range, or the class is not an output class.</exception>
    public static OcclusionMap Map(GraphModule module, Tensor image, int target, int size = 0, int stride = 1, float fill = 0.5f, int batchSize = 128)
    {
        var output = ModelOutput.Of(module.Graph);
        ExplainInput.CheckClass(output, target, "occlusion");
        var shape = ExplainInput.InputNode(module, "occlusion").OutputShape;
        if (shape.Rank != 3) throw new ArgumentException($"occlusion slides a square over 2-D images [C, H, W]; the graph's input is {shape}", nameof(image));
        var (height, width) = (shape.Dims[1], shape.Dims[2]);
        if (size == 0) size = Math.Max(1, Math.Min(height, width) / 4);
        if (size < 1 || size > Math.Max(height, width)) throw new ArgumentOutOfRangeException(nameof(size), size, $"the occluder's side must be 1 to {Math.Max(height, width)} pixels");
        if (stride < 1) throw new ArgumentOutOfRangeException(nameof(stride), stride, "the stride must be at least 1 pixel");
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "at least 1");
        if (!float.IsFinite(fill)) throw new ArgumentOutOfRangeException(nameof(fill), fill, "a finite pixel value");
        using var mode = Freezing.Evaluating(module);
        using var noGrad = no_grad();
        using var x = ExplainInput.One(module, image, "occlusion");
        float baseline;
        using (var scope = NewDisposeScope()) baseline = Scalars.Read<float>(ExplainInput.Probabilities(module, output, x)[0, target]);
        var rows = (height + stride - 1) / stride;
        var columns = (width + stride - 1) / stride;
        var positions = rows * columns;
        var grid = new float[positions];
        for (var start = 0; start < positions; start += batchSize)
        {
            using var scope = NewDisposeScope();
            var count = Math.Min(batchSize, positions - start);
            // mask = 1 under the occluder: occluded = x·(1 − mask) + fill·mask, for `count` positions at once.
            var mask = new float[count * height * width];
            for (var p = 0; p < count; p++)
            {
                var (top, left) = ((start + p) / columns * stride - size / 2, (start + p) % columns * stride - size / 2);
                for (var r = Math.Max(0, top); r < Math.Min(height, top + size); r++)
                    for (var c = Math.Max(0, left); c < Math.Min(width, left + size); c++)
                        mask[(p * height + r) * width + c] = 1;
            }
            var m = tensor(mask, [count, 1, height, width], device: x.device);
            var occluded = x * (1 - m) + fill * m;
            var probabilities = ExplainInput.Probabilities(module, output, occluded).select(1, target).cpu();
            probabilities.data<float>().CopyTo(grid, start);
        }
        var map = new float[height * width];
        for (var r = 0; r < height; r++)
            for (var c = 0; c < width; c++)
                map[r * width + c] = grid[Math.Min(rows - 1, (r + stride / 2) / stride) * columns + Math.Min(columns - 1, (c + stride / 2) / stride)];
        return new OcclusionMap(target, size, stride, baseline, PixelMap.Of(height, width, map));
    }
}
