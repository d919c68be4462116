namespace Cnn.Functional.Dsl;

/// <summary>
/// Highway networks (Srivastava, Greff &amp; Schmidhuber, 2015, "Highway Networks", arXiv:1505.00387, and "Training
/// Very Deep Networks", NIPS 2015): y = H(x)·T(x) + x·(1 − T(x)), a learned sigmoid gate T choosing per unit
/// between transforming the input and carrying it unchanged.
/// </summary>
public static class Highway
{
    /// <summary>
    /// The fully connected highway network of the papers' MNIST optimisation experiments: a plain fully connected
    /// layer of <paramref name="width"/> units (784 → 50), <paramref name="depth"/> − 1 highway layers of the same
    /// width and a 10-way output layer (the softmax is left to the loss, as in the other zoo models). The papers
    /// use depths 10, 20, 50 and 100 with 50 units per highway layer (71 per plain layer for the same ~5,000
    /// parameters per layer). H is dense + ReLU (the activation does not change the count), T is dense + sigmoid;
    /// the papers initialise T's bias negatively (−2 on MNIST) so that layers start by carrying — an
    /// initialisation detail, not part of the graph.
    /// Parameters for depth 10: plain 784·50 + 50 = 39,250; each highway layer 2·(50·50 + 50) = 5,100, nine of
    /// them 45,900; output 50·10 + 10 = 510; 85,660 in all.
    /// </summary>
    [ZooModel("highway", "Highway MLP (Srivastava et al., 2015): 1×28×28, plain 50 + 9 highway layers of 50, 10 outputs (85,660 parameters)")]
    public static Graph HighwayMlp(int depth = 10, int width = 50, int classes = 10) =>
        Chain.Input(1, 28, 28)
            .Flatten()
            .Then(Net.Scope("plain", Net.Sequence(Net.Layer(Layers.Dense(width), "fc"), Net.Layer(Layers.Relu(), "relu"))))
            .Then(Net.RepeatWith(depth - 1, i => Net.Scope($"highway{i}", HighwayLayer(width))))
            .Then(Layers.Dense(classes), "fc")
            .ToGraph("highway");

    /// <summary>One highway layer: transform H = relu(fc(x)), gate T = sigmoid(fc(x)), both of <paramref name="width"/> units.</summary>
    private static Block HighwayLayer(int width) => Net.Highway(
        transform: Net.Sequence(Net.Layer(Layers.Dense(width), "fc"), Net.Layer(Layers.Relu(), "relu")),
        gate: Net.Sequence(Net.Layer(Layers.Dense(width), "fc"), Net.Layer(Layers.Sigmoid(), "sigmoid")));
}
