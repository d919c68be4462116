namespace Cnn.Functional.Dsl;

/// <summary>The three base networks of Springenberg et al. (2015), Table 1.</summary>
public enum AllCnnModel
{
    /// <summary>One 5×5 convolution per block.</summary>
    A,

    /// <summary>A 5×5 convolution followed by a 1×1 convolution per block.</summary>
    B,

    /// <summary>Two 3×3 convolutions per block.</summary>
    C,
}

/// <summary>How a network of the family reduces the spatial size (Springenberg et al., Table 2).</summary>
public enum AllCnnVariant
{
    /// <summary>"Model": 3×3 max pooling, stride 2, after each block.</summary>
    Pooling,

    /// <summary>"Strided-CNN": the pooling removed, the block's last convolution given stride 2.</summary>
    Strided,

    /// <summary>"ConvPool-CNN": an extra 3×3 convolution before each pooling (the size control for ALL-CNN).</summary>
    ConvPool,

    /// <summary>"ALL-CNN": each pooling replaced by a 3×3 convolution with stride 2.</summary>
    AllConvolutional,
}

/// <summary>
/// The All Convolutional Net family (Springenberg, Dosovitskiy, Brox &amp; Riedmiller, 2015, "Striving for
/// Simplicity: The All Convolutional Net", Tables 1–2; the lecture's CIFAR-10 table): 3×32×32 images,
/// 20% dropout on the input and 50% after each pooling layer (or the layer that replaces it), two blocks at
/// 96 and 192 filters, then a valid 3×3 convolution of 192 (8×8 → 6×6), a 1×1 of 192 and a 1×1 of 10 class
/// maps, each followed by ReLU, global averaging over 6×6 and a softmax.
/// </summary>
/// <remarks>
/// Zoo names follow the paper's model names, so <c>ModelZoo.Get("ALL-CNN-C")</c> is <c>allcnn_c</c> and
/// <c>"Strided-CNN-A"</c> is <c>strided_cnn_a</c>; the base models are <c>allcnn_model_a</c> … (the zoo ignores
/// '_' in names, so <c>all_cnn_a</c> could not be a different model from <c>allcnn_a</c>).
/// The lecture's ≈ figures (0.9M, 1M, 1.3M for the models, 1.28M, 1.35M, 1.4M for ConvPool and ALL) are
/// above what the tables' layers give (839,242; 885,610; 954,730 and 1,254,250; 1,300,618; 1,369,738) and
/// not consistent with each other: ConvPool and ALL add the same two layers to every base model
/// (3×3 96→96 and 3×3 192→192, 415,008 parameters), yet the quoted gaps are 0.38M, 0.35M and 0.1M.
/// </remarks>
public static class AllCnn
{
    /// <summary>Base model A (max pooling): 839,242 parameters.</summary>
    [ZooModel("allcnn_model_a", "All-CNN paper's base Model A: 5×5 convolutions and max pooling, 3×32×32 → 10 (839,242 parameters)")]
    public static Graph ModelA(int classes = 10) => Build(AllCnnModel.A, AllCnnVariant.Pooling, classes);

    /// <summary>Base model B (max pooling): 885,610 parameters.</summary>
    [ZooModel("allcnn_model_b", "All-CNN paper's base Model B: 5×5 and 1×1 convolutions and max pooling, 3×32×32 → 10 (885,610 parameters)")]
    public static Graph ModelB(int classes = 10) => Build(AllCnnModel.B, AllCnnVariant.Pooling, classes);

    /// <summary>Base model C (max pooling): 954,730 parameters.</summary>
    [ZooModel("allcnn_model_c", "All-CNN paper's base Model C: 3×3 convolutions and max pooling, 3×32×32 → 10 (954,730 parameters)")]
    public static Graph ModelC(int classes = 10) => Build(AllCnnModel.C, AllCnnVariant.Pooling, classes);

    /// <summary>Strided-CNN-A: Model A without pooling, stride 2 in the 5×5 convolutions; 839,242 parameters.</summary>
    [ZooModel("strided_cnn_a", "Strided-CNN-A: Model A with stride-2 convolutions instead of pooling (839,242 parameters)")]
    public static Graph StridedA(int classes = 10) => Build(AllCnnModel.A, AllCnnVariant.Strided, classes);

    /// <summary>Strided-CNN-B: Model B without pooling, stride 2 in the 1×1 convolutions; 885,610 parameters.</summary>
    [ZooModel("strided_cnn_b", "Strided-CNN-B: Model B with stride-2 convolutions instead of pooling (885,610 parameters)")]
    public static Graph StridedB(int classes = 10) => Build(AllCnnModel.B, AllCnnVariant.Strided, classes);

    /// <summary>Strided-CNN-C: Model C without pooling, stride 2 in each block's second 3×3 convolution; 954,730 parameters.</summary>
    [ZooModel("strided_cnn_c", "Strided-CNN-C: Model C with stride-2 convolutions instead of pooling (954,730 parameters)")]
    public static Graph StridedC(int classes = 10) => Build(AllCnnModel.C, AllCnnVariant.Strided, classes);

    /// <summary>ConvPool-CNN-A: Model A with a 3×3 convolution before each pooling; 1,254,250 parameters.</summary>
    [ZooModel("convpool_cnn_a", "ConvPool-CNN-A: Model A with an extra 3×3 convolution before each pooling (1,254,250 parameters)")]
    public static Graph ConvPoolA(int classes = 10) => Build(AllCnnModel.A, AllCnnVariant.ConvPool, classes);

    /// <summary>ConvPool-CNN-B: Model B with a 3×3 convolution before each pooling; 1,300,618 parameters.</summary>
    [ZooModel("convpool_cnn_b", "ConvPool-CNN-B: Model B with an extra 3×3 convolution before each pooling (1,300,618 parameters)")]
    public static Graph ConvPoolB(int classes = 10) => Build(AllCnnModel.B, AllCnnVariant.ConvPool, classes);

    /// <summary>ConvPool-CNN-C: Model C with a 3×3 convolution before each pooling; 1,369,738 parameters.</summary>
    [ZooModel("convpool_cnn_c", "ConvPool-CNN-C: Model C with an extra 3×3 convolution before each pooling (1,369,738 parameters)")]
    public static Graph ConvPoolC(int classes = 10) => Build(AllCnnModel.C, AllCnnVariant.ConvPool, classes);

    /// <summary>ALL-CNN-A: Model A with each pooling replaced by a 3×3 stride-2 convolution; 1,254,250 parameters.</summary>
    [ZooModel("allcnn_a", "ALL-CNN-A: Model A with each pooling replaced by a stride-2 3×3 convolution, 3×32×32 → 10 (1,254,250 parameters)")]
    public static Graph AllA(int classes = 10) => Build(AllCnnModel.A, AllCnnVariant.AllConvolutional, classes);

    /// <summary>ALL-CNN-B: Model B with each pooling replaced by a 3×3 stride-2 convolution; 1,300,618 parameters.</summary>
    [ZooModel("allcnn_b", "ALL-CNN-B: Model B with each pooling replaced by a stride-2 3×3 convolution, 3×32×32 → 10 (1,300,618 parameters)")]
    public static Graph AllB(int classes = 10) => Build(AllCnnModel.B, AllCnnVariant.AllConvolutional, classes);

    /// <summary>ALL-CNN-C, the paper's headline network (9.08% CIFAR-10 error without augmentation): 1,369,738 parameters.</summary>
    [ZooModel("allcnn_c", "ALL-CNN-C: Model C with each pooling replaced by a stride-2 3×3 convolution, 3×32×32 → 10 (1,369,738 parameters)")]
    public static Graph AllC(int classes = 10) => Build(AllCnnModel.C, AllCnnVariant.AllConvolutional, classes);

    /// <summary>
    /// Any member of the family: base <paramref name="model"/> A, B or C reduced by <paramref name="variant"/>,
    /// on a 3×32×32 input with <paramref name="classes"/> class maps. Layers are named conv1, relu1, … in order.
    /// </summary>
    public static Graph Build(AllCnnModel model, AllCnnVariant variant, int classes = 10)
    {
        var chain = Chain.Input(3, 32, 32).Dropout(0.2);
        chain = Block(chain, model, variant, 96);
        chain = Block(chain, model, variant, 192);
        // 8×8 → 6×6 with a valid 3×3 convolution: the "global averaging over 6×6" of Table 1.
        chain = chain.Conv(192, 3).Relu().Conv(192, 1).Relu().Conv(classes, 1).Relu().GlobalAvgPool().Softmax();
        return chain.ToGraph(Name(model, variant));
    }

    /// <summary>One block at <paramref name="filters"/> filters, halving the size (32 → 16 → 8) as the variant says.</summary>
    private static Chain Block(Chain chain, AllCnnModel model, AllCnnVariant variant, int filters)
    {
        // Table 1's convolutions of the block, as (kernel, padding) with "same" padding.
        (int Kernel, int Padding)[] convs = model switch
        {
            AllCnnModel.A => [(5, 2)],
            AllCnnModel.B => [(5, 2), (1, 0)],
            AllCnnModel.C => [(3, 1), (3, 1)],
            _ => throw new ArgumentOutOfRangeException(nameof(model), model, "the All-CNN base models are A, B and C"),
        };
        for (var i = 0; i < convs.Length; i++)
        {
            var (kernel, padding) = convs[i];
            var strided = variant == AllCnnVariant.Strided && i == convs.Length - 1;
            // Stride 2 does not tile 32 or 16 with these kernels ((32 + 2·2 − 5)/2 + 1 = 16.5): floor, as PyTorch.
            chain = strided
                ? chain.Conv(filters, kernel, stride: 2, padding: padding, rounding: Rounding.Floor).Relu()
                : chain.Conv(filters, kernel, padding: padding).Relu();
        }
        // Pooling and the convolution that replaces it share one geometry, 3×3 / 2 with padding 1, floored
        // ((32 + 2 − 3)/2 + 1 = 16.5 → 16), so every variant reaches 8×8 before the top layers.
        chain = variant switch
        {
            AllCnnVariant.Pooling => chain.MaxPool(3, stride: 2, padding: 1, rounding: Rounding.Floor),
            AllCnnVariant.ConvPool => chain.Conv(filters, 3, padding: 1).Relu().MaxPool(3, stride: 2, padding: 1, rounding: Rounding.Floor),
            AllCnnVariant.AllConvolutional => chain.Conv(filters, 3, stride: 2, padding: 1, rounding: Rounding.Floor).Relu(),
            AllCnnVariant.Strided => chain,
            _ => throw new ArgumentOutOfRangeException(nameof(variant), variant, "the variants are Pooling, Strided, ConvPool and AllConvolutional"),
        };
        return chain.Dropout(0.5);
    }

    private static string Name(AllCnnModel model, AllCnnVariant variant)
    {
        var letter = model.ToString().ToLowerInvariant();
        return variant switch
        {
            AllCnnVariant.Pooling => $"allcnn_model_{letter}",
            AllCnnVariant.Strided => $"strided_cnn_{letter}",
            AllCnnVariant.ConvPool => $"convpool_cnn_{letter}",
            _ => $"allcnn_{letter}",
        };
    }
}
