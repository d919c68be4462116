namespace Cnn.Functional.Dsl;

/// <summary>LeNet-5 (LeCun et al., 1998, "Gradient-Based Learning Applied to Document Recognition").</summary>
public static class LeNet
{
    /// <summary>
    /// LeNet-5 as commonly built today: a 1×28×28 input, 5×5 convolutions of 6 filters (padding 2, so 28×28
    /// is kept as the original 32×32 input would give) and 16 filters, each followed by ReLU and 2×2 max
    /// pooling, then dense layers of 120, 84 and 10 units. 61,706 parameters:
    /// conv1 6·25 + 6 = 156, conv2 16·6·25 + 16 = 2,416, fc1 400·120 + 120 = 48,120, fc2 120·84 + 84 = 10,164,
    /// fc3 84·10 + 10 = 850.
    /// </summary>
    [ZooModel("lenet5", "LeNet-5, modern form: 1×28×28, conv 6-16 with ReLU and max pooling, dense 120-84-10 (61,706 parameters)")]
    public static Graph LeNet5(int classes = 10) =>
        Graph.Create("lenet5", Shape.Image(1, 28, 28))
            .Then("conv1", Layers.Conv(6, 5, padding: 2))
            .Then("relu1", Layers.Relu())
            .Then("pool1", Layers.MaxPool(2))
            .Then("conv2", Layers.Conv(16, 5))
            .Then("relu2", Layers.Relu())
            .Then("pool2", Layers.MaxPool(2))
            .Then("flatten", Layers.Flatten())
            .Then("fc1", Layers.Dense(120))
            .Then("relu3", Layers.Relu())
            .Then("fc2", Layers.Dense(84))
            .Then("relu4", Layers.Relu())
            .Then("fc3", Layers.Dense(classes));
}
