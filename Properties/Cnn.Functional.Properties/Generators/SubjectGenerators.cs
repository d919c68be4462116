using FsCheck;
using FsCheck.Fluent;

namespace Cnn.Functional.Properties;

/// <summary>
/// Generators of subjects for the laws: every layer kind of the library on small inputs (1 to 4 channels; 5 to 12
/// positions in 1-D, 5 to 10 per side in 2-D, 4 to 7 in 3-D), valid by construction (kernels that fit the padded input,
/// groups that divide, floor rounding where a stride need not tile), and small graphs — chains, residual blocks,
/// classifiers with a fully connected head, global-pooling heads. Each has a shrinker in <see cref="Arbitraries"/>
/// (<see cref="SubjectShrinker"/>): a failing subject shrinks to a smaller one of the same kind.
/// </summary>
public static class SubjectGenerators
{
    /// <summary>Spatial extents for <paramref name="rank"/> dimensions, each at least <paramref name="least"/>.</summary>
    public static Gen<int[]> Extents(int rank, int least = 1)
    {
        var (low, high) = rank switch { 1 => (5, 12), 2 => (5, 10), _ => (4, 7) };
        low = Math.Max(low, least);
        return Gen.ArrayOf(Gen.Choose(low, Math.Max(low, high)), rank);
    }

    /// <summary>A small spatial input [C, *S] of rank <paramref name="rank"/> with C in 1 … 4, each extent at least <paramref name="least"/>.</summary>
    public static Gen<Shape> Input(int rank, int least = 1, int channels = 0) =>
        from c in channels > 0 ? Gen.Constant(channels) : Gen.Choose(1, 4)
        from extents in Extents(rank, least)
        select Shape.Of([c, .. extents]);

    private static Gen<int> Rank() => Gen.Frequency((3, Gen.Constant(1)), (5, Gen.Constant(2)), (1, Gen.Constant(3)));

    private static Subject Of(Layer layer, Shape input) => Subject.For(layer, input);

    private static Gen<Size> Kernel(int rank, int max) => Gen.OneOf(
        Gen.Choose(1, max).Select(Size.All),
        Gen.ArrayOf(Gen.Choose(1, max), rank).Select(Size.Of));

    // ---- convolutions -------------------------------------------------------------------------------

    /// <summary>
    /// A convolution with the given choices: kernel up to <paramref name="maxKernel"/>, stride and dilation from the
    /// generators, groups as <paramref name="grouping"/> says, explicit (0 to 2), 'valid' or 'same' padding of one of
    /// <paramref name="modes"/>, floor rounding, with or without bias; the input is large enough for the dilated kernel.
    /// </summary>
    private static Gen<Subject> Conv(Gen<int> strides, Gen<int> dilations, int maxKernel, Grouping grouping, params PaddingMode[] modes) =>
        from rank in Rank()
        from k in Gen.Choose(1, rank == 3 ? Math.Min(maxKernel, 2) : maxKernel)
        from stride in strides
        from dilation in rank == 3 ? Gen.Constant(1) : dilations
        let extent = dilation * (k - 1) + 1
        from groups in grouping switch { Grouping.One => Gen.Constant(1), Grouping.Several => Gen.Choose(2, 3), _ => Gen.Choose(1, 3) }
        from perGroup in Gen.Choose(1, grouping == Grouping.Depthwise ? 1 : 2)
        from multiplier in Gen.Choose(1, 2)
        from input in Input(rank, extent + 2 * stride, groups * perGroup)
        from padding in Gen.Elements(Padding.Valid, (Padding)1, (Padding)2, Padding.Same)
        from mode in Gen.Elements(modes)
        from bias in Gen.Elements(true, false)
        // Reflection needs a padding smaller than the input.
        let safe = mode != PaddingMode.Reflect || padding.Kind == PaddingKind.Same || padding.Amount.Values[0] < input.Spatial.Min()
        select Of(Layers.Conv(groups * multiplier, k, stride, safe ? padding : Padding.Valid, dilation, groups, bias, Rounding.Floor, mode), input);

    private enum Grouping { One, Several, Depthwise, Any }

    /// <summary>Convolutions of every sort: 1-, 2- and 3-D, kernels up to 3, strides 1–2, dilations 1–2, groups 1–3, any padding mode.</summary>
    public static Gen<Subject> Convolutions() =>
        Conv(Gen.Choose(1, 2), Gen.Choose(1, 2), 3, Grouping.Any, PaddingMode.Zeros, PaddingMode.Zeros, PaddingMode.Circular, PaddingMode.Reflect, PaddingMode.Replicate);

    /// <summary>Zero-padded convolutions (kernels up to 3, strides 1–2, dilations 1–2, groups 1–3).</summary>
    public static Gen<Subject> ZeroPaddedConvolutions() => Conv(Gen.Choose(1, 2), Gen.Choose(1, 2), 3, Grouping.Any, PaddingMode.Zeros);

    /// <summary>Dilated (atrous) convolutions: dilation 2 or 3.</summary>
    public static Gen<Subject> DilatedConvolutions() => Conv(Gen.Choose(1, 2), Gen.Choose(2, 3), 3, Grouping.One, PaddingMode.Zeros);

    /// <summary>Strided convolutions: stride 2 or 3.</summary>
    public static Gen<Subject> StridedConvolutions() => Conv(Gen.Choose(2, 3), Gen.Constant(1), 3, Grouping.One, PaddingMode.Zeros);

    /// <summary>Group convolutions: 2 or 3 groups.</summary>
    public static Gen<Subject> GroupConvolutions() => Conv(Gen.Choose(1, 2), Gen.Choose(1, 2), 3, Grouping.Several, PaddingMode.Zeros, PaddingMode.Circular);

    /// <summary>Depthwise convolutions: groups = input channels, 1 or 2 filters per channel.</summary>
    public static Gen<Subject> DepthwiseConvolutions() => Conv(Gen.Choose(1, 2), Gen.Choose(1, 2), 3, Grouping.Depthwise, PaddingMode.Zeros);

    /// <summary>1×1 convolutions (any stride, groups, padding).</summary>
    public static Gen<Subject> PointwiseConvolutions() => Conv(Gen.Choose(1, 2), Gen.Constant(1), 1, Grouping.Any, PaddingMode.Zeros);

    /// <summary>
    /// Circularly padded convolutions that tile their input ('same' padding, extents that are multiples of the stride):
    /// the case in which translation equivariance holds at every position.
    /// </summary>
    public static Gen<Subject> CircularConvolutions() =>
        from rank in Rank()
        from k in Gen.Choose(1, rank == 3 ? 2 : 3)
        from stride in Gen.Choose(1, 2)
        from dilation in rank == 3 ? Gen.Constant(1) : Gen.Choose(1, 2)
        from groups in Gen.Choose(1, 2)
        from c in Gen.Choose(1, 2)
        from f in Gen.Choose(1, 2)
        from steps in Gen.ArrayOf(Gen.Choose(rank == 3 ? 2 : 3, rank == 1 ? 6 : 4), rank)
        select Of(Layers.Conv(groups * f, k, stride, Padding.Same, dilation, groups, paddingMode: PaddingMode.Circular),
            Shape.Of([groups * c, .. steps.Select(n => Math.Max(n * stride, dilation * (k - 1) + 1))]));

    /// <summary>Convolutions whose filters equal their input channels, stride 1, with a centred odd kernel ('same' or explicit D·⌊F/2⌋ padding).</summary>
    public static Gen<Subject> IdentityShapedConvolutions() =>
        from rank in Rank()
        from k in Gen.Elements(1, 3, 5)
        from dilation in Gen.Choose(1, 2)
        from groups in Gen.Choose(1, 2)
        from perGroup in Gen.Choose(1, 2)
        from same in Gen.Elements(true, false)
        from mode in Gen.Elements(PaddingMode.Zeros, PaddingMode.Circular)
        from input in Input(rank, 3, groups * perGroup)
        select Of(Layers.Conv(groups * perGroup, rank == 3 ? Math.Min(k, 3) : k, 1, same ? Padding.Same : dilation * ((rank == 3 ? Math.Min(k, 3) : k) / 2), dilation, groups,
            paddingMode: mode), input);

    /// <summary>Transposed convolutions: kernel 1–3, stride 1–2, padding below the kernel, output padding below the stride, dilation 1–2, groups 1–2.</summary>
    public static Gen<Subject> TransposedConvolutions() =>
        from rank in Rank()
        from k in Gen.Choose(1, 3)
        from stride in Gen.Choose(1, 2)
        from dilation in Gen.Choose(1, 2)
        from padding in Gen.Choose(0, dilation * (k - 1) / 2)
        from outputPadding in Gen.Choose(0, Math.Max(stride, dilation) - 1)
        from groups in Gen.Choose(1, 2)
        from f in Gen.Choose(1, 2)
        from c in Gen.Choose(1, 2)
        from extents in Gen.ArrayOf(Gen.Choose(3, rank == 3 ? 4 : 6), rank)
        from bias in Gen.Elements(true, false)
        select Of(Layers.ConvTranspose(groups * f, k, stride, padding, outputPadding, dilation, groups, bias), Shape.Of([groups * c, .. extents]));

    /// <summary>Spatially separable convolutions (factor per dimension): kernel 1–3, stride 1–2, explicit or 'same' padding.</summary>
    public static Gen<Subject> SpatiallySeparableConvolutions() =>
        from rank in Rank()
        from k in Gen.Choose(1, 3)
        from stride in Gen.Choose(1, 2)
        from padding in Gen.Elements(Padding.Valid, (Padding)1, Padding.Same)
        from input in Input(rank, k + 2 * stride)
        from f in Gen.Choose(1, 3)
        from bias in Gen.Elements(true, false)
        select Of(Layers.SpatiallySeparableConv(f, k, stride, padding, bias, Rounding.Floor), input);

    /// <summary>Depthwise-separable convolutions: kernel 1–3, stride 1–2, dilation 1–2, depth multiplier 1–2.</summary>
    public static Gen<Subject> DepthwiseSeparableConvolutions() =>
        from rank in Rank()
        from k in Gen.Choose(1, 3)
        from stride in Gen.Choose(1, 2)
        from dilation in rank == 3 ? Gen.Constant(1) : Gen.Choose(1, 2)
        from padding in Gen.Elements(Padding.Valid, (Padding)1, Padding.Same)
        from input in Input(rank, dilation * (k - 1) + 1 + 2 * stride)
        from f in Gen.Choose(1, 3)
        from m in Gen.Choose(1, 2)
        from bias in Gen.Elements(true, false)
        select Of(Layers.DepthwiseSeparableConv(f, k, stride, padding, dilation, m, bias, Rounding.Floor), input);

    /// <summary>Unshared (locally connected) convolutions: kernel 1–3, stride 1–2, valid or explicit padding.</summary>
    public static Gen<Subject> LocallyConnectedLayers() =>
        from rank in Rank()
        from k in Gen.Choose(1, 3)
        from stride in Gen.Choose(1, 2)
        from padding in Gen.Elements(Padding.Valid, (Padding)1)
        from input in Input(rank, k + 2 * stride)
        from f in Gen.Choose(1, 3)
        from bias in Gen.Elements(true, false)
        select Of(Layers.LocallyConnected(f, k, stride, padding, bias, Rounding.Floor), input);

    /// <summary>CoordConv layers: kernel 1–3, stride 1–2, 'same' or valid padding, with or without the radius channel.</summary>
    public static Gen<Subject> CoordConvs() =>
        from rank in Rank()
        from k in Gen.Choose(1, 3)
        from stride in Gen.Choose(1, 2)
        from padding in Gen.Elements(Padding.Valid, Padding.Same)
        from input in Input(rank, k + 2 * stride)
        from f in Gen.Choose(1, 3)
        from radius in Gen.Elements(true, false)
        select Of(Layers.CoordConv(f, k, stride, padding, 1, radius, true, Rounding.Floor), input);

    /// <summary>Dirac convolutions: any filters, kernel 1–3, 'same' or explicit padding, dilation 1–2.</summary>
    public static Gen<Subject> DiracConvolutions() =>
        from rank in Rank()
        from k in Gen.Choose(1, 3)
        from dilation in rank == 3 ? Gen.Constant(1) : Gen.Choose(1, 2)
        from input in Input(rank, dilation * (k - 1) + 3)
        from f in Gen.Choose(1, 4)
        from same in Gen.Elements(true, false)
        select Of(Layers.DiracConv(f, k, same ? Padding.Same : dilation * (k / 2), dilation), input);

    /// <summary>Dirac convolutions with as many filters as channels and a centred odd kernel: the ones the identity law is about.</summary>
    public static Gen<Subject> IdentityShapedDiracConvolutions() =>
        from rank in Rank()
        from k in Gen.Elements(1, 3)
        from dilation in Gen.Choose(1, 2)
        from input in Input(rank, 3)
        select Of(Layers.DiracConv(input.Channels, k, Padding.Same, dilation), input);

    /// <summary>Partial convolutions (LeNet's C3): a random connection table, kernel 1–3, stride 1–2, 'same' padding.</summary>
    public static Gen<Subject> PartialConvolutions() =>
        from rank in Rank()
        from input in Input(rank, 4)
        from table in ValidLayerGenerators.ConnectionTable(input.Channels)
        from k in Gen.Choose(1, 3)
        from stride in Gen.Choose(1, 2)
        select Of(Layers.PartialConv(table, k, stride, Padding.Same), input);

    /// <summary>Binary convolutions (binary-weight or XNOR): kernel 1–3, stride 1–2, groups 1–2, floor rounding.</summary>
    public static Gen<Subject> BinaryConvolutions() =>
        from rank in Rank()
        from k in Gen.Choose(1, 3)
        from stride in Gen.Choose(1, 2)
        from groups in Gen.Choose(1, 2)
        from c in Gen.Choose(1, 2)
        from f in Gen.Choose(1, 2)
        from input in Input(rank, k + 2 * stride, groups * c)
        from padding in Gen.Elements(Padding.Valid, (Padding)1)
        from mode in Gen.Elements(Binarization.Weights, Binarization.WeightsAndInputs)
        select Of(Layers.BinaryConv(groups * f, k, stride, padding, groups, true, mode, Rounding.Floor), input);

    /// <summary>Deformable convolutions (2-D only): kernel 1–3, stride 1–2, 'same' or valid padding; offsets start at zero.</summary>
    public static Gen<Subject> DeformableConvolutions() =>
        from k in Gen.Choose(1, 3)
        from stride in Gen.Choose(1, 2)
        from padding in Gen.Elements(Padding.Valid, Padding.Same)
        from input in Input(2, k + 2 * stride)
        from f in Gen.Choose(1, 3)
        select Of(Layers.DeformableConv(f, k, stride, padding, rounding: Rounding.Floor), input);

    // ---- pooling ------------------------------------------------------------------------------------

    /// <summary>Pooling of <paramref name="kind"/>: window 1–3, stride 1–3 (overlapping or not), padding up to half the window, floor or ceil rounding.</summary>
    public static Gen<Subject> Pools(PoolKind kind) =>
        from rank in Rank()
        from window in Gen.Choose(1, 3)
        from stride in Gen.Choose(1, 3)
        from padding in Gen.Choose(0, window / 2)
        from rounding in Gen.Elements(Rounding.Floor, Rounding.Ceil)
        from input in Input(rank, window + 2 * stride)
        select Of(Layers.Pool(kind, window, stride, padding, rounding), input);

    /// <summary>Pooling of <paramref name="kind"/> whose windows do not overlap: stride = window (+ 0 or 1), no padding or some.</summary>
    public static Gen<Subject> NonOverlappingPools(PoolKind kind) =>
        from rank in Rank()
        from window in Gen.Choose(1, 3)
        from gap in Gen.Choose(0, 1)
        from padding in Gen.Choose(0, window / 2)
        from input in Input(rank, window + gap + 2)
        select Of(Layers.Pool(kind, window, window + gap, padding, Rounding.Floor), input);

    /// <summary>Global pooling of <paramref name="kind"/>.</summary>
    public static Gen<Subject> GlobalPools(PoolKind kind) =>
        from rank in Rank()
        from input in Input(rank)
        select Of(Layers.GlobalPool(kind), input);

    /// <summary>Adaptive pooling of <paramref name="kind"/> (max or average) to 1 … S outputs per dimension.</summary>
    public static Gen<Subject> AdaptivePools(PoolKind kind) =>
        from rank in Rank()
        from input in Input(rank)
        from output in Gen.CollectToArray(input.Spatial.Select(s => Gen.Choose(1, s)))
        select Of(kind == PoolKind.Max ? Layers.AdaptiveMaxPool(Size.Of(output)) : Layers.AdaptiveAvgPool(Size.Of(output)), input);

    /// <summary>Adaptive pooling of <paramref name="kind"/> to one value per channel: global pooling by another name.</summary>
    public static Gen<Subject> GlobalAdaptivePools(PoolKind kind) =>
        from rank in Rank()
        from input in Input(rank)
        select Of(kind == PoolKind.Max ? Layers.AdaptiveMaxPool(1) : Layers.AdaptiveAvgPool(1), input);

    /// <summary>Adaptive pooling whose outputs divide the inputs, so that its windows are equal and do not overlap.</summary>
    public static Gen<Subject> EvenAdaptivePools(PoolKind kind) =>
        from rank in Rank()
        from output in Gen.ArrayOf(Gen.Choose(1, 3), rank)
        from factor in Gen.ArrayOf(Gen.Choose(1, 3), rank)
        from c in Gen.Choose(1, 3)
        let input = Shape.Of([c, .. output.Select((o, i) => o * factor[i])])
        select Of(kind == PoolKind.Max ? Layers.AdaptiveMaxPool(Size.Of(output)) : Layers.AdaptiveAvgPool(Size.Of(output)), input);

    /// <summary>LeNet's subsampling: window 1–3 and a stride that tiles the input exactly.</summary>
    public static Gen<Subject> Subsamplings() =>
        from rank in Rank()
        from window in Gen.Choose(1, 3)
        from stride in Gen.Choose(window, window + 1)
        from steps in Gen.ArrayOf(Gen.Choose(2, rank == 3 ? 2 : 4), rank)
        from c in Gen.Choose(1, 3)
        select Of(Layers.Subsampling(window, stride), Shape.Of([c, .. steps.Select(n => window + n * stride)]));

    // ---- layers without windows ---------------------------------------------------------------------

    /// <summary>Activations of every function (finite α), on spatial or flat inputs.</summary>
    public static Gen<Subject> Activations() =>
        from fn in Gen.Elements(Enum.GetValues<ActivationFunction>())
        from alpha in Gen.Choose(1, 30)
        from input in AnyInput()
        select Of(Layers.Activation(fn, alpha / 100.0), input);

    /// <summary>Softmax and log-softmax over the channels.</summary>
    public static Gen<Subject> Softmaxes() =>
        from log in Gen.Elements(true, false)
        from input in AnyInput()
        select Of(log ? Layers.LogSoftmax() : Layers.Softmax(), input);

    /// <summary>Local response normalisation with sizes 1–5 (Krizhevsky's constants otherwise).</summary>
    public static Gen<Subject> LocalResponseNorms() =>
        from n in Gen.Choose(1, 5)
        from rank in Rank()
        from input in Input(rank)
        select Of(Layers.LocalResponseNorm(n), input);

    /// <summary>Batch normalisation (affine or not) on spatial or flat inputs.</summary>
    public static Gen<Subject> BatchNorms() =>
        from affine in Gen.Elements(true, false)
        from epsilon in Gen.Elements(1e-5, 1e-3)
        from input in AnyInput()
        select Of(Layers.BatchNorm(epsilon, 0.1, affine), input);

    /// <summary>Layer, instance and group normalisation.</summary>
    public static Gen<Subject> PerExampleNorms() =>
        from rank in Rank()
        from input in Input(rank)
        from which in Gen.Choose(0, 2)
        from groups in Gen.Elements(ValidLayerGenerators.Divisors(input.Channels))
        select Of(which switch { 0 => Layers.LayerNorm(), 1 => Layers.InstanceNorm(), _ => Layers.GroupNorm(groups) }, input);

    /// <summary>Dropout (rate 0.1 … 0.8), element-wise on any input or channel-wise on spatial ones.</summary>
    public static Gen<Subject> Dropouts() =>
        from tenths in Gen.Choose(1, 8)
        from spatial in Gen.Elements(true, false)
        from input in spatial ? Rank().SelectMany(r => Input(r)) : AnyInput()
        select Of(spatial ? Layers.SpatialDropout(tenths / 10.0) : Layers.Dropout(tenths / 10.0), input);

    /// <summary>Fully connected layers (and binary-weight ones) on flat inputs of 1 … 16 features.</summary>
    public static Gen<Subject> Denses() =>
        from features in Gen.Choose(1, 16)
        from units in Gen.Choose(1, 8)
        from bias in Gen.Elements(true, false)
        from binary in Gen.Frequency((3, Gen.Constant(false)), (1, Gen.Constant(true)))
        select Of(binary ? Layers.BinaryDense(units, bias) : Layers.Dense(units, bias), Shape.Vector(features));

    /// <summary>Flatten on a spatial input.</summary>
    public static Gen<Subject> Flattens() => Rank().SelectMany(r => Input(r)).Select(input => Of(Layers.Flatten(), input));

    /// <summary>
    /// A layer of any kind valid for a small input (<see cref="ValidLayerGenerators.For"/>: every kind the library has, with
    /// hyperparameters that fit), spatial or flat.
    /// </summary>
    public static Gen<Subject> AnyLayer() =>
        from input in AnyInput()
        from step in ValidLayerGenerators.For(input)
        select Of(step.Layer, input);

    private static Gen<Shape> AnyInput() => Gen.Frequency((4, Rank().SelectMany(r => Input(r))), (1, Gen.Choose(1, 12).Select(Shape.Vector)));

    // ---- small graphs -------------------------------------------------------------------------------

    /// <summary>
    /// Chains of 2 to 4 layers that each have a translation geometry: convolutions (zero-padded or circular, 'same' or
    /// valid), activations, batch norm, max and average pooling, depthwise-separable convolutions.
    /// </summary>
    public static Gen<Subject> Chains() =>
        from rank in Gen.Elements(1, 2)
        from input in Input(rank, rank == 1 ? 10 : 8)
        from count in Gen.Choose(2, 4)
        from graph in ChainOf(Graph.Create("chain", input), count)
        select Subject.For(graph);

    private static readonly Layer[] ChainLayers =
    [
        Layers.Conv(3, 3, padding: Padding.Same), Layers.Conv(2, 3), Layers.Conv(2, 3, padding: 1, paddingMode: PaddingMode.Circular),
        Layers.Conv(2, 2, stride: 2, rounding: Rounding.Floor), Layers.Relu(), Layers.BatchNorm(), Layers.MaxPool(2, rounding: Rounding.Floor),
        Layers.AvgPool(3, 1, padding: 1), Layers.DepthwiseSeparableConv(2, 3, padding: Padding.Same),
    ];

    // Each step picks among the layers that are valid after the chain so far, so every chain is valid by construction.
    private static Gen<Graph> ChainOf(Graph graph, int count)
    {
        if (count == 0) return Gen.Constant(graph);
        var valid = ChainLayers.Where(l => graph.Then("probe", l).Validate().Count == 0).ToArray();
        return valid.Length == 0 ? Gen.Constant(graph)
            : Gen.Elements(valid).SelectMany(l => ChainOf(graph.Then($"layer{graph.Nodes.Count}", l), count - 1));
    }

    /// <summary>Nets that end in global pooling of <paramref name="kind"/> (then maybe a dense layer), after circular 'same' convolutions and activations that tile their input.</summary>
    public static Gen<Subject> CircularGlobalPoolingNets(PoolKind kind) =>
        from rank in Gen.Elements(1, 2)
        from c in Gen.Choose(1, 3)
        from steps in Gen.ArrayOf(Gen.Choose(2, 4), rank)
        from stride in Gen.Choose(1, 2)
        from head in Gen.Elements(true, false)
        let graph = Graph.Create("circular-global", Shape.Of([c, .. steps.Select(n => 2 * n)]))
            .Then("conv1", Layers.Conv(3, 3, padding: Padding.Same, paddingMode: PaddingMode.Circular))
            .Then("relu1", Layers.Relu())
            .Then("conv2", Layers.Conv(2, 3, stride: stride, padding: Padding.Same, paddingMode: PaddingMode.Circular))
            .Then("pool", Layers.GlobalPool(kind))
        select Subject.For(head ? graph.Then("fc", Layers.Dense(3)) : graph);

    /// <summary>Nets of pointwise layers (activation, batch norm, LRN) that end in global pooling of <paramref name="kind"/>.</summary>
    public static Gen<Subject> PointwiseGlobalPoolingNets(PoolKind kind) =>
        from rank in Rank()
        from input in Input(rank)
        from first in Gen.Elements(Layers.Relu(), Layers.Tanh(), Layers.BatchNorm(), Layers.LocalResponseNorm(3), Layers.Softmax())
        select Subject.For(Graph.Create("pointwise-global", input).Then("first", first).Then("pool", Layers.GlobalPool(kind)));

    /// <summary>
    /// Residual blocks y = x + F(x) with an identity shortcut: F is conv → (batch norm) → ReLU → conv → (batch norm), 'same'
    /// padding, channels kept; sometimes depthwise-separable, sometimes a single convolution.
    /// </summary>
    public static Gen<Subject> ResidualBlocks() =>
        from rank in Gen.Elements(1, 2)
        from input in Input(rank, 4)
        from norm in Gen.Elements(true, false)
        from shape in Gen.Choose(0, 2)
        let c = input.Channels
        select Subject.For(ResidualOf(input, shape switch
        {
            0 => norm ? [Layers.Conv(c + 1, 3, padding: Padding.Same), Layers.BatchNorm(), Layers.Relu(), Layers.Conv(c, 3, padding: Padding.Same), Layers.BatchNorm()]
                      : [Layers.Conv(c + 1, 3, padding: Padding.Same), Layers.Relu(), Layers.Conv(c, 3, padding: Padding.Same)],
            1 => [Layers.DepthwiseSeparableConv(c, 3, padding: Padding.Same), Layers.Relu()],
            _ => norm ? [Layers.Conv(c, 1), Layers.BatchNorm()] : [Layers.Conv(c, 3, padding: Padding.Same)],
        }));

    private static Graph ResidualOf(Shape input, Layer[] branch)
    {
        var graph = Graph.Create("residual", input);
        for (var i = 0; i < branch.Length; i++) graph = graph.Then($"branch/layer{i + 1}", branch[i]);
        return graph.AddNode("add", Layers.Add(), "input", graph.Last);
    }

    /// <summary>
    /// Small classifiers with a fully connected head: conv → ReLU → max pool (→ conv → ReLU) → flatten → dense → ReLU
    /// (→ dropout) → dense, on 1- or 2-D inputs: the graphs a fully convolutional conversion applies to.
    /// </summary>
    public static Gen<Subject> Classifiers() =>
        from rank in Gen.Elements(1, 2)
        from input in Input(rank, 6)
        from filters in Gen.Choose(1, 4)
        from second in Gen.Elements(true, false)
        from hidden in Gen.Choose(1, 8)
        from classes in Gen.Choose(1, 4)
        from dropout in Gen.Elements(true, false)
        select Subject.For(ClassifierOf(input, filters, second, hidden, classes, dropout));

    private static Graph ClassifierOf(Shape input, int filters, bool second, int hidden, int classes, bool dropout)
    {
        var graph = Graph.Create("classifier", input)
            .Then("conv1", Layers.Conv(filters, 3, padding: Padding.Same)).Then("relu1", Layers.Relu())
            .Then("pool1", Layers.MaxPool(2, rounding: Rounding.Floor));
        if (second) graph = graph.Then("conv2", Layers.Conv(filters, 2, rounding: Rounding.Floor)).Then("relu2", Layers.Relu());
        graph = graph.Then("flatten", Layers.Flatten()).Then("fc1", Layers.Dense(hidden)).Then("relu3", Layers.Relu());
        if (dropout) graph = graph.Then("drop", Layers.Dropout(0.3));
        return graph.Then("fc2", Layers.Dense(classes));
    }

    /// <summary>Valid chains and DAGs of every layer kind (<see cref="ValidGraphGenerators"/>), as whole-graph subjects.</summary>
    public static Gen<Subject> ValidGraphs() => ValidGraphGenerators.Any().Select(g => Subject.For(g.Graph));
}
