using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Cnn.Functional.Torch;

/// <summary>
/// The lowered form of one graph node: a TorchSharp module whose parameters and buffers carry the names of
/// <see cref="StateDictLayout"/> (weight, bias, running_mean, …), and whose forward takes the node's inputs in order.
/// </summary>
/// <remarks>
/// TorchSharp's <c>to(dtype)</c> and <c>to(device)</c> replace each parameter and buffer by a new tensor and write it
/// back only into a field of the same name (or one marked <c>[ComponentName]</c> with that name). So a field holding
/// a registered tensor is named like it, and tensors of child modules (<c>offset.weight</c>) are read through the
/// child (<see cref="WeightsModule"/>), never cached in a field of the parent.
/// </remarks>
public abstract class NodeModule : nn.Module
{
    protected NodeModule(string name) : base(name) { }

    /// <summary>
    /// Values per example the forward pass allocates besides the node's output (a padded copy of the input), counted at
    /// lowering so that <see cref="MemoryLimits"/> refuse a node whose scratch memory would not fit before it is allocated.
    /// </summary>
    internal long ScratchElementsPerExample { get; set; }

    /// <summary>The node's output for its inputs (one tensor per graph input edge, batch first).</summary>
    public abstract Tensor Forward(IReadOnlyList<Tensor> inputs);

    /// <summary>A parameter initialised from U[−bound, bound] — the lecture's standard initialisation with bound 1/√n.</summary>
    protected Parameter Uniform(string name, long[] shape, double bound) => Register(name, NewUniform(shape, bound));

    /// <summary>
    /// The "weight" of a convolution or linear layer, from U[−1/√n, 1/√n] with n its fan-in (input elements per
    /// output unit): PyTorch's default, and the lecture's standard initialisation.
    /// </summary>
    protected Parameter FanInWeight(long[] shape, long fanIn) => Uniform("weight", shape, 1 / Math.Sqrt(fanIn));

    /// <summary>The matching "bias" of <paramref name="length"/> values from the same range, or null without one.</summary>
    protected Parameter? FanInBias(bool withBias, long length, long fanIn) => withBias ? Uniform("bias", [length], 1 / Math.Sqrt(fanIn)) : null;

    /// <summary>A parameter filled with <paramref name="value"/>.</summary>
    protected Parameter Filled(string name, long[] shape, double value) => Register(name, NewFilled(shape, value));

    /// <summary>A buffer filled with <paramref name="value"/> (saved in the state dict, not learned).</summary>
    protected Tensor Buffer(string name, long[] shape, double value, ScalarType type = ScalarType.Float32) =>
        Buffer(name, full(shape, value, dtype: type));

    /// <summary>A buffer holding <paramref name="value"/> (saved in the state dict, not learned).</summary>
    protected Tensor Buffer(string name, Tensor value)
    {
        register_buffer(name, value);
        return value;
    }

    /// <summary>A child module holding a weight and an optional bias: PyTorch's <c>offset.weight</c>, <c>pointwise.bias</c>, ….</summary>
    private protected WeightsModule Weights(string name, Parameter weight, Parameter? bias = null)
    {
        var child = new WeightsModule(name, weight, bias);
        register_module(name, child);
        return child;
    }

    /// <summary>A new, unregistered parameter from U[−bound, bound].</summary>
    internal static Parameter NewUniform(long[] shape, double bound)
    {
        var parameter = new Parameter(empty(shape));
        using (no_grad()) parameter.uniform_(-bound, bound);
        return parameter;
    }

    /// <summary>A new, unregistered parameter filled with <paramref name="value"/>.</summary>
    internal static Parameter NewFilled(long[] shape, double value) => new(full(shape, value));

    private Parameter Register(string name, Parameter parameter)
    {
        register_parameter(name, parameter);
        return parameter;
    }
}

/// <summary>A child of a node holding a weight and an optional bias, e.g. the offset convolution of a deformable convolution.</summary>
internal sealed class WeightsModule : nn.Module
{
    // Named as in the state dict, so TorchSharp's to(dtype/device) writes the converted tensors back here.
    private readonly Parameter weight;
    private readonly Parameter? bias;

    internal WeightsModule(string name, Parameter weight, Parameter? bias) : base(name)
    {
        this.weight = weight;
        this.bias = bias;
        register_parameter("weight", weight);
        if (bias is not null) register_parameter("bias", bias);
    }

    public Parameter Weight => weight;

    public Parameter? Bias => bias;
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
