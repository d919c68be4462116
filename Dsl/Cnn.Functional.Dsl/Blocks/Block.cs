namespace Cnn.Functional.Dsl;

/// <summary>
/// A piece of network with one input and one output, as a value: a layer, a sequence, parallel branches
/// merged by concatenation or addition (Inception), a residual connection (ResNet), dense connectivity
/// (DenseNet), a highway gate, or a naming scope. Blocks nest; <see cref="ToGraph"/> lowers a block to the
/// core's <see cref="Graph"/>, giving every node a stable path from the scopes it sits in.
/// </summary>
/// <remarks>
/// Unnamed layers are named after their kind and a counter that restarts in every scope ("conv1", "relu1",
/// "conv2", …), so the same block always yields the same paths.
/// </remarks>
public abstract record Block
{
    /// <summary>Adds this block's nodes after <paramref name="input"/>; returns the path of its output.</summary>
    internal abstract string Build(BlockBuilder builder, string input);

    /// <summary>The graph of this block applied to an input of shape <paramref name="input"/>.</summary>
    /// <exception cref="GraphException">A path is taken twice, or the graph has shape errors.</exception>
    public Graph ToGraph(string name, Shape input)
    {
        var builder = new BlockBuilder(Graph.Create(name, input));
        Build(builder, builder.Graph.Last);
        var graph = builder.Graph;
        graph.Infer();
        return graph;
    }

    /// <summary>A layer used where a block is expected.</summary>
    public static implicit operator Block(Layer layer) => new LayerBlock(layer, null);
}

/// <summary>One layer, at <paramref name="Name"/> or at an automatic name from its kind.</summary>
public sealed record LayerBlock(Layer Layer, string? Name) : Block
{
    internal override string Build(BlockBuilder builder, string input) => builder.Add(Name, Layer, input);
}

/// <summary>Blocks applied one after another. An empty sequence is the identity.</summary>
public sealed record SequenceBlock(EquatableArray<Block> Blocks) : Block
{
    internal override string Build(BlockBuilder builder, string input)
    {
        var current = input;
        foreach (var block in Blocks) current = block.Build(builder, current);
        return current;
    }
}

/// <summary>A naming scope: the body's nodes get paths under <paramref name="Name"/>/.</summary>
public sealed record ScopeBlock(string Name, Block Body) : Block
{
    internal override string Build(BlockBuilder builder, string input)
    {
        using (builder.Scope(Name)) return Body.Build(builder, input);
    }

    /// <summary><paramref name="body"/> scoped <paramref name="name"/>, unless the caller already scoped it.</summary>
    /// <summary><paramref name="body"/> if it is already scoped, else scoped at the first free name from <paramref name="name"/>.</summary>
    internal static Block Default(BlockBuilder builder, string name, Block body) => body is ScopeBlock ? body : new ScopeBlock(builder.FreeName(name), body);
}

/// <summary>
/// Parallel branches on the same input, merged by <paramref name="Merge"/> (concatenation along channels for
/// Inception, addition otherwise). An empty branch passes the input through. Branch i is scoped
/// <c>branch{i}</c> unless it is already a <see cref="ScopeBlock"/>.
/// </summary>
public sealed record ParallelBlock(EquatableArray<Block> Branches, Layer Merge, string? MergeName) : Block
{
    internal override string Build(BlockBuilder builder, string input)
    {
        var outputs = Branches.Select((branch, i) => ScopeBlock.Default(builder, $"branch{i + 1}", branch).Build(builder, input)).ToArray();
        return builder.Add(MergeName, Merge, outputs);
    }
}

/// <summary>
/// A residual connection, y = F(x) + shortcut(x) (He et al., 2015). The body is scoped by the caller; a null
/// shortcut is the identity, otherwise it is usually a (strided) 1×1 projection, scoped <c>shortcut</c> unless
/// it is already a <see cref="ScopeBlock"/> (torchvision's <c>downsample</c>).
/// </summary>
public sealed record ResidualBlock(Block Body, Block? Shortcut) : Block
{
    internal override string Build(BlockBuilder builder, string input)
    {
        var main = Body.Build(builder, input);
        var skip = Shortcut is null ? input : ScopeBlock.Default(builder, "shortcut", Shortcut).Build(builder, input);
        return builder.Add(builder.FreeName("add"), new Add(), main, skip);
    }
}

/// <summary>
/// Dense connectivity (Huang et al., DenseNet): layer i reads the concatenation of the block's input and
/// every earlier layer's output; the block outputs the concatenation of all of them. Layer i is scoped
/// <c>layer{i}</c> unless it is already a <see cref="ScopeBlock"/> (torchvision's <c>denselayer{i}</c>).
/// </summary>
public sealed record DenseConnectBlock(EquatableArray<Block> Layers) : Block
{
    internal override string Build(BlockBuilder builder, string input)
    {
        var features = new List<string> { input };
        for (var i = 0; i < Layers.Count; i++)
        {
            var layerInput = features.Count == 1 ? input : builder.Add(builder.FreeName($"concat{i + 1}"), new Concat(), features.ToArray());
            features.Add(ScopeBlock.Default(builder, $"layer{i + 1}", Layers[i]).Build(builder, layerInput));
        }
        return features.Count == 1 ? input : builder.Add(builder.FreeName("concat"), new Concat(), features.ToArray());
    }
}

/// <summary>
/// A highway layer (Srivastava et al., 2015, eq. 3): y = H(x)·T(x) + x·(1 − T(x)), with the transform H and
/// the gate T (which should end in a sigmoid) built from the same input, scoped <c>transform</c> and <c>gate</c>.
/// </summary>
public sealed record HighwayBlock(Block Transform, Block Gate) : Block
{
    internal override string Build(BlockBuilder builder, string input)
    {
        var h = new ScopeBlock(builder.FreeName("transform"), Transform).Build(builder, input);
        var t = new ScopeBlock(builder.FreeName("gate"), Gate).Build(builder, input);
        return builder.Add(builder.FreeName("highway"), new HighwayGate(), h, t, input);
    }
}

/// <summary>
/// A block that adds its own nodes: for wirings the other blocks do not express (randomly wired networks).
/// <paramref name="Key"/> identifies the wiring for equality, since functions do not compare by content.
/// </summary>
public sealed record CustomBlock(string Key, Func<BlockBuilder, string, string> Wire) : Block
{
    internal override string Build(BlockBuilder builder, string input) => Wire(builder, input);

    public bool Equals(CustomBlock? other) => other is not null && other.Key == Key;

    public override int GetHashCode() => Key.GetHashCode(StringComparison.Ordinal);
}
