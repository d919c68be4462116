namespace Cnn.Functional.Dsl;

/// <summary>
/// A small VGG-style network for 28×28 greyscale images (Fashion-MNIST, MNIST): VGG's pattern (Simonyan &amp;
/// Zisserman, 2014) of stacked 3×3 convolutions with "same" padding and ReLU, each stack closed by a 2×2 max pool,
/// at a size that trains on a CPU in minutes.
/// </summary>
public static class SmallVgg
{
    /// <summary>
    /// conv3-32, conv3-32, pool, conv3-64, conv3-64, pool, dense 128, dense <paramref name="classes"/>; 28 → 14 → 7.
    /// 467,818 parameters: 32·9 + 32 = 320; 32·32·9 + 32 = 9,248; 64·32·9 + 64 = 18,496; 64·64·9 + 64 = 36,928;
    /// 3,136·128 + 128 = 401,536; 128·10 + 10 = 1,290. 18,691,840 multiply–adds per image forward (the MACs of the summary).
    /// </summary>
    [ZooModel("vgg_small", "VGG-style net for 1×28×28: conv 32-32, pool, conv 64-64, pool, dense 128-10 (467,818 parameters)")]
    public static Graph VggSmall(int classes = 10) =>
        Graph.Create("vgg_small", Shape.Image(1, 28, 28))
            .Then("conv1", Layers.Conv(32, 3, padding: 1))
            .Then("relu1", Layers.Relu())
            .Then("conv2", Layers.Conv(32, 3, padding: 1))
            .Then("relu2", Layers.Relu())
            .Then("pool1", Layers.MaxPool(2))
            .Then("conv3", Layers.Conv(64, 3, padding: 1))
            .Then("relu3", Layers.Relu())
            .Then("conv4", Layers.Conv(64, 3, padding: 1))
            .Then("relu4", Layers.Relu())
            .Then("pool2", Layers.MaxPool(2))
            .Then("flatten", Layers.Flatten())
            .Then("fc1", Layers.Dense(128))
            .Then("relu5", Layers.Relu())
            .Then("fc2", Layers.Dense(classes));
}
