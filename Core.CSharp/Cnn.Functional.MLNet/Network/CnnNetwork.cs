using Cnn.Functional.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace Cnn.Functional.MLNet;

/// <summary>
/// A lowered graph with its weights, in evaluation mode: what a fitted CNN transformer computes, and where fine-tuning
/// and CNN codes start from. It owns its module. The ML.NET side feeds it one input, <c>[N, C, H, W]</c> (or any
/// <c>[N, …]</c> the graph's single <see cref="Input"/> declares), flattened in a feature vector of
/// <see cref="InputShape"/>.Elements values.
/// </summary>
public sealed class CnnNetwork : IDisposable
{
    private CnnNetwork(GraphModule module)
    {
        Module = module;
        var inputs = module.Graph.Nodes.Where(n => n.Node.Layer is Input).ToList();
        if (inputs.Count != 1)
        {
            module.Dispose();
            throw new GraphException(new GraphError(module.Graph.Graph.Name, "graph",
                $"an ML.NET feature column feeds one input; graph '{module.Graph.Graph.Name}' has {inputs.Count}",
                "give the graph a single Input node"));
        }
        InputShape = inputs[0].OutputShape;
        module.eval();
    }

    /// <summary>The lowered module (for advanced use: the network's transformers run it under their own lock).</summary>
    public GraphModule Module { get; }

    /// <summary>The graph the network computes.</summary>
    public Graph Graph => Module.Graph.Graph;

    /// <summary>The shape of one example, e.g. <c>[1, 28, 28]</c>: a feature vector holds its elements in this (C, H, W) order.</summary>
    public Shape InputShape { get; }

    /// <summary>The number of values in one example's feature vector.</summary>
    public int FeatureSize => checked((int)InputShape.Elements);

    /// <summary>Serialises forward passes: a TorchSharp module is not safe to run from several threads at once.</summary>
    internal object Gate { get; } = new();

    /// <summary>A freshly initialised network for <paramref name="graph"/>.</summary>
    /// <exception cref="GraphException">The graph has errors or does not have exactly one input.</exception>
    public static CnnNetwork Create(Graph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        return new CnnNetwork(GraphModule.Create(graph));
    }

    /// <summary>
    /// The graph and weights saved in a training checkpoint (<see cref="Trainer.SaveCheckpoint(string)"/>, or
    /// <c>cnnf train --checkpoint</c>): the usual start of fine-tuning in a pipeline.
    /// </summary>
    /// <exception cref="CheckpointException">The file is missing or damaged.</exception>
    public static CnnNetwork FromCheckpoint(string path)
    {
        var info = Checkpoint.Read(path);
        var module = GraphModule.Create(info.Graph);
        try
        {
            Transfer.LoadWeights(module, path, new TransferOptions(Strict: true));
            return new CnnNetwork(module);
        }
        catch
        {
            module.Dispose();
            throw;
        }
    }

    /// <summary>A network holding a copy of <paramref name="module"/>'s weights (the module stays the caller's).</summary>
    public static CnnNetwork FromModule(GraphModule module)
    {
        ArgumentNullException.ThrowIfNull(module);
        var copy = GraphModule.Create(module.Graph);
        try
        {
            Transfer.LoadWeights(copy, module, new TransferOptions(Strict: true));
            return new CnnNetwork(copy);
        }
        catch
        {
            copy.Dispose();
            throw;
        }
    }

    /// <summary>An independent copy: the same graph and weights in a module of its own.</summary>
    public CnnNetwork Copy() => FromModule(Module);

    /// <summary>
    /// The network cut after <paramref name="path"/> (<see cref="Graph.Truncate"/>), with the weights of the nodes it keeps:
    /// its output is the activations of that node, the "CNN codes".
    /// </summary>
    /// <exception cref="GraphException">No node has that path.</exception>
    public CnnNetwork Truncate(string path)
    {
        var module = GraphModule.Create(Graph.Truncate(path));
        try
        {
            Transfer.LoadWeights(module, Module, new TransferOptions(Strict: true));
            return new CnnNetwork(module);
        }
        catch
        {
            module.Dispose();
            throw;
        }
    }

    /// <summary>Writes the weights (parameters and buffers) in TorchSharp's <c>module.save</c> format.</summary>
    internal void WriteWeights(Stream stream)
    {
        using var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        Module.save(writer);
    }

    /// <summary>A network of <paramref name="graph"/> with the weights read from <paramref name="weights"/> (every tensor must fit).</summary>
    internal static CnnNetwork Read(Graph graph, Stream weights)
    {
        var module = GraphModule.Create(graph);
        try
        {
            using var reader = new BinaryReader(weights, System.Text.Encoding.UTF8, leaveOpen: true);
            using (var scope = NewDisposeScope()) module.load(reader, strict: true);
            return new CnnNetwork(module);
        }
        catch
        {
            module.Dispose();
            throw;
        }
    }

    public override string ToString() => $"{Graph.Name} {InputShape} → {Module.Graph.Output}";

    public void Dispose() => Module.Dispose();
}
