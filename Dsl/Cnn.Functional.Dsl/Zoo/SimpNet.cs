namespace Cnn.Functional.Dsl;

/// <summary>
/// SimpNet (Hasanpour, Rouhani, Fayyaz, Sabokrou &amp; Adeli, 2018, "Towards Principled Design of Deep
/// Convolutional Networks: Introducing SimpNet"): a plain 13-layer stack of 3×3 convolutions with batch norm,
/// ReLU and dropout, widened gradually, with max pooling only twice, late ("delayed pooling"), and a
/// global max pooling before a single linear layer. Its SAF-pooling is max pooling followed by dropout.
/// </summary>
/// <remarks>
/// The layer widths and dropout rates are the authors' CIFAR-10 Caffe definitions in github.com/Coderx7/SimpNet,
/// <c>SimpNetV2/Architectures/CIFAR10/5Mil</c> and <c>…/8.9Mil</c> (listed in its README as 5.4M and 8.9M). Node
/// names are that prototxt's layer names; its BatchNorm + Scale pair (statistics, then learned γ and β) is one
/// batch-norm node here, and its <c>moving_average_fraction</c> 0.95 is momentum 0.05. Every convolution
/// has a bias, as in the prototxt. Input 3×32×32 (CIFAR crops).
/// </remarks>
public static class SimpNet
{
    /// <summary>What follows a convolution's ReLU: dropout, max pooling and dropout (SAF), or global max pooling and dropout.</summary>
    private enum After { Dropout, SafPool, GlobalPool }

    /// <summary>One convolution of the prototxt: its name, filters, and the pooling and dropout that follow.</summary>
    private sealed record ConvSpec(string Name, int Filters, After After, string? PoolName, string DropName, double DropRate);

    /// <summary>
    /// The 5M SimpNet for CIFAR-10: widths 66, 128, 128, 128, 192 | pool | 192, 192, 192, 192, 288 | pool |
    /// 288, 355, 432 | global max pool; dropout 0.2, then 0.3 from the second pooling on. 5,478,223
    /// parameters (≈ 5.48M; the README lists 5.4M).
    /// </summary>
    [ZooModel("simpnet", "SimpNet, CIFAR-10 (Hasanpour et al., 2018): 13 3×3 conv-BN-ReLU layers, SAF pooling, 3×32×32 → 10 (5,478,223 parameters)")]
    public static Graph Cifar10(int classes = 10) => Build("simpnet", classes,
    [
        new("conv1", 66, After.Dropout, null, "drop1", 0.2),
        new("conv1_0", 128, After.Dropout, null, "drop2", 0.2),
        new("conv2", 128, After.Dropout, null, "drop3", 0.2),
        new("conv2_1", 128, After.Dropout, null, "drop4", 0.2),
        new("conv2_2", 192, After.SafPool, "pool2_1", "drop5", 0.2),
        new("conv3", 192, After.Dropout, null, "drop6", 0.2),
        new("conv3_1", 192, After.Dropout, null, "drop6_1", 0.2),
        new("conv4", 192, After.Dropout, null, "drop7", 0.2),
        new("conv4_1", 192, After.Dropout, null, "drop8", 0.2),
        new("conv4_2", 288, After.SafPool, "pool4_2", "drop9", 0.3),
        new("conv4_0", 288, After.Dropout, null, "drop10", 0.3),
        new("conv11", 355, After.Dropout, null, "drop11", 0.3),
        new("conv12", 432, After.GlobalPool, "poolcp6", "drop12", 0.3),
    ]);

    /// <summary>
    /// The 8.9M SimpNet for CIFAR-10: widths 128, 182 ×4 | pool | 182 ×4, 430 | pool | 430, 455, 600 | global
    /// max pool; dropout 0.2 throughout. 8,902,729 parameters (the README's 8.9M).
    /// </summary>
    [ZooModel("simpnet_8_9m", "SimpNet, CIFAR-10, the wider 8.9M version: 13 3×3 conv-BN-ReLU layers, 3×32×32 → 10 (8,902,729 parameters)")]
    public static Graph Cifar10Wide(int classes = 10) => Build("simpnet_8_9m", classes,
    [
        new("conv1", 128, After.Dropout, null, "drop1", 0.2),
        new("conv1_0", 182, After.Dropout, null, "drop2", 0.2),
        new("conv2", 182, After.Dropout, null, "drop3", 0.2),
        new("conv2_1", 182, After.Dropout, null, "drop4", 0.2),
        new("conv2_2", 182, After.SafPool, "pool2_1", "drop5", 0.2),
        new("conv3", 182, After.Dropout, null, "drop6", 0.2),
        new("conv3_1", 182, After.Dropout, null, "drop6_1", 0.2),
        new("conv4", 182, After.Dropout, null, "drop7", 0.2),
        new("conv4_1", 182, After.Dropout, null, "drop8", 0.2),
        new("conv4_2", 430, After.SafPool, "pool4_2", "drop9", 0.2),
        new("conv4_0", 430, After.Dropout, null, "drop10", 0.2),
        new("conv11", 455, After.Dropout, null, "drop11", 0.2),
        new("conv12", 600, After.GlobalPool, "poolcp6", "drop12", 0.2),
    ]);

    private static Graph Build(string name, int classes, ConvSpec[] layers)
    {
        var blocks = layers.SelectMany(Unit).Append(Net.Layer(Layers.Dense(classes), "ip1"));
        return Net.SequenceOf(blocks).ToGraph(name, Shape.Image(3, 32, 32));
    }

    /// <summary>conv 3×3 (padding 1, so the size is kept) → bn → relu → [pooling] → dropout, at the prototxt's names.</summary>
    private static IEnumerable<Block> Unit(ConvSpec layer)
    {
        // conv11 and conv12 name their companions bn_conv11, relu_conv11; the others bn2_1, relu2_1.
        var suffix = layer.Name is "conv11" or "conv12" ? "_" + layer.Name : layer.Name["conv".Length..];
        yield return Net.Layer(Layers.Conv(layer.Filters, 3, padding: 1), layer.Name);
        yield return Net.Layer(Layers.BatchNorm(momentum: 0.05), "bn" + suffix);
        yield return Net.Layer(Layers.Relu(), "relu" + suffix);
        // SAF-pooling: 2×2/2 max pooling (32 → 16 → 8, exact) and then dropout; the last layer pools globally.
        if (layer.After == After.SafPool) yield return Net.Layer(Layers.MaxPool(2), layer.PoolName);
        if (layer.After == After.GlobalPool) yield return Net.Layer(Layers.GlobalMaxPool(), layer.PoolName);
        yield return Net.Layer(Layers.Dropout(layer.DropRate), layer.DropName);
    }
}
