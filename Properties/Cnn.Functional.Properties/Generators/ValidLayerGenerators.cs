using FsCheck;
using FsCheck.Fluent;

namespace Cnn.Functional.Properties;

/// <summary>A layer that is valid for a known input, with the output shape it must produce.</summary>
public sealed record LayerStep(Layer Layer, Shape Output)
{
    public override string ToString() => $"{Layer} → {Output}";
}

/// <summary>
/// Generators of layers that are valid for a given input shape, built by construction (kernels that fit,
/// groups that divide, 'same' padding, floor rounding) together with the output shape each must give,
/// computed here from the lecture's formulas — independently of the library's inference.
/// </summary>
public static class ValidLayerGenerators
{
    /// <summary>A layer valid for <paramref name="input"/> (spatial or flat) and its expected output shape.</summary>
    public static Gen<LayerStep> For(Shape input) => input.IsFlat ? ForVector(input.Channels) : ForSpatial(input);

    /// <summary>Layers for a flat vector of <paramref name="features"/> values.</summary>
    public static Gen<LayerStep> ForVector(int features)
    {
        var same = Shape.Vector(features);
        return Gen.OneOf(
            Gen.Choose(1, 16).Select(units => new LayerStep(Layers.Dense(units), Shape.Vector(units))),
            Elementwise().Select(layer => new LayerStep(layer, same)),
            Gen.Elements(Layers.Flatten(), Layers.LayerNorm(), Layers.BatchNorm()).Select(layer => new LayerStep(layer, same)),
            Gen.Elements(Divisors(features)).Select(g => new LayerStep(Layers.GroupNorm(g), same)),
            // LeNet's RBF output and XNOR-Net's binary dense layer: [I] → [U].
            Gen.Choose(1, 16).Select(units => new LayerStep(Layers.RbfOutput(units), Shape.Vector(units))),
            from units in Gen.Choose(1, 16) from bias in Gen.Elements(false, true) from mode in Gen.Elements(Enum.GetValues<Binarization>())
            select new LayerStep(Layers.BinaryDense(units, bias, mode), Shape.Vector(units)));
    }

    /// <summary>Layers for a spatial input <c>[C, *S]</c>.</summary>
    public static Gen<LayerStep> ForSpatial(Shape input)
    {
        var c = input.Channels;
        var s = input.Spatial;
        var r = s.Length;
        var same = input;
        var options = new List<Gen<LayerStep>>
        {
            // Convolution, 'same' padding: ⌈S/stride⌉, any kernel and dilation; groups dividing C and F.
            from g in Gen.Elements(Divisors(c)) from m in Gen.Choose(1, 4) from k in Kernel(r, 5) from stride in Gen.Choose(1, 2) from d in Gen.Choose(1, 2)
            select new LayerStep(Layers.Conv(g * m, k, stride, Padding.Same, d, g), Shape.Of([g * m, .. s.Select(x => Ceil(x, stride))])),
            // Convolution, valid padding, stride 1: S − F + 1.
            from f in Gen.Choose(1, 6) from k in Fitting(s, 5)
            select new LayerStep(Layers.Conv(f, Size.Of(k)), Shape.Of([f, .. s.Select((x, i) => x - k[i] + 1)])),
            // Convolution with floor rounding: ⌊(S + 2P − F)/stride⌋ + 1.
            from f in Gen.Choose(1, 6) from p in Gen.Choose(0, 1) from k in Fitting(s.Select(x => x + 2 * p).ToArray(), 5) from stride in Gen.Choose(1, 3)
            select new LayerStep(Layers.Conv(f, Size.Of(k), stride, p, rounding: Rounding.Floor),
                Shape.Of([f, .. s.Select((x, i) => (x + 2 * p - k[i]) / stride + 1)])),
            // Pooling, stride = window, floor rounding: ⌊S/F⌋.
            from fn in Gen.Elements(Enum.GetValues<PoolKind>()) from w in Fitting(s, 3)
            select new LayerStep(Layers.Pool(fn, Size.Of(w), rounding: Rounding.Floor), Shape.Of([c, .. s.Select((x, i) => x / w[i])])),
            // Max pooling, ceil mode (PyTorch): ⌈(S − F)/stride⌉ + 1, minus one if the last window starts past the input.
            from w in Gen.Choose(1, Math.Min(3, s.Min())) from stride in Gen.Choose(1, 3)
            select new LayerStep(Layers.MaxPool(w, stride, rounding: Rounding.Ceil), Shape.Of([c, .. s.Select(x => CeilModeOutput(x, w, stride))])),
            Elementwise().Select(layer => new LayerStep(layer, same)),
            Gen.Elements(Layers.BatchNorm(), Layers.InstanceNorm(), Layers.InstanceNorm(affine: true, trackRunningStats: true), Layers.LayerNorm(),
                Layers.LocalResponseNorm(), Layers.SpatialDropout(0.2)).Select(layer => new LayerStep(layer, same)),
            Gen.Elements(Divisors(c)).Select(g => new LayerStep(Layers.GroupNorm(g), same)),
            from f in Gen.Choose(1, 6) from k in Kernel(r, 3) from stride in Gen.Choose(1, 2) from m in Gen.Choose(1, 2)
            select new LayerStep(Layers.DepthwiseSeparableConv(f, k, stride, Padding.Same, depthMultiplier: m), Shape.Of([f, .. s.Select(x => Ceil(x, stride))])),
            from f in Gen.Choose(1, 6) from k in Gen.Choose(1, 5) from stride in Gen.Choose(1, 2)
            select new LayerStep(Layers.SpatiallySeparableConv(f, k, stride, Padding.Same), Shape.Of([f, .. s.Select(x => Ceil(x, stride))])),
            from f in Gen.Choose(1, 6) from k in Kernel(r, 3) from d in Gen.Choose(1, 2) from radius in Gen.Elements(false, true)
            select new LayerStep(Layers.CoordConv(f, k, 1, Padding.Same, d, radius), Shape.Of([f, .. s])),
            from f in Gen.Choose(1, 4) from k in Fitting(s, 3)
            select new LayerStep(Layers.LocallyConnected(f, Size.Of(k)), Shape.Of([f, .. s.Select((x, i) => x - k[i] + 1)])),
            from o in Gen.CollectToArray(s.Select(x => Gen.Choose(1, x))) from max in Gen.Elements(false, true)
            select new LayerStep(max ? Layers.AdaptiveMaxPool(Size.Of(o)) : Layers.AdaptiveAvgPool(Size.Of(o)), Shape.Of([c, .. o])),
            Gen.Elements(Enum.GetValues<PoolKind>()).Select(fn => new LayerStep(Layers.GlobalPool(fn), Shape.Vector(c))),
            Gen.Constant(new LayerStep(Layers.Flatten(), Shape.Vector(s.Aggregate(c, (a, x) => a * x)))),
            // Partial convolution (LeNet-5's C3): F = the rows of the table, 'same' padding: ⌈S/stride⌉.
            from table in ConnectionTable(c) from k in Kernel(r, 5) from stride in Gen.Choose(1, 2) from bias in Gen.Elements(false, true)
            select new LayerStep(Layers.PartialConv(table, k, stride, Padding.Same, bias), Shape.Of([table.Length, .. s.Select(x => Ceil(x, stride))])),
            // Partial convolution, valid padding, stride 1: S − F + 1.
            from table in ConnectionTable(c) from k in Fitting(s, 5)
            select new LayerStep(Layers.PartialConv(table, Size.Of(k)), Shape.Of([table.Length, .. s.Select((x, i) => x - k[i] + 1)])),
            // Subsampling (LeNet's S2, S4), stride = window: exact only for a window dividing every extent, S/F.
            Gen.Elements(Divisors(s.Aggregate(Gcd)).Where(w => w <= 4).ToArray())
                .Select(w => new LayerStep(Layers.Subsampling(w), Shape.Of([c, .. s.Select(x => x / w)]))),
            // Subsampling with its own stride per dimension, one that tiles S − F: (S − F)/stride + 1.
            from ws in Gen.CollectToArray(s.Select(x => from w in Gen.Choose(1, Math.Min(x, 4)) from stride in Gen.Elements(Tiling(x - w, 4)) select (Window: w, Stride: stride)))
            select new LayerStep(Layers.Subsampling(Size.Of(ws.Select(p => p.Window).ToArray()), Size.Of(ws.Select(p => p.Stride).ToArray())),
                Shape.Of([c, .. s.Select((x, i) => (x - ws[i].Window) / ws[i].Stride + 1)])),
            // Binary convolution, 'same' padding: ⌈S/stride⌉, groups dividing C and F.
            from g in Gen.Elements(Divisors(c)) from m in Gen.Choose(1, 3) from k in Kernel(r, 5) from stride in Gen.Choose(1, 2)
            from bias in Gen.Elements(false, true) from mode in Gen.Elements(Enum.GetValues<Binarization>())
            select new LayerStep(Layers.BinaryConv(g * m, k, stride, Padding.Same, g, bias, mode), Shape.Of([g * m, .. s.Select(x => Ceil(x, stride))])),
            // Binary convolution with floor rounding: ⌊(S + 2P − F)/stride⌋ + 1.
            from f in Gen.Choose(1, 6) from p in Gen.Choose(0, 1) from k in Fitting(s.Select(x => x + 2 * p).ToArray(), 5) from stride in Gen.Choose(1, 3)
            from mode in Gen.Elements(Enum.GetValues<Binarization>())
            select new LayerStep(Layers.BinaryConv(f, Size.Of(k), stride, p, mode: mode, rounding: Rounding.Floor),
                Shape.Of([f, .. s.Select((x, i) => (x + 2 * p - k[i]) / stride + 1)])),
            // Dirac convolution, stride 1, 'same' padding: S; F may differ from C.
            from f in Gen.Choose(1, 8) from k in Kernel(r, 5) from d in Gen.Choose(1, 2) from bias in Gen.Elements(false, true)
            select new LayerStep(Layers.DiracConv(f, k, Padding.Same, d, bias), Shape.Of([f, .. s])),
            // Dirac convolution, explicit padding, dilated kernel that fits: S + 2P − D(F − 1).
            from f in Gen.Choose(1, 8) from p in Gen.Choose(0, 1) from d in Gen.Choose(1, 2)
            from k in Gen.CollectToArray(s.Select(x => Gen.Choose(1, Math.Min(5, (x + 2 * p - 1) / d + 1))))
            select new LayerStep(Layers.DiracConv(f, Size.Of(k), p, d), Shape.Of([f, .. s.Select((x, i) => x + 2 * p - d * (k[i] - 1))])),
        };
        // Transposed convolution: (S − 1)·stride + F − 2P, only for small inputs so sizes stay small.
        if (s.Max() <= 12)
            options.Add(
                from f in Gen.Choose(1, 6) from k in Gen.Choose(1, 3) from stride in Gen.Choose(1, 2) from p in Gen.Choose(0, (k - 1) / 2)
                select new LayerStep(Layers.ConvTranspose(f, k, stride, p), Shape.Of([f, .. s.Select(x => (x - 1) * stride + k - 2 * p)])));
        if (r == 2)
            options.Add(
                from f in Gen.Choose(1, 4) from k in Gen.Choose(1, 3)
                select new LayerStep(Layers.DeformableConv(f, k, padding: Padding.Same), Shape.Of([f, .. s])));
        return Gen.OneOf(options);
    }

    /// <summary>Shape-preserving layers valid for any input: activations of every function (LeCun's scaled tanh too; finite α), softmax, dropout.</summary>
    public static Gen<Layer> Elementwise() => Gen.OneOf(
        from fn in Gen.Elements(Enum.GetValues<ActivationFunction>()) from alpha in LayerGenerators.PlausibleDouble() select Layers.Activation(fn, alpha),
        Gen.Elements(Layers.Softmax(), Layers.LogSoftmax()),
        Gen.Choose(0, 9).Select(tenths => Layers.Dropout(tenths / 10.0)));

    /// <summary>
    /// A connection table valid for <paramref name="channels"/> input channels: 1 to 8 rows, each a non-empty set
    /// of distinct channels in random order; for 6 channels sometimes LeNet-5's C3 table.
    /// </summary>
    public static Gen<int[][]> ConnectionTable(int channels)
    {
        var row = from all in Gen.Shuffle(Enumerable.Range(0, channels)) from n in Gen.Choose(1, channels) select all.Take(n).ToArray();
        var random = Gen.Choose(1, 8).SelectMany(rows => Gen.ArrayOf(row, rows));
        return channels == 6 ? Gen.Frequency((3, random), (1, Gen.Constant(LayerGenerators.LeNetC3Table()))) : random;
    }

    /// <summary>The strides up to <paramref name="max"/> that tile a span of <paramref name="span"/> (any stride when it is 0).</summary>
    public static int[] Tiling(int span, int max) => Enumerable.Range(1, max).Where(stride => span % stride == 0).ToArray();

    /// <summary>The greatest common divisor of two positive numbers.</summary>
    public static int Gcd(int a, int b) => b == 0 ? a : Gcd(b, a % b);

    /// <summary>The divisors of <paramref name="n"/> (n ≥ 1).</summary>
    public static int[] Divisors(int n) => Enumerable.Range(1, n).Where(d => n % d == 0).ToArray();

    /// <summary>⌈a/b⌉ for positive numbers.</summary>
    public static int Ceil(int a, int b) => (a + b - 1) / b;

    /// <summary>PyTorch's ceil_mode pooling size with no padding: ⌈(S − F)/stride⌉ + 1, less one when the last window would start outside the input.</summary>
    public static int CeilModeOutput(int input, int window, int stride)
    {
        var output = Ceil(input - window, stride) + 1;
        return (output - 1) * stride >= input ? output - 1 : output;
    }

    /// <summary>A kernel of 1 to <paramref name="max"/> per dimension: uniform or one value per dimension.</summary>
    private static Gen<Size> Kernel(int rank, int max) => Gen.OneOf(
        Gen.Choose(1, max).Select(Size.All),
        Gen.ArrayOf(Gen.Choose(1, max), rank).Select(Size.Of));

    /// <summary>A kernel per dimension that fits the extents <paramref name="extents"/> (and is at most <paramref name="max"/>).</summary>
    private static Gen<int[]> Fitting(int[] extents, int max) => Gen.CollectToArray(extents.Select(x => Gen.Choose(1, Math.Min(x, max))));
}
