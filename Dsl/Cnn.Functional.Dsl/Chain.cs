namespace Cnn.Functional.Dsl;

/// <summary>
/// The fluent chain for the common case, written the way the lecture draws a CNN:
/// <c>Chain.Input(1, 28, 28).Conv(6, 5, padding: 2).Relu().MaxPool(2).Flatten().Dense(10)</c>.
/// Every call returns a new chain; <see cref="ToGraph"/> checks every shape and returns the graph.
/// </summary>
public sealed record Chain(Shape InputShape, EquatableArray<Block> Blocks)
{
    public static Chain Input(Shape shape) => new(shape, EquatableArray<Block>.Empty);

    public static Chain Input(int channels, int height, int width) => Input(Shape.Image(channels, height, width));

    /// <summary>Appends any block (a layer, a residual block, an Inception module, …).</summary>
    public Chain Then(Block block) => this with { Blocks = Blocks.Append(block) };

    /// <summary>Appends a layer at a fixed name.</summary>
    public Chain Then(Layer layer, string name) => Then(new LayerBlock(layer, name));

    /// <summary>Gives the last layer the name <paramref name="name"/> instead of its automatic one.</summary>
    /// <exception cref="GraphException">The chain is empty or does not end in a layer.</exception>
    public Chain Named(string name) => Blocks.Count > 0 && Blocks[Blocks.Count - 1] is LayerBlock last
        ? this with { Blocks = Blocks.SetItem(Blocks.Count - 1, last with { Name = name }) }
        : throw new GraphException(new GraphError(name, "chain", "Named(…) names the last layer, and the chain does not end in a layer"));

    /// <summary>The chain as one block.</summary>
    public Block ToBlock() => new SequenceBlock(Blocks);

    /// <summary>The chain's graph, every shape checked.</summary>
    /// <exception cref="GraphException">Shape errors, with the failing node's path and numbers.</exception>
    public Graph ToGraph(string name) => ToBlock().ToGraph(name, InputShape);

    public Chain Conv(int filters, Size kernel, Size? stride = null, Padding? padding = null, Size? dilation = null, int groups = 1,
        bool bias = true, Rounding rounding = Rounding.Exact) =>
        Then(Layers.Conv(filters, kernel, stride, padding, dilation, groups, bias, rounding));

    public Chain ConvTranspose(int filters, Size kernel, Size? stride = null, Size? padding = null, Size? outputPadding = null) =>
        Then(Layers.ConvTranspose(filters, kernel, stride, padding, outputPadding));

    public Chain MaxPool(Size window, Size? stride = null, Padding? padding = null, Rounding rounding = Rounding.Exact) =>
        Then(Layers.MaxPool(window, stride, padding, rounding));

    public Chain AvgPool(Size window, Size? stride = null, Padding? padding = null, Rounding rounding = Rounding.Exact) =>
        Then(Layers.AvgPool(window, stride, padding, rounding));

    public Chain GlobalAvgPool() => Then(Layers.GlobalAvgPool());

    public Chain Relu() => Then(Layers.Relu());

    public Chain Sigmoid() => Then(Layers.Sigmoid());

    public Chain Tanh() => Then(Layers.Tanh());

    public Chain Softmax() => Then(Layers.Softmax());

    public Chain BatchNorm() => Then(Layers.BatchNorm());

    public Chain LocalResponseNorm() => Then(Layers.LocalResponseNorm());

    public Chain Dropout(double rate = 0.5) => Then(Layers.Dropout(rate));

    public Chain Flatten() => Then(Layers.Flatten());

    public Chain Dense(int units, bool bias = true) => Then(Layers.Dense(units, bias));
}
