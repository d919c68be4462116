namespace Cnn.Functional.Dsl;

/// <summary>
/// DiracNets (Zagoruyko &amp; Komodakis, 2017, "DiracNets: Training Very Deep Neural Networks Without
/// Skip-Connections"): plain networks, no residual additions, whose 3×3 convolutions are Dirac-parameterised,
/// Ŵ = diag(a)·I + diag(b)·W/‖W‖, so each starts close to the identity a ResNet's skip connection would add.
/// </summary>
/// <remarks>
/// The layout is the ImageNet DiracNet-v2 of the authors' training code, <c>define_diracnet(depth, 1, 'ImageNet')</c>
/// in github.com/szagoruyko/diracnets, <c>diracnet.py</c>: a 7×7/2 convolution without bias (padding 3) and batch
/// norm — no ReLU — then 3×3/2 max pooling (padding 1); four groups of 64, 128, 256 and 512 channels with twice
/// ResNet's block counts (2·(2, 2, 2, 2) for DiracNet-18, 2·(3, 4, 6, 3) for DiracNet-34), each block
/// ReLU → Dirac 3×3 convolution (padding 1, no bias) → batch norm, with 2×2 max pooling between groups; then ReLU,
/// average pooling over the remaining 7×7 and a 512 → 1000 linear layer. The first block of groups 1–3 widens the
/// channels: its Dirac delta is the identity on the first min(F, C) channels (<c>torch.nn.init.dirac_</c>).
/// Node paths follow the authors' parameter names: <c>conv</c>, <c>bn</c>, <c>group0/block0/conv</c> (holding
/// <c>group0.block0.conv</c>, <c>.alpha</c> and <c>.beta</c>), <c>group0/block0/bn</c>, <c>fc</c>.
/// The authors' published models fold a, b and the batch norms into plain convolutions with bias; this is the
/// network as trained.
/// </remarks>
public static class DiracNet
{
    /// <summary>
    /// DiracNet-18: 16 Dirac convolutions. 11,523,368 parameters: stem 64·3·49 + 2·64 = 9,536; a block of C → F
    /// channels has F·C·9 + 2F (a, b) + 2F (batch norm), so the groups have 148,480, 518,144, 2,068,480 and
    /// 8,265,728; the classifier 513,000.
    /// </summary>
    [ZooModel("diracnet18", "DiracNet-18 (Zagoruyko & Komodakis): 3×224×224, plain, 4 groups of 4 Dirac convs (11,523,368 parameters)")]
    public static Graph DiracNet18(int classes = 1000) => Build("diracnet18", [2, 2, 2, 2], classes);

    /// <summary>
    /// DiracNet-34: 32 Dirac convolutions in groups of 6, 8, 12 and 6. 21,638,952 parameters: stem 9,536, groups
    /// 222,720, 1,110,016, 6,795,264 and 12,988,416, classifier 513,000.
    /// </summary>
    [ZooModel("diracnet34", "DiracNet-34 (Zagoruyko & Komodakis): 3×224×224, plain, groups of 6-8-12-6 Dirac convs (21,638,952 parameters)")]
    public static Graph DiracNet34(int classes = 1000) => Build("diracnet34", [3, 4, 6, 3], classes);

    private static readonly int[] Widths = [64, 128, 256, 512];

    // blocks: ResNet's block counts; each group has twice as many Dirac blocks (one per ResNet convolution).
    private static Graph Build(string name, int[] blocks, int classes)
    {
        // The stem's 7×7/2 with padding 3 and 3×3/2 max pooling with padding 1 give 112.5 and 56.5: PyTorch floors.
        var chain = Chain.Input(3, 224, 224)
            .Then(Layers.Conv(Widths[0], 7, stride: 2, padding: 3, bias: false, rounding: Rounding.Floor), "conv")
            .Then(Layers.BatchNorm(), "bn")
            .Then(Layers.MaxPool(3, stride: 2, padding: 1, rounding: Rounding.Floor), "max_pool0");
        for (var group = 0; group < Widths.Length; group++)
        {
            // 56 → 28 → 14 → 7: the 2×2 poolings between groups tile exactly.
            if (group > 0) chain = chain.Then(Layers.MaxPool(2), $"max_pool{group}");
            chain = chain.Then(Net.Scope($"group{group}", Group(Widths[group], 2 * blocks[group])));
        }
        return chain
            .Then(Layers.Relu(), "last_relu")
            .Then(Layers.GlobalAvgPool(), "avg_pool")
            .Then(Layers.Dense(classes), "fc")
            .ToGraph(name);
    }

    /// <summary><paramref name="count"/> blocks <c>block0</c>…, each ReLU, Dirac 3×3 convolution, batch norm; no skip.</summary>
    private static Block Group(int width, int count) =>
        Net.SequenceOf(Enumerable.Range(0, count).Select(i => Net.Scope($"block{i}", Net.Sequence(
            Net.Layer(Layers.Relu(), "relu"),
            Net.Layer(Layers.DiracConv(width, 3, padding: 1, bias: false), "conv"),
            Net.Layer(Layers.BatchNorm(), "bn")))));
}
