namespace Cnn.Functional.Dsl;

/// <summary>
/// DenseNet (Huang et al., 2017, "Densely Connected Convolutional Networks"), DenseNet-BC exactly as torchvision
/// builds it: every layer of a dense block reads the concatenation of the block's input and all earlier layers'
/// outputs (<see cref="Net.DenseConnect"/>) and adds <c>growth</c> channels; transitions between blocks halve
/// the channels (compression 0.5) and the size. Node paths are torchvision's module names with '.' written '/':
/// <c>features/conv0</c>, <c>features/denseblock1/denselayer1/norm1</c>, <c>features/transition1/conv</c>,
/// <c>features/norm5</c>, <c>classifier</c>.
/// </summary>
public static class DenseNet
{
    /// <summary>
    /// DenseNet-121: growth 32, blocks of 6, 12, 24 and 16 layers, 64 initial features, bottleneck width 4·32.
    /// Channels: 64 + 6·32 = 256 → 128, + 12·32 = 512 → 256, + 24·32 = 1,024 → 512, + 16·32 = 1,024 into the
    /// classifier. 7,978,856 parameters.
    /// </summary>
    [ZooModel("densenet121", "DenseNet-121 (torchvision): 3×224×224, growth 32, blocks 6-12-24-16 (7,978,856 parameters)")]
    public static Graph DenseNet121(int classes = 1000) => Build("densenet121", 32, [6, 12, 24, 16], 64, 4, classes);

    [ZooModel("densenet169", "DenseNet-169 (torchvision): 3×224×224, growth 32, blocks 6-12-32-32 (14,149,480 parameters)")]
    public static Graph DenseNet169(int classes = 1000) => Build("densenet169", 32, [6, 12, 32, 32], 64, 4, classes);

    [ZooModel("densenet201", "DenseNet-201 (torchvision): 3×224×224, growth 32, blocks 6-12-48-32 (20,013,928 parameters)")]
    public static Graph DenseNet201(int classes = 1000) => Build("densenet201", 32, [6, 12, 48, 32], 64, 4, classes);

    /// <summary>DenseNet-161: the wide one, growth 48 and 96 initial features.</summary>
    [ZooModel("densenet161", "DenseNet-161 (torchvision): 3×224×224, growth 48, blocks 6-12-36-24 (28,681,000 parameters)")]
    public static Graph DenseNet161(int classes = 1000) => Build("densenet161", 48, [6, 12, 36, 24], 96, 4, classes);

    /// <summary>
    /// torchvision's <c>DenseNet</c>: the stem (7×7/2 convolution without bias, norm0, relu0, 3×3/2 max pooling),
    /// dense blocks of <paramref name="blockConfig"/>[i] layers with a transition after all but the last, the
    /// final batch norm, ReLU, adaptive average pooling to 1×1 and the linear classifier. Dropout is 0 in
    /// torchvision's models, so there is none.
    /// </summary>
    private static Graph Build(string name, int growth, int[] blockConfig, int initFeatures, int bottleneckSize, int classes)
    {
        // The stem's 7×7/2 (padding 3) and 3×3/2 max pooling (padding 1) give 112.5 and 56.5 exactly: PyTorch floors.
        var features = new List<Block>
        {
            Net.Layer(Layers.Conv(initFeatures, 7, stride: 2, padding: 3, bias: false, rounding: Rounding.Floor), "conv0"),
            Net.Layer(Layers.BatchNorm(), "norm0"),
            Net.Layer(Layers.Relu(), "relu0"),
            Net.Layer(Layers.MaxPool(3, stride: 2, padding: 1, rounding: Rounding.Floor), "pool0"),
        };
        var channels = initFeatures;
        for (var i = 0; i < blockConfig.Length; i++)
        {
            features.Add(Net.Scope($"denseblock{i + 1}", DenseBlock(blockConfig[i], growth, bottleneckSize)));
            channels += blockConfig[i] * growth;
            if (i == blockConfig.Length - 1) break;
            features.Add(Net.Scope($"transition{i + 1}", Transition(channels / 2)));
            channels /= 2;
        }
        features.Add(Net.Layer(Layers.BatchNorm(), "norm5"));
        return Chain.Input(3, 224, 224)
            .Then(Net.Scope("features", Net.SequenceOf(features)))
            .Then(Layers.Relu(), "relu")
            .Then(Layers.AdaptiveAvgPool(1), "avgpool")
            .Then(Layers.Flatten(), "flatten")
            .Then(Layers.Dense(classes), "classifier")
            .ToGraph(name);
    }

    /// <summary>
    /// A dense block of <paramref name="count"/> layers. Each layer is scoped <c>denselayer{j}</c> here, so that
    /// <see cref="Net.DenseConnect"/> keeps torchvision's name instead of its default <c>layer{j}</c>; the
    /// concatenations it inserts have no parameters and no counterpart in torchvision (which concatenates inside
    /// each layer's forward).
    /// </summary>
    private static Block DenseBlock(int count, int growth, int bottleneckSize) =>
        Net.DenseConnectOf(Enumerable.Range(1, count).Select(j => Net.Scope($"denselayer{j}", DenseLayer(growth, bottleneckSize))));

    /// <summary>
    /// The DenseNet-B layer: BN-ReLU-1×1 convolution to <paramref name="bottleneckSize"/>·growth channels, then
    /// BN-ReLU-3×3 convolution (padding 1) to <paramref name="growth"/> channels, both without bias.
    /// </summary>
    private static Block DenseLayer(int growth, int bottleneckSize) => Net.Sequence(
        Net.Layer(Layers.BatchNorm(), "norm1"), Net.Layer(Layers.Relu(), "relu1"),
        Net.Layer(Layers.Conv(bottleneckSize * growth, 1, bias: false), "conv1"),
        Net.Layer(Layers.BatchNorm(), "norm2"), Net.Layer(Layers.Relu(), "relu2"),
        Net.Layer(Layers.Conv(growth, 3, padding: 1, bias: false), "conv2"));

    /// <summary>The transition: BN-ReLU-1×1 convolution to <paramref name="filters"/> channels, 2×2 average pooling.</summary>
    /// <remarks>56 → 28 → 14 → 7: every transition's 2×2/2 pooling tiles exactly, so no rounding is asked for.</remarks>
    private static Block Transition(int filters) => Net.Sequence(
        Net.Layer(Layers.BatchNorm(), "norm"), Net.Layer(Layers.Relu(), "relu"),
        Net.Layer(Layers.Conv(filters, 1, bias: false), "conv"),
        Net.Layer(Layers.AvgPool(2, stride: 2), "pool"));
}
