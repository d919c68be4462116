namespace Cnn.Functional.Dsl;

/// <summary>
/// GoogLeNet (Szegedy et al., 2014, "Going deeper with convolutions"), the ILSVRC 2014 winner built from
/// Inception modules: parallel 1×1, 3×3, 5×5 convolutions and a 3×3 max pooling on the same input,
/// concatenated along the channels, with 1×1 "bottleneck" convolutions in front of the expensive branches.
/// Three forms: torchvision's (<see cref="Torchvision"/>), the paper's Table 1 (<see cref="Original"/>) and
/// the naïve module without reductions that the lecture warns about (<see cref="Naive"/>).
/// </summary>
public static class GoogLeNet
{
    /// <summary>One row of the paper's Table 1: the filters of each branch of an Inception module.</summary>
    private sealed record Module(string Name, int Ch1x1, int Ch3x3Reduce, int Ch3x3, int Ch5x5Reduce, int Ch5x5, int PoolProj);

    /// <summary>How a network's convolutions and Inception modules are built.</summary>
    private enum Form
    {
        /// <summary>torchvision: conv without bias + batch norm (ε = 0.001) + ReLU; the "5×5" branch uses 3×3.</summary>
        Torchvision,

        /// <summary>The paper: conv with bias + ReLU; true 5×5 branches.</summary>
        Original,

        /// <summary>The paper's naïve module (Figure 2a): no 1×1 reductions, no pool projection.</summary>
        Naive,
    }

    // Table 1 of the paper; torchvision uses the same filter counts.
    private static readonly Module[] Stage3 = [new("inception3a", 64, 96, 128, 16, 32, 32), new("inception3b", 128, 128, 192, 32, 96, 64)];

    private static readonly Module[] Stage4 =
    [
        new("inception4a", 192, 96, 208, 16, 48, 64), new("inception4b", 160, 112, 224, 24, 64, 64),
        new("inception4c", 128, 128, 256, 24, 64, 64), new("inception4d", 112, 144, 288, 32, 64, 64),
        new("inception4e", 256, 160, 320, 32, 128, 128),
    ];

    private static readonly Module[] Stage5 = [new("inception5a", 256, 160, 320, 32, 128, 128), new("inception5b", 384, 192, 384, 48, 128, 128)];

    /// <summary>
    /// torchvision's <c>googlenet</c> with <c>aux_logits=False</c> (the auxiliary classifiers exist only in
    /// training): 3×224×224 → 1000 logits, exactly 6,624,904 parameters. Node paths with '/' read as '.'
    /// are torchvision's module names (<c>inception3a/branch2/0/conv</c> ↔ <c>inception3a.branch2.0.conv</c>).
    /// As in torchvision, the branch the paper calls 5×5 uses a 3×3 kernel.
    /// </summary>
    [ZooModel("googlenet", "GoogLeNet as torchvision builds it: batch-normalised Inception v1, 3×224×224 → 1000 (6,624,904 parameters)")]
    public static Graph Torchvision(int classes = 1000) => Build("googlenet", Form.Torchvision, classes);

    /// <summary>
    /// The paper's GoogLeNet (Table 1, Figure 3): no batch norm, convolutions with biases, local response
    /// normalisation after the first pooling and after the 3×3 stem convolution, true 5×5 branches, max
    /// pooling 3×3/2 between stages, average pooling 7×7, 40% dropout and a linear layer; 6,998,552
    /// parameters. Table 1's parameter column sums to 6,798K (K = 1024), the "≈ 6.8M" usually quoted; the
    /// exact weight count is 6,990,272 (6,826K) plus 8,280 biases: Table 1 lists 2.7K for the 7×7
    /// convolution, whose 7·7·3·64 = 9,408 weights are 9.2K, and rounds some module rows (4c: 463K listed,
    /// 497.5K computed). The LRN constants are the Caffe reference model's (n = 5, α = 10⁻⁴/n, β = 0.75,
    /// k = 1), which the paper does not state. The lecture's "4M" (from 60M in AlexNet) is below both
    /// this count and torchvision's 6,624,904.
    /// </summary>
    [ZooModel("googlenet_2014", "GoogLeNet as in the paper's Table 1: no batch norm, LRN, true 5×5 branches, 3×224×224 → 1000 (6,998,552 parameters)")]
    public static Graph Original(int classes = 1000) => Build("googlenet_2014", Form.Original, classes);

    /// <summary>
    /// The paper's GoogLeNet with naïve Inception modules (Figure 2a): 1×1, 3×3 and 5×5 convolutions and a
    /// 3×3 max pooling without 1×1 reductions. Pooling keeps all its input channels, so every module
    /// outputs more channels than it reads (192 → 416 → 832 → … → 4,944): the blow-up the 1×1
    /// bottlenecks prevent. 97,526,008 parameters and 12.6 billion MACs, 14× and 8× the reduced network's
    /// 6,998,552 and 1.58 billion (the paper's "1.5 billion multiply-adds").
    /// </summary>
    [ZooModel("googlenet_naive", "GoogLeNet with naïve Inception modules (no 1×1 reductions): channels grow to 4,944 (97,526,008 parameters)")]
    public static Graph Naive(int classes = 1000) => Build("googlenet_naive", Form.Naive, classes);

    private static Graph Build(string name, Form form, int classes)
    {
        var torchvision = form == Form.Torchvision;
        var stem = new List<Block>
        {
            // (224 + 2·3 − 7)/2 + 1 = 112.5: PyTorch and Caffe floor a convolution's output size.
            Conv("conv1", 64, 7, form, stride: 2, padding: 3, rounding: Rounding.Floor),
            // 112 → 56, 56 → 28, 28 → 14 need ceil_mode (the paper's Table 1 sizes; floor would give 55).
            Net.Layer(Layers.MaxPool(3, stride: 2, rounding: Rounding.Ceil), "maxpool1"),
        };
        // Figure 3: LocalRespNorm after the first pooling and after the 3×3 convolution. Caffe's α is
        // divided by n; ours multiplies the sum directly, hence 10⁻⁴/5.
        if (!torchvision) stem.Add(Net.Layer(Layers.LocalResponseNorm(5, 1e-4 / 5, 0.75, 1), "lrn1"));
        stem.Add(Conv("conv2", 64, 1, form));
        stem.Add(Conv("conv3", 192, 3, form, padding: 1));
        if (!torchvision) stem.Add(Net.Layer(Layers.LocalResponseNorm(5, 1e-4 / 5, 0.75, 1), "lrn2"));
        stem.Add(Net.Layer(Layers.MaxPool(3, stride: 2, rounding: Rounding.Ceil), "maxpool2"));

        var body = Net.Sequence(
            Net.SequenceOf(Stage3.Select(m => Inception(m, form))),
            Net.Layer(Layers.MaxPool(3, stride: 2, rounding: Rounding.Ceil), "maxpool3"),
            Net.SequenceOf(Stage4.Select(m => Inception(m, form))),
            // torchvision pools 2×2/2 here, the paper 3×3/2: both take 14 to 7 (the latter with ceil).
            Net.Layer(torchvision ? Layers.MaxPool(2, stride: 2, rounding: Rounding.Ceil) : Layers.MaxPool(3, stride: 2, rounding: Rounding.Ceil), "maxpool4"),
            Net.SequenceOf(Stage5.Select(m => Inception(m, form))));

        var head = Net.Sequence(
            Net.Layer(torchvision ? Layers.AdaptiveAvgPool(1) : Layers.AvgPool(7, stride: 1), "avgpool"),
            Net.Layer(Layers.Flatten(), "flatten"),
            Net.Layer(Layers.Dropout(torchvision ? 0.2 : 0.4), "dropout"),
            Net.Layer(Layers.Dense(classes), "fc"));

        return Net.Sequence(Net.SequenceOf(stem), body, head).ToGraph(name, Shape.Image(3, 224, 224));
    }

    /// <summary>
    /// An Inception module scoped at its name. The branches are scoped branch1…branch4 by
    /// <see cref="Net.Concat"/>; inside a branch, torchvision's <c>nn.Sequential</c> numbers its steps 0, 1.
    /// </summary>
    private static Block Inception(Module m, Form form)
    {
        if (form == Form.Naive)
            return Net.Scope(m.Name, Net.Concat(
                Unit(m.Ch1x1, 1, form),
                Unit(m.Ch3x3, 3, form, padding: 1),
                Unit(m.Ch5x5, 5, form, padding: 2),
                // Pooling passes every input channel through: the source of the naïve module's blow-up.
                Net.Layer(Layers.MaxPool(3, stride: 1, padding: 1), "pool")));

        // torchvision's "5×5" branch is a 3×3 convolution (a known slip kept for its pretrained weights).
        var (k5, p5) = form == Form.Torchvision ? (3, 1) : (5, 2);
        return Net.Scope(m.Name, Net.Concat(
            Unit(m.Ch1x1, 1, form),
            Net.Sequence(Conv("0", m.Ch3x3Reduce, 1, form), Conv("1", m.Ch3x3, 3, form, padding: 1)),
            Net.Sequence(Conv("0", m.Ch5x5Reduce, 1, form), Conv("1", m.Ch5x5, k5, form, padding: p5)),
            // Stride 1 with padding 1 tiles exactly, so torchvision's ceil_mode changes nothing here.
            Net.Sequence(Net.Layer(Layers.MaxPool(3, stride: 1, padding: 1), "0"), Conv("1", m.PoolProj, 1, form))));
    }

    /// <summary>A convolution unit scoped at <paramref name="name"/> (torchvision's <c>BasicConv2d</c>).</summary>
    private static Block Conv(string name, int filters, int kernel, Form form, int stride = 1, int padding = 0, Rounding rounding = Rounding.Exact) =>
        Net.Scope(name, Unit(filters, kernel, form, stride, padding, rounding));

    /// <summary>conv → bn → relu (torchvision) or conv → relu (the paper), at conv, bn, relu.</summary>
    private static Block Unit(int filters, int kernel, Form form, int stride = 1, int padding = 0, Rounding rounding = Rounding.Exact) =>
        form == Form.Torchvision
            ? Net.Sequence(
                Net.Layer(Layers.Conv(filters, kernel, stride, padding, bias: false, rounding: rounding), "conv"),
                Net.Layer(Layers.BatchNorm(epsilon: 0.001), "bn"),
                Net.Layer(Layers.Relu(), "relu"))
            : Net.Sequence(
                Net.Layer(Layers.Conv(filters, kernel, stride, padding, rounding: rounding), "conv"),
                Net.Layer(Layers.Relu(), "relu"));
}
