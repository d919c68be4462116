using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Cnn.Functional.Torch;

/// <summary>
/// The lowered form of one graph node: a TorchSharp module whose parameters and buffers carry the names of
/// <see cref="StateDictLayout"/> (weight, bias, running_mean, …), and whose forward takes the node's inputs in order.
/// </summary>
public abstract class NodeModule : nn.Module
{
    protected NodeModule(string name) : base(name) { }

    /// <summary>The node's output for its inputs (one tensor per graph input edge, batch first).</summary>
    public abstract Tensor Forward(IReadOnlyList<Tensor> inputs);

    /// <summary>A parameter initialised from U[−bound, bound] — the lecture's standard initialisation with bound 1/√n.</summary>
    protected Parameter Uniform(string name, long[] shape, double bound)
    {
        var parameter = new Parameter(empty(shape));
        using (no_grad()) parameter.uniform_(-bound, bound);
        register_parameter(name, parameter);
        return parameter;
    }

    /// <summary>A parameter filled with <paramref name="value"/>.</summary>
    protected Parameter Filled(string name, long[] shape, double value)
    {
        var parameter = new Parameter(full(shape, value));
        register_parameter(name, parameter);
        return parameter;
    }

    /// <summary>A buffer filled with <paramref name="value"/> (saved in the state dict, not learned).</summary>
    protected Tensor Buffer(string name, long[] shape, double value, ScalarType type = ScalarType.Float32)
    {
        var buffer = full(shape, value, dtype: type);
        register_buffer(name, buffer);
        return buffer;
    }
}

/// <summary>A node with no parameters: a function of its inputs (activations, merges, pooling, …).</summary>
internal sealed class FunctionModule(string name, Func<IReadOnlyList<Tensor>, bool, Tensor> function) : NodeModule(name)
{
    public override Tensor Forward(IReadOnlyList<Tensor> inputs) => function(inputs, training);
}

/// <summary>A container that only gives its children a common name prefix (a path segment such as "layer1").</summary>
internal sealed class ScopeModule(string name) : nn.Module(name)
{
    public void Add(string child, nn.Module module) => register_module(child, module);

    public nn.Module? Child(string child) => named_children().FirstOrDefault(c => c.name == child).module;
}
