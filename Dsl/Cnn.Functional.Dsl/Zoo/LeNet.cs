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

    /// <summary>
    /// LeNet-5 as published (LeCun et al., 1998, section II.B and Fig. 2) on a 1×32×32 input, each layer named
    /// as in the paper. Every convolution, subsampling and the F6 layer is followed by LeCun's scaled tanh,
    /// 1.7159·tanh(2x/3) (appendix A). Exactly 60,000 trainable parameters:
    /// C1 6·25 + 6 = 156; S2 2·6 = 12 (a coefficient and a bias per map); C3 60 connections of Table I · 25 + 16
    /// = 1,516; S4 2·16 = 32; C5 120·16·25 + 120 = 48,120 (a convolution, although its 5×5 output is 1×1);
    /// F6 120·84 + 84 = 10,164. The output layer holds 10 Euclidean RBF units whose 84-value prototypes are
    /// fixed, not learned: 840 buffers, no parameters.
    /// </summary>
    [ZooModel("lenet5_1998", "LeNet-5 as published: 1×32×32, C3 connection table, trainable subsampling, scaled tanh, RBF output (60,000 parameters)")]
    public static Graph LeNet5Original(int classes = 10) =>
        Graph.Create("lenet5_1998", Shape.Image(1, 32, 32))
            // (32 − 5)/1 + 1 = 28: the 32×32 input keeps strokes near the border inside C1's receptive fields.
            .Then("c1", Layers.Conv(6, 5))
            .Then("c1_tanh", ScaledTanh())
            .Then("s2", Layers.Subsampling(2))
            .Then("s2_tanh", ScaledTanh())
            // Table I: each C3 map reads 3, 4 or 6 of S2's maps, to break symmetry and bound the connections. (The
            // record itself, since the table's rows are structs and do not convert to the factory's IEnumerable<IEnumerable<int>>.)
            .Then("c3", new PartialConv(PartialConv.LeNetC3, 5, 1, Padding.Valid, Bias: true))
            .Then("c3_tanh", ScaledTanh())
            .Then("s4", Layers.Subsampling(2))
            .Then("s4_tanh", ScaledTanh())
            .Then("c5", Layers.Conv(120, 5))
            .Then("c5_tanh", ScaledTanh())
            .Then("flatten", Layers.Flatten())
            .Then("f6", Layers.Dense(84))
            .Then("f6_tanh", ScaledTanh())
            .Then("output", Layers.RbfOutput(classes));

    private static Layer ScaledTanh() => Layers.Activation(ActivationFunction.ScaledTanh);
}
