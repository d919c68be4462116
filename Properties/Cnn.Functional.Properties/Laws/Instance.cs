using System.Collections.Immutable;
using Cnn.Functional.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace Cnn.Functional.Properties;

/// <summary>
/// A subject lowered with weights: its forward (the node under test on its inputs, or the whole graph, with any
/// replaced forwards in place), its parameters by state-dict name, and its mode (evaluation unless set).
/// </summary>
public sealed class Instance : IDisposable
{
    private readonly ImmutableDictionary<string, Subject.Replacement> replacements;

    internal Instance(Subject subject, GraphModule module, ScalarType dtype, ImmutableDictionary<string, Subject.Replacement> replacements)
    {
        Subject = subject;
        Module = module;
        DType = dtype;
        this.replacements = replacements;
    }

    public Subject Subject { get; }

    /// <summary>The lowered graph (every node's module, with its parameters).</summary>
    public GraphModule Module { get; }

    public ScalarType DType { get; }

    /// <summary>Training mode (dropout drops, batch norm uses batch statistics) or evaluation mode.</summary>
    public bool Training
    {
        get => Module.training;
        set => Module.train(value);
    }

    /// <summary>The subject's output for one input (the caller owns it).</summary>
    public Tensor Forward(Tensor input) => Forward([input]);

    /// <summary>The subject's output for its inputs, in the order of <see cref="Subject.InputPaths"/> (the caller owns it).</summary>
    public Tensor Forward(IReadOnlyList<Tensor> inputs)
    {
        using var scope = NewDisposeScope();
        var target = Subject.Path ?? Subject.Inferred.Graph.OutputPaths[0];
        return Evaluate(inputs, target)[target].MoveToOuterDisposeScope();
    }

    /// <summary>Every node's output for these inputs, by path (the caller owns them).</summary>
    public IReadOnlyDictionary<string, Tensor> Outputs(IReadOnlyList<Tensor> inputs) => Evaluate(inputs, null);

    // Runs the nodes in topological order up to (and including) the target, or all of them when it is null.
    private Dictionary<string, Tensor> Evaluate(IReadOnlyList<Tensor> inputs, string? target)
    {
        var paths = Subject.InputPaths;
        if (inputs.Count != paths.Count)
            throw new ArgumentException($"'{Subject.Name}' takes {paths.Count} input(s), got {inputs.Count}", nameof(inputs));
        var values = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var node in Subject.Inferred.Nodes)
        {
            var index = paths.Items.IndexOf(node.Path);
            Tensor[] arguments = index >= 0 ? [inputs[index]] : node.Node.Inputs.Select(p => values[p]).ToArray();
            var module = Module[node.Path];
            values[node.Path] = replacements.TryGetValue(node.Path, out var replacement)
                ? replacement.Forward(module, arguments)
                : module.Forward(arguments);
            if (node.Path == target) break;
        }
        return values;
    }

    /// <summary>The parameter or buffer <paramref name="name"/> of the node under test ("weight", "pointwise.bias"), or of the graph ("conv1.weight") for a whole graph.</summary>
    /// <exception cref="KeyNotFoundException">There is no tensor of that name.</exception>
    public Tensor Weight(string name) =>
        Weights().TryGetValue(name, out var tensor) ? tensor
            : throw new KeyNotFoundException($"'{Subject.Name}' has no parameter or buffer '{name}'; it has {string.Join(", ", Weights().Keys)}");

    /// <summary>Whether the node under test (or graph) has a parameter or buffer named <paramref name="name"/>.</summary>
    public bool HasWeight(string name) => Weights().ContainsKey(name);

    /// <summary>The parameters and buffers of the node under test (or of the graph), by state-dict name.</summary>
    public IReadOnlyDictionary<string, Tensor> Weights() =>
        (Subject.Path is null ? Module.state_dict() : Module[Subject.Path].state_dict()).ToDictionary(kv => kv.Key, kv => kv.Value);

    /// <summary>Overwrites a parameter or buffer in place with <paramref name="value"/> (converted to its dtype).</summary>
    public void Assign(string name, Tensor value)
    {
        using var noGrad = no_grad();
        Weight(name).copy_(value);
    }

    public void Dispose() => Module.Dispose();
}
