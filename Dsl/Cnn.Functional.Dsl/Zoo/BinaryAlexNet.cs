namespace Cnn.Functional.Dsl;

/// <summary>
/// Binary AlexNets (Rastegari, Ordonez, Redmon &amp; Farhadi, 2016, "XNOR-Net: ImageNet Classification Using Binary
/// Convolutional Neural Networks"): Binary-Weight-Networks (BWN, binary weights, real inputs) and XNOR-Networks
/// (binary weights and inputs). As in the paper, the first convolution and the last fully connected layer stay in
/// full precision; every other convolution is a <see cref="BinaryConv"/> and the two hidden fully connected layers
/// are <see cref="BinaryDense"/>.
/// </summary>
/// <remarks>
/// The layout follows the authors' implementation, allenai/XNOR-Net (Torch 7): <c>models/alexnet.lua</c> (BWN, run
/// with <c>-binaryWeight</c>) and <c>models/alexnetxnor.lua</c> (XNOR), where <c>binarizeConvParms</c> binarises
/// convolution modules 2 … n − 1 and the fully connected layers are 6×6 and 1×1 convolutions. Here they are
/// written torchvision-style (features, a 6×6 adaptive average pool, which is the identity at 224, a flatten, and a
/// classifier of linear layers, numbered as an nn.Sequential). From the implementation:
/// <list type="bullet">
/// <item>widths 96-256-384-384-256 without groups or LRN, on a 224×224 crop with conv1 padding 2:
/// (224 + 4 − 11)/4 + 1 = 55.25, so conv1 floors to 55 as Torch does (the implementation's own comment: "224 → 55");</item>
/// <item>BWN (conv → BN → ReLU, the paper's usual block) puts batch norm after every layer but the last
/// (ε = 10⁻³) and dropout before fc6 and fc7 (0.5, the implementation's default);</item>
/// <item>XNOR uses the paper's block "BNorm → BinActiv → BinConv → Pool" (section 3.3, Fig. 3): batch norm before
/// each binary layer (ε = 10⁻⁴), whose sign is the nonlinearity, so no ReLU follows a binary layer; the first
/// convolution is conv → BN → ReLU → pool, and the output layer reads BN (ε = 10⁻³) → ReLU. The batch norm before
/// fc6 normalises the 256 channels of the 6×6 map (the implementation's fc6 is a 6×6 convolution), so it closes
/// the features: 512 parameters, not the 18,432 of a BatchNorm1d over 9,216 values. No dropout.</item>
/// </list>
/// The implementation's batch norms are affine (its <c>SpatialBatchNormalization(n, eps, false)</c> passes false as
/// the momentum; affine stays at its default, true): 2C parameters each.
/// </remarks>
public static class BinaryAlexNet
{
    /// <summary>The authors' convolutions: Krizhevsky's widths in one stream, conv1 padded by 2 for a 224 input.</summary>
    public static IReadOnlyList<AlexNetConv> Convs { get; } = Array.AsReadOnly<AlexNetConv>(
    [
        new(96, 11, Stride: 4, Padding: 2, Pool: true, Rounding: Rounding.Floor),
        new(256, 5, Padding: 2, Pool: true),
        new(384, 3, Padding: 1),
        new(384, 3, Padding: 1),
        new(256, 3, Padding: 1, Pool: true),
    ]);

    /// <summary>
    /// XNOR-Net AlexNet on 3×224×224. 62,397,672 parameters: the weighted layers as the single-stream AlexNet,
    /// 34,944 + 614,656 + 885,120 + 1,327,488 + 884,992 + 37,752,832 + 16,781,312 + 4,097,000 = 62,378,344, plus
    /// batch norms over 96 (after conv1), 96, 256, 384, 384 (before conv2 … conv5), 256 (before fc6), 4,096 (before
    /// fc7) and 4,096 (before fc8) channels: 2·(96 + 96 + 256 + 384 + 384 + 256 + 4,096 + 4,096) = 19,328.
    /// </summary>
    [ZooModel("xnor_alexnet", "XNOR-Net AlexNet (Rastegari et al.): binary weights and inputs except conv1 and fc8 (62,397,672 parameters)")]
    public static Graph Xnor(int classes = 1000) =>
        Configuration("xnor_alexnet", Convs, Binarization.WeightsAndInputs, classes: classes);

    /// <summary>
    /// Binary-Weight-Network AlexNet on 3×224×224. 62,397,480 parameters: 62,378,344 in the weighted layers plus
    /// batch norms after conv1 … conv5, fc6 and fc7: 2·(96 + 256 + 384 + 384 + 256 + 4,096 + 4,096) = 19,136.
    /// </summary>
    [ZooModel("bwn_alexnet", "Binary-Weight-Network AlexNet (Rastegari et al.): binary weights except conv1 and fc8 (62,397,480 parameters)")]
    public static Graph BinaryWeights(int classes = 1000) =>
        Configuration("bwn_alexnet", Convs, Binarization.Weights, classes: classes, dropout: 0.5);

    /// <summary>
    /// A binary AlexNet from its convolutions: the first is full precision, the rest binary with
    /// <paramref name="mode"/>; then two hidden binary FC layers and a full-precision output layer, with batch norm
    /// placed as the authors' implementation does for that mode (see the class remarks).
    /// </summary>
    /// <param name="name">The graph's name.</param>
    /// <param name="convs">The convolutions, e.g. <see cref="Convs"/>.</param>
    /// <param name="mode">BWN (<see cref="Binarization.Weights"/>) or XNOR (<see cref="Binarization.WeightsAndInputs"/>).</param>
    /// <param name="style">Node names and head; see <see cref="LayoutStyle"/>.</param>
    /// <param name="hidden">Units of fc6 and fc7.</param>
    /// <param name="classes">Units of fc8.</param>
    /// <param name="dropout">Dropout rate before fc6 and fc7; 0 adds no dropout layer.</param>
    /// <param name="imageSize">Height and width of the RGB input.</param>
    /// <exception cref="GraphException">The convolutions do not fit the input.</exception>
    public static Graph Configuration(string name, IEnumerable<AlexNetConv> convs, Binarization mode, LayoutStyle style = LayoutStyle.Torchvision,
        int hidden = 4096, int classes = 1000, double dropout = 0, int imageSize = 224)
    {
        var xnor = mode == Binarization.WeightsAndInputs;
        // The batch norm ahead of a binary layer (XNOR) or after every layer (BWN), with the implementation's ε.
        Module Norm(int k) => new($"bn{k}", Layers.BatchNorm(epsilon: xnor ? 1e-4 : 1e-3));
        Module Relu(int k) => new($"relu{k}", Layers.Relu());

        var features = new List<Module>();
        var k = 0;
        foreach (var c in convs)
        {
            k++;
            if (k == 1) features.AddRange([new("conv1", c.ToConv()), new("bn1", Layers.BatchNorm(epsilon: xnor ? 1e-5 : 1e-3)), Relu(1)]);
            else if (xnor) features.AddRange([Norm(k), new($"conv{k}", c.ToBinaryConv(mode))]);
            else features.AddRange([new($"conv{k}", c.ToBinaryConv(mode)), Norm(k), Relu(k)]);
            features.AddRange(c.Closing(k));
        }

        var classifier = new List<Module>();
        for (var fc = k + 1; fc <= k + 2; fc++)
        {
            // XNOR: fc6's input norm is in the features (over channels); fc7's follows fc6.
            if (xnor && fc == k + 1) features.Add(Norm(fc));
            else if (xnor) classifier.Add(Norm(fc));
            if (dropout > 0) classifier.Add(new($"drop{fc}", Layers.Dropout(dropout)));
            classifier.Add(new($"fc{fc}", Layers.BinaryDense(hidden, mode: mode)));
            if (!xnor) classifier.AddRange([Norm(fc), Relu(fc)]);
        }
        var last = k + 3;
        if (xnor) classifier.AddRange([new($"bn{last}", Layers.BatchNorm(epsilon: 1e-3)), Relu(last)]);
        classifier.Add(new($"fc{last}", Layers.Dense(classes)));
        return ClassicLayout.Build(name, Shape.Image(3, imageSize, imageSize), style, features, 6, classifier);
    }
}
