namespace Cnn.Functional.Dsl;

/// <summary>
/// ResNet (He et al., 2015, "Deep Residual Learning for Image Recognition") and ResNeXt (Xie et al., 2017,
/// "Aggregated Residual Transformations for Deep Neural Networks"), exactly as torchvision builds them, from one
/// generator. Node paths are torchvision's module names with '.' written '/': <c>conv1</c>, <c>bn1</c>,
/// <c>layer1/0/conv1</c>, <c>layer2/0/downsample/0</c>, <c>fc</c>, so weights map one-to-one onto its state dict.
/// </summary>
/// <remarks>
/// Every stride-2 layer uses <see cref="Rounding.Floor"/>, as PyTorch does: none of them tiles its input exactly
/// (the stem's 7×7/2 with padding 3 gives (224 + 6 − 7)/2 + 1 = 112.5, its 3×3/2 max pooling with padding 1 gives
/// 56.5, a stage's first 3×3/2 with padding 1 on 56×56 gives 28.5 and its 1×1/2 projection 28.5), and torchvision
/// relies on PyTorch dropping the half.
/// </remarks>
public static class ResNet
{
    [ZooModel("resnet18", "ResNet-18 (torchvision): 3×224×224, basic blocks 2-2-2-2 (11,689,512 parameters)")]
    public static Graph ResNet18(int classes = 1000) => Build("resnet18", Basic, [2, 2, 2, 2], classes);

    [ZooModel("resnet34", "ResNet-34 (torchvision): 3×224×224, basic blocks 3-4-6-3 (21,797,672 parameters)")]
    public static Graph ResNet34(int classes = 1000) => Build("resnet34", Basic, [3, 4, 6, 3], classes);

    [ZooModel("resnet50", "ResNet-50 v1.5 (torchvision): 3×224×224, bottleneck blocks 3-4-6-3 (25,557,032 parameters)")]
    public static Graph ResNet50(int classes = 1000) => Build("resnet50", Bottleneck(1, 64), [3, 4, 6, 3], classes);

    [ZooModel("resnet101", "ResNet-101 v1.5 (torchvision): 3×224×224, bottleneck blocks 3-4-23-3 (44,549,160 parameters)")]
    public static Graph ResNet101(int classes = 1000) => Build("resnet101", Bottleneck(1, 64), [3, 4, 23, 3], classes);

    [ZooModel("resnet152", "ResNet-152 v1.5 (torchvision): 3×224×224, bottleneck blocks 3-8-36-3 (60,192,808 parameters)")]
    public static Graph ResNet152(int classes = 1000) => Build("resnet152", Bottleneck(1, 64), [3, 8, 36, 3], classes);

    /// <summary>
    /// ResNeXt-50 (32×4d): ResNet-50 whose bottleneck 3×3 is a group convolution of cardinality 32 with 4 channels
    /// per group in the first stage (width 128 there, doubling per stage).
    /// </summary>
    [ZooModel("resnext50_32x4d", "ResNeXt-50 32×4d (torchvision): 3×224×224, cardinality 32 (25,028,904 parameters)")]
    public static Graph ResNeXt50_32x4d(int classes = 1000) => Build("resnext50_32x4d", Bottleneck(32, 4), [3, 4, 6, 3], classes);

    /// <summary>ResNeXt-101 (32×8d): cardinality 32 with 8 channels per group in the first stage (width 256 there).</summary>
    [ZooModel("resnext101_32x8d", "ResNeXt-101 32×8d (torchvision): 3×224×224, cardinality 32 (88,791,336 parameters)")]
    public static Graph ResNeXt101_32x8d(int classes = 1000) => Build("resnext101_32x8d", Bottleneck(32, 8), [3, 4, 23, 3], classes);

    /// <summary>Which residual block a ResNet stacks; <see cref="Expansion"/> is output over input planes.</summary>
    private sealed record Unit(bool IsBottleneck, int Groups, int WidthPerGroup)
    {
        public int Expansion => IsBottleneck ? 4 : 1;
    }

    // The basic block (ResNet-18/34): two 3×3 convolutions.
    private static readonly Unit Basic = new(false, 1, 64);

    // The bottleneck (ResNet-50 and up, ResNeXt): 1×1 reduce, 3×3 (grouped for ResNeXt), 1×1 expand by 4.
    private static Unit Bottleneck(int groups, int widthPerGroup) => new(true, groups, widthPerGroup);

    /// <summary>
    /// torchvision's <c>ResNet</c>: the stem (7×7/2 convolution without bias, batch norm, ReLU, 3×3/2 max pooling),
    /// four stages of <paramref name="blocks"/> residual blocks on 64, 128, 256 and 512 planes (the last three
    /// halving the size), adaptive average pooling to 1×1 and the classifier.
    /// </summary>
    private static Graph Build(string name, Unit unit, int[] blocks, int classes)
    {
        var chain = Chain.Input(3, 224, 224)
            .Then(Layers.Conv(64, 7, stride: 2, padding: 3, bias: false, rounding: Rounding.Floor), "conv1")
            .Then(Layers.BatchNorm(), "bn1")
            .Then(Layers.Relu(), "relu")
            .Then(Layers.MaxPool(3, stride: 2, padding: 1, rounding: Rounding.Floor), "maxpool");
        var inPlanes = 64;
        for (var stage = 0; stage < blocks.Length; stage++)
        {
            var planes = 64 << stage;
            chain = chain.Then(Net.Scope($"layer{stage + 1}", Stage(unit, inPlanes, planes, blocks[stage], stride: stage == 0 ? 1 : 2)));
            inPlanes = planes * unit.Expansion;
        }
        return chain
            .Then(Layers.AdaptiveAvgPool(1), "avgpool")
            .Then(Layers.Flatten(), "flatten")
            .Then(Layers.Dense(classes), "fc")
            .ToGraph(name);
    }

    /// <summary>torchvision's <c>_make_layer</c>: blocks 0…count−1; only block 0 strides and changes the width.</summary>
    private static Block Stage(Unit unit, int inPlanes, int planes, int count, int stride) =>
        Net.SequenceOf(Enumerable.Range(0, count).Select(i =>
            Net.Scope($"{i}", ResidualBlock(unit, i == 0 ? inPlanes : planes * unit.Expansion, planes, i == 0 ? stride : 1))));

    /// <summary>
    /// One block, relu(F(x) + shortcut(x)). The shortcut is the identity unless the block strides or changes the
    /// width; then it is torchvision's <c>downsample</c>: a strided 1×1 convolution (0) and batch norm (1).
    /// </summary>
    private static Block ResidualBlock(Unit unit, int inPlanes, int planes, int stride)
    {
        var outPlanes = planes * unit.Expansion;
        var downsample = stride != 1 || inPlanes != outPlanes
            ? Net.Scope("downsample", Net.Sequence(
                Net.Layer(Layers.Conv(outPlanes, 1, stride: stride, bias: false, rounding: Rounding.Floor), "0"),
                Net.Layer(Layers.BatchNorm(), "1")))
            : null;
        return Net.Sequence(Net.Residual(unit.IsBottleneck ? BottleneckBody(unit, planes, stride) : BasicBody(planes, stride), downsample),
            Net.Layer(Layers.Relu(), "relu"));
    }

    private static Block BasicBody(int planes, int stride) => Net.Sequence(
        Net.Layer(Conv3x3(planes, stride, 1), "conv1"), Net.Layer(Layers.BatchNorm(), "bn1"), Layers.Relu(),
        Net.Layer(Conv3x3(planes, 1, 1), "conv2"), Net.Layer(Layers.BatchNorm(), "bn2"));

    /// <summary>
    /// The bottleneck of torchvision (ResNet v1.5): the stride sits on the 3×3 convolution, not on the first 1×1 as
    /// in the paper. Its width is ⌊planes · widthPerGroup/64⌋ · groups: planes for ResNet, 2·planes for ResNeXt 32×4d.
    /// </summary>
    private static Block BottleneckBody(Unit unit, int planes, int stride)
    {
        var width = planes * unit.WidthPerGroup / 64 * unit.Groups;
        return Net.Sequence(
            Net.Layer(Layers.Conv(width, 1, bias: false), "conv1"), Net.Layer(Layers.BatchNorm(), "bn1"), Layers.Relu(),
            Net.Layer(Conv3x3(width, stride, unit.Groups), "conv2"), Net.Layer(Layers.BatchNorm(), "bn2"), Layers.Relu(),
            Net.Layer(Layers.Conv(planes * unit.Expansion, 1, bias: false), "conv3"), Net.Layer(Layers.BatchNorm(), "bn3"));
    }

    // A 3×3 convolution with padding 1 and no bias (batch norm follows); floor rounding only matters at stride 2.
    private static Layer Conv3x3(int filters, int stride, int groups) =>
        Layers.Conv(filters, 3, stride: stride, padding: 1, groups: groups, bias: false, rounding: Rounding.Floor);
}
