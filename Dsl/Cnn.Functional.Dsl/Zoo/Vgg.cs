namespace Cnn.Functional.Dsl;

/// <summary>One convolution of a VGG configuration: "conv⟨kernel⟩-⟨filters⟩" in the paper's Table 1.</summary>
/// <param name="Kernel">3, or 1 for configuration C's 1×1 layers.</param>
/// <param name="Filters">Output channels.</param>
public sealed record VggConv(int Kernel, int Filters)
{
    /// <summary>conv3-<paramref name="filters"/>: 3×3, padding 1, so the size is kept.</summary>
    public static VggConv Conv3(int filters) => new(3, filters);

    /// <summary>conv1-<paramref name="filters"/>: 1×1 (configuration C), no padding.</summary>
    public static VggConv Conv1(int filters) => new(1, filters);

    public override string ToString() => $"conv{Kernel}-{Filters}";
}

/// <summary>
/// VGG (Simonyan &amp; Zisserman, 2014, "Very Deep Convolutional Networks for Large-Scale Image Recognition"):
/// stacks of small convolutions with stride 1 and "same" padding, each followed by ReLU, five 2×2 max pools with
/// stride 2 (224 → 7), then FC-4096, FC-4096, FC-1000. Every variant comes from <see cref="Configuration"/>:
/// the paper's columns A–E of Table 1 (the lecture's table) and torchvision's vgg11/13/16/19 with and without
/// batch normalisation, which are columns A, B, D and E.
/// </summary>
public static class Vgg
{
    // ---- the paper's Table 1: one inner list per stage, each stage ending in a 2×2 max pool --------

    /// <summary>Column A, 11 weight layers (torchvision's vgg11).</summary>
    public static IReadOnlyList<IReadOnlyList<VggConv>> ColumnA { get; } = Stages([64], [128], [256, 256], [512, 512], [512, 512]);

    /// <summary>Column B, 13 weight layers (torchvision's vgg13).</summary>
    public static IReadOnlyList<IReadOnlyList<VggConv>> ColumnB { get; } = Stages([64, 64], [128, 128], [256, 256], [512, 512], [512, 512]);

    /// <summary>Column C, 16 weight layers: B with a conv1 layer (1×1) closing each of the last three stages.</summary>
    public static IReadOnlyList<IReadOnlyList<VggConv>> ColumnC { get; } =
        ReadOnly([.. ColumnB.Take(2), .. ColumnB.Skip(2).Select(stage => ReadOnly([.. stage, VggConv.Conv1(stage[0].Filters)]))]);

    /// <summary>Column D, 16 weight layers (VGG-16, torchvision's vgg16).</summary>
    public static IReadOnlyList<IReadOnlyList<VggConv>> ColumnD { get; } =
        Stages([64, 64], [128, 128], [256, 256, 256], [512, 512, 512], [512, 512, 512]);

    /// <summary>Column E, 19 weight layers (VGG-19, torchvision's vgg19).</summary>
    public static IReadOnlyList<IReadOnlyList<VggConv>> ColumnE { get; } =
        Stages([64, 64], [128, 128], [256, 256, 256, 256], [512, 512, 512, 512], [512, 512, 512, 512]);

    // ---- the paper's columns (Table 2: 133, 133, 133, 134, 138, 144 million parameters) -------------

    [ZooModel("vgg_a", "VGG configuration A (Simonyan & Zisserman, Table 1): 8 conv + 3 FC, 224×224 (132,863,336 parameters)")]
    public static Graph A(int classes = 1000) => Configuration("vgg_a", ColumnA, LayoutStyle.Paper, classes: classes);

    /// <summary>Column A with local response normalisation after the first layer (Krizhevsky's constants, as the paper says).</summary>
    [ZooModel("vgg_a_lrn", "VGG configuration A-LRN: A with LRN after conv1_1 (132,863,336 parameters)")]
    public static Graph ALrn(int classes = 1000) => Configuration("vgg_a_lrn", ColumnA, LayoutStyle.Paper, localResponseNorm: true, classes: classes);

    [ZooModel("vgg_b", "VGG configuration B: 10 conv + 3 FC (133,047,848 parameters)")]
    public static Graph B(int classes = 1000) => Configuration("vgg_b", ColumnB, LayoutStyle.Paper, classes: classes);

    [ZooModel("vgg_c", "VGG configuration C: B plus three conv1 (1×1) layers (133,638,952 parameters)")]
    public static Graph C(int classes = 1000) => Configuration("vgg_c", ColumnC, LayoutStyle.Paper, classes: classes);

    [ZooModel("vgg_d", "VGG configuration D (VGG-16): 13 conv + 3 FC (138,357,544 parameters)")]
    public static Graph D(int classes = 1000) => Configuration("vgg_d", ColumnD, LayoutStyle.Paper, classes: classes);

    [ZooModel("vgg_e", "VGG configuration E (VGG-19): 16 conv + 3 FC (143,667,240 parameters)")]
    public static Graph E(int classes = 1000) => Configuration("vgg_e", ColumnE, LayoutStyle.Paper, classes: classes);

    // ---- torchvision (its cfgs "A", "B", "D", "E"), with and without batch normalisation --------------

    [ZooModel("vgg11", "torchvision vgg11: configuration A (132,863,336 parameters)")]
    public static Graph Vgg11(int classes = 1000) => Configuration("vgg11", ColumnA, classes: classes);

    [ZooModel("vgg13", "torchvision vgg13: configuration B (133,047,848 parameters)")]
    public static Graph Vgg13(int classes = 1000) => Configuration("vgg13", ColumnB, classes: classes);

    [ZooModel("vgg16", "torchvision vgg16: configuration D (138,357,544 parameters)")]
    public static Graph Vgg16(int classes = 1000) => Configuration("vgg16", ColumnD, classes: classes);

    [ZooModel("vgg19", "torchvision vgg19: configuration E (143,667,240 parameters)")]
    public static Graph Vgg19(int classes = 1000) => Configuration("vgg19", ColumnE, classes: classes);

    [ZooModel("vgg11_bn", "torchvision vgg11_bn: configuration A, batch norm after each conv (132,868,840 parameters)")]
    public static Graph Vgg11BatchNorm(int classes = 1000) => Configuration("vgg11_bn", ColumnA, batchNorm: true, classes: classes);

    [ZooModel("vgg13_bn", "torchvision vgg13_bn: configuration B, batch norm after each conv (133,053,736 parameters)")]
    public static Graph Vgg13BatchNorm(int classes = 1000) => Configuration("vgg13_bn", ColumnB, batchNorm: true, classes: classes);

    [ZooModel("vgg16_bn", "torchvision vgg16_bn: configuration D, batch norm after each conv (138,365,992 parameters)")]
    public static Graph Vgg16BatchNorm(int classes = 1000) => Configuration("vgg16_bn", ColumnD, batchNorm: true, classes: classes);

    [ZooModel("vgg19_bn", "torchvision vgg19_bn: configuration E, batch norm after each conv (143,678,248 parameters)")]
    public static Graph Vgg19BatchNorm(int classes = 1000) => Configuration("vgg19_bn", ColumnE, batchNorm: true, classes: classes);

    /// <summary>
    /// A VGG network from its stages of convolutions (e.g. <see cref="ColumnD"/>): per convolution
    /// conv → [batch norm] → ReLU (→ LRN after the very first, for A-LRN), a 2×2/2 max pool closing each stage,
    /// then FC-4096 → ReLU → dropout 0.5 → FC-4096 → ReLU → dropout 0.5 → FC-<paramref name="classes"/>
    /// (the paper regularises "the first two fully-connected layers" by dropout; torchvision places it the same way).
    /// In the paper style, nodes take the released Caffe model's names (conv3_2, relu3_2, pool3, fc6, drop6, …).
    /// </summary>
    /// <param name="name">The graph's name.</param>
    /// <param name="stages">The convolutions of each stage.</param>
    /// <param name="style">Node names and head; see <see cref="LayoutStyle"/>. torchvision's avgpool is 7×7.</param>
    /// <param name="batchNorm">Batch normalisation between each convolution and its ReLU (torchvision's *_bn).</param>
    /// <param name="localResponseNorm">LRN after the first convolution's ReLU (configuration A-LRN).</param>
    /// <param name="classes">Units of the last layer.</param>
    /// <param name="imageSize">Height and width of the RGB input. Each pool halves it exactly, so it must be a
    /// multiple of 2^(stages) (224 = 7·32): a size that does not tile is reported, not rounded.</param>
    /// <exception cref="GraphException">The input does not tile, or a stage is empty.</exception>
    public static Graph Configuration(string name, IEnumerable<IEnumerable<VggConv>> stages, LayoutStyle style = LayoutStyle.Torchvision,
        bool batchNorm = false, bool localResponseNorm = false, int classes = 1000, int imageSize = 224)
    {
        var features = new List<Module>();
        var s = 0;
        foreach (var stage in stages)
        {
            s++;
            var i = 0;
            foreach (var conv in stage)
            {
                var id = $"{s}_{++i}";
                // Padding K/2 keeps the size: 1 for 3×3 ("the padding is 1 pixel for 3×3 conv. layers"), 0 for 1×1.
                features.Add(new($"conv{id}", Layers.Conv(conv.Filters, conv.Kernel, padding: conv.Kernel / 2)));
                if (batchNorm) features.Add(new($"bn{id}", Layers.BatchNorm()));
                features.Add(new($"relu{id}", Layers.Relu()));
                if (localResponseNorm && s == 1 && i == 1) features.Add(new("norm1", Layers.LocalResponseNorm()));
            }
            if (i == 0) throw new GraphException(new GraphError(name, "vgg", $"stage {s} has no convolution; every stage needs at least one"));
            features.Add(new($"pool{s}", Layers.MaxPool(2)));
        }

        Module[] classifier =
        [
            new("fc6", Layers.Dense(4096)), new("relu6", Layers.Relu()), new("drop6", Layers.Dropout()),
            new("fc7", Layers.Dense(4096)), new("relu7", Layers.Relu()), new("drop7", Layers.Dropout()),
            new("fc8", Layers.Dense(classes)),
        ];
        return ClassicLayout.Build(name, Shape.Image(3, imageSize, imageSize), style, features, 7, classifier);
    }

    private static IReadOnlyList<IReadOnlyList<VggConv>> Stages(params int[][] filters) =>
        ReadOnly(filters.Select(stage => ReadOnly(stage.Select(VggConv.Conv3).ToArray())).ToArray());

    private static IReadOnlyList<T> ReadOnly<T>(T[] items) => Array.AsReadOnly(items);
}
