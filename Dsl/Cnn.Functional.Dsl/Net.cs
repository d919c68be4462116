namespace Cnn.Functional.Dsl;

/// <summary>
/// Combinators for what is not a chain: sequences, naming scopes, repetition, parallel branches (Inception),
/// residual connections (ResNet), dense connectivity (DenseNet) and highway gates. Every factory returns
/// <see cref="Block"/>; layers convert to blocks implicitly in C#, and <see cref="Layer(Cnn.Functional.Layer, string)"/>
/// does it explicitly (F#, or to name a layer).
/// </summary>
public static class Net
{
    /// <summary>The identity: a block that passes its input through.</summary>
    public static Block Identity { get; } = new SequenceBlock(EquatableArray<Block>.Empty);

    /// <summary>A layer as a block; <paramref name="name"/> fixes its path segment (else kind + counter).</summary>
    public static Block Layer(Cnn.Functional.Layer layer, string? name = null) => new LayerBlock(layer, name);

    /// <summary>The blocks one after another.</summary>
    public static Block Sequence(params Block[] blocks) => new SequenceBlock(blocks.ToEquatableArray());

    /// <summary>The blocks one after another (for F# lists and other sequences).</summary>
    public static Block SequenceOf(IEnumerable<Block> blocks) => new SequenceBlock(blocks.ToEquatableArray());

    /// <summary>The layers one after another (for F# lists of layers).</summary>
    public static Block Layers(IEnumerable<Cnn.Functional.Layer> layers) => new SequenceBlock(layers.Select(l => (Block)l).ToEquatableArray());

    /// <summary><paramref name="body"/> with its node paths under <paramref name="name"/>/.</summary>
    public static Block Scope(string name, Block body) => new ScopeBlock(name, body);

    /// <summary><paramref name="count"/> copies of <paramref name="block"/> in sequence (unnamed layers keep counting: conv1, conv2, …).</summary>
    public static Block Repeat(int count, Block block) => new SequenceBlock(Enumerable.Repeat(block, Math.Max(count, 0)).ToEquatableArray());

    /// <summary><paramref name="count"/> blocks made by <paramref name="make"/> from their index 1…count, in sequence.</summary>
    public static Block RepeatWith(int count, Func<int, Block> make) =>
        new SequenceBlock(Enumerable.Range(1, Math.Max(count, 0)).Select(make).ToEquatableArray());

    /// <summary>Branches on the same input, concatenated along the channels (an Inception module).</summary>
    public static Block Concat(params Block[] branches) => new ParallelBlock(branches.ToEquatableArray(), new Concat(), null);

    /// <summary>Branches on the same input, concatenated along the channels (for F# lists).</summary>
    public static Block ConcatOf(IEnumerable<Block> branches) => new ParallelBlock(branches.ToEquatableArray(), new Concat(), null);

    /// <summary>Branches on the same input, added element-wise.</summary>
    public static Block Sum(params Block[] branches) => new ParallelBlock(branches.ToEquatableArray(), new Add(), null);

    /// <summary>y = body(x) + x, or + shortcut(x) with a projection shortcut.</summary>
    public static Block Residual(Block body, Block? shortcut = null) => new ResidualBlock(body, shortcut);

    /// <summary>DenseNet connectivity: each layer reads the concatenation of everything before it.</summary>
    public static Block DenseConnect(params Block[] layers) => new DenseConnectBlock(layers.ToEquatableArray());

    /// <summary>DenseNet connectivity (for F# lists).</summary>
    public static Block DenseConnectOf(IEnumerable<Block> layers) => new DenseConnectBlock(layers.ToEquatableArray());

    /// <summary>y = H(x)·T(x) + x·(1 − T(x)).</summary>
    public static Block Highway(Block transform, Block gate) => new HighwayBlock(transform, gate);

    /// <summary>A custom wiring: <paramref name="wire"/> adds nodes after an input path and returns its output path.</summary>
    public static Block Custom(string key, Func<BlockBuilder, string, string> wire) => new CustomBlock(key, wire);
}
