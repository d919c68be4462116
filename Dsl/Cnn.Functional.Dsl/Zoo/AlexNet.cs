namespace Cnn.Functional.Dsl;

/// <summary>
/// One convolution of an AlexNet and what closes it: local response normalisation (Krizhevsky's layers 1 and 2)
/// and an overlapping 3×3 max pool with stride 2. Shared by the full-precision and the binary AlexNets.
/// </summary>
/// <param name="Filters">Output channels.</param>
/// <param name="Kernel">Square kernel size.</param>
/// <param name="Stride">Stride.</param>
/// <param name="Padding">Zero padding on each side.</param>
/// <param name="Groups">Group convolution: 2 for the layers the original network split between its two GPUs.</param>
/// <param name="LocalResponseNorm">LRN with Krizhevsky's constants after the ReLU.</param>
/// <param name="Pool">A 3×3, stride-2 max pool after everything else.</param>
/// <param name="Rounding">How the convolution treats a size that does not tile (see <see cref="Cnn.Functional.Rounding"/>).</param>
public sealed record AlexNetConv(int Filters, int Kernel, int Stride = 1, int Padding = 0, int Groups = 1,
    bool LocalResponseNorm = false, bool Pool = false, Rounding Rounding = Rounding.Exact)
{
    internal Layer ToConv() => Layers.Conv(Filters, Kernel, Stride, Padding, groups: Groups, rounding: Rounding);

    internal Layer ToBinaryConv(Binarization mode) =>
        Layers.BinaryConv(Filters, Kernel, Stride, Padding, Groups, mode: mode, rounding: Rounding);

    /// <summary>The LRN and pool that close convolution <paramref name="k"/>, if any.</summary>
    internal IEnumerable<Module> Closing(int k)
    {
        if (LocalResponseNorm) yield return new($"norm{k}", Layers.LocalResponseNorm());
        // Overlapping pooling (F = 3, S = 2): 55 → 27 → 13 → 6, each exact.
        if (Pool) yield return new($"pool{k}", Layers.OverlappingMaxPool());
    }
}

/// <summary>
/// AlexNet (Krizhevsky, Sutskever &amp; Hinton, 2012, "ImageNet Classification with Deep Convolutional Neural
/// Networks"): five convolutions with ReLU, three overlapping max pools, then two hidden fully connected layers of
/// 4,096 units with dropout and a 1,000-way output. The paper's two-GPU layout (<c>alexnet_2012</c>), its
/// single-stream counterpart and torchvision's version (<c>alexnet</c>) all come from <see cref="Configuration"/>.
/// </summary>
public static class AlexNet
{
    /// <summary>
    /// torchvision's convolutions (after Krizhevsky's 2014 "One weird trick" single-GPU network): 64-192-384-256-256,
    /// no LRN, no groups.
    /// </summary>
    public static IReadOnlyList<AlexNetConv> TorchvisionConvs { get; } = Array.AsReadOnly<AlexNetConv>(
    [
        // (224 + 2·2 − 11)/4 + 1 = 55.25: stride 4 does not tile 224, so PyTorch floors to 55 (the last partial
        // window is dropped). Every later layer tiles exactly.
        new(64, 11, Stride: 4, Padding: 2, Pool: true, Rounding: Rounding.Floor),
        new(192, 5, Padding: 2, Pool: true),
        new(384, 3, Padding: 1),
        new(256, 3, Padding: 1),
        new(256, 3, Padding: 1, Pool: true),
    ]);

    /// <summary>
    /// The paper's convolutions (section 3.5, Fig. 2) on a 227×227 input: 96-256-384-384-256, LRN after the first
    /// two. With <paramref name="streams"/> = 2, layers 2, 4 and 5 are group convolutions, one group per GPU, and
    /// layer 3 (groups 1) is where the two streams cross; with 1, the "single stream" network.
    /// </summary>
    public static IReadOnlyList<AlexNetConv> KrizhevskyConvs(int streams = 2) => Array.AsReadOnly<AlexNetConv>(
    [
        // (227 − 11)/4 + 1 = 55 exactly; the paper's "224×224" does not tile (54.25), hence Caffe's 227.
        new(96, 11, Stride: 4, LocalResponseNorm: true, Pool: true),
        new(256, 5, Padding: 2, Groups: streams, LocalResponseNorm: true, Pool: true),
        new(384, 3, Padding: 1),
        new(384, 3, Padding: 1, Groups: streams),
        new(256, 3, Padding: 1, Groups: streams, Pool: true),
    ]);

    /// <summary>
    /// torchvision's <c>alexnet</c> on 3×224×224, node paths as its module names (features/0, features/3, features/6,
    /// features/8, features/10, classifier/1, classifier/4, classifier/6). 61,100,840 parameters:
    /// 23,296 + 307,392 + 663,936 + 884,992 + 590,080 + 37,752,832 + 16,781,312 + 4,097,000.
    /// </summary>
    [ZooModel("alexnet", "torchvision AlexNet: 3×224×224, conv 64-192-384-256-256, FC 4096-4096-1000 (61,100,840 parameters)")]
    public static Graph Torchvision(int classes = 1000) =>
        Configuration("alexnet", TorchvisionConvs, LayoutStyle.Torchvision, classes: classes);

    /// <summary>
    /// The paper's network on 3×227×227, the two GPU streams as group convolutions, nodes named as in Caffe's
    /// bvlc_alexnet. 60,965,224 parameters: conv1 96·3·121 + 96 = 34,944; conv2 256·48·25 + 256 = 307,456;
    /// conv3 384·256·9 + 384 = 885,120; conv4 384·192·9 + 384 = 663,936; conv5 256·192·9 + 256 = 442,624;
    /// fc6 9,216·4,096 + 4,096 = 37,752,832; fc7 4,096·4,096 + 4,096 = 16,781,312; fc8 4,096·1,000 + 1,000 = 4,097,000.
    /// </summary>
    [ZooModel("alexnet_2012", "AlexNet as published: 3×227×227, two streams as groups, LRN, FC 4096-4096-1000 (60,965,224 parameters)")]
    public static Graph Krizhevsky2012(int classes = 1000) =>
        Configuration("alexnet_2012", KrizhevskyConvs(streams: 2), LayoutStyle.Paper, classes: classes, imageSize: 227);

    /// <summary>
    /// <see cref="Krizhevsky2012"/> without groups: every convolution sees all channels of the layer below. 62,378,344
    /// parameters: conv2 256·96·25 + 256 = 614,656; conv4 384·384·9 + 384 = 1,327,488; conv5 256·384·9 + 256 = 884,992
    /// (conv1, conv3 and the FC layers as in the two-stream network).
    /// </summary>
    [ZooModel("alexnet_single_stream", "AlexNet as published but without the two-GPU groups (62,378,344 parameters)")]
    public static Graph SingleStream(int classes = 1000) =>
        Configuration("alexnet_single_stream", KrizhevskyConvs(streams: 1), LayoutStyle.Paper, classes: classes, imageSize: 227);

    /// <summary>
    /// A full-precision AlexNet from its convolutions: each convolution → ReLU → its LRN and pool, if any,
    /// then two hidden FC layers of <paramref name="hidden"/> units with ReLU and dropout, and the output layer.
    /// Dropout goes where each source puts it: the paper drops the outputs of the two hidden layers ("we use dropout
    /// in the first two fully-connected layers", section 4.2; Caffe's drop6/drop7 follow relu6/relu7), while
    /// torchvision drops the inputs of fc6 and fc7.
    /// </summary>
    /// <param name="name">The graph's name.</param>
    /// <param name="convs">The convolutions, e.g. <see cref="TorchvisionConvs"/>.</param>
    /// <param name="style">Node names, head and dropout placement; torchvision's avgpool is 6×6.</param>
    /// <param name="hidden">Units of fc6 and fc7.</param>
    /// <param name="classes">Units of fc8.</param>
    /// <param name="dropout">Dropout rate.</param>
    /// <param name="imageSize">Height and width of the RGB input.</param>
    /// <exception cref="GraphException">The convolutions do not fit the input.</exception>
    public static Graph Configuration(string name, IEnumerable<AlexNetConv> convs, LayoutStyle style = LayoutStyle.Torchvision,
        int hidden = 4096, int classes = 1000, double dropout = 0.5, int imageSize = 224)
    {
        var features = convs.SelectMany((c, i) => (IEnumerable<Module>)
            [new($"conv{i + 1}", c.ToConv()), new($"relu{i + 1}", Layers.Relu()), .. c.Closing(i + 1)]);

        IEnumerable<Module> Hidden(int k)
        {
            Module fc = new($"fc{k}", Layers.Dense(hidden)), relu = new($"relu{k}", Layers.Relu()), drop = new($"drop{k}", Layers.Dropout(dropout));
            return style == LayoutStyle.Torchvision ? [drop, fc, relu] : [fc, relu, drop];
        }

        Module[] classifier = [.. Hidden(6), .. Hidden(7), new("fc8", Layers.Dense(classes))];
        return ClassicLayout.Build(name, Shape.Image(3, imageSize, imageSize), style, features, 6, classifier);
    }
}
