using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Cnn.Functional.Torch;

/// <summary>Fully connected: y = x·Wᵀ + b, weight [U, I], bias [U], initialised U[−1/√I, 1/√I].</summary>
internal sealed class DenseModule : NodeModule
{
    private readonly Parameter weight;
    private readonly Parameter? bias;

    public DenseModule(string name, int inputs, Dense dense) : base(name)
    {
        var fanIn = (long)(inputs);
        weight = FanInWeight([dense.Units, inputs], fanIn);
        bias = FanInBias(dense.Bias, dense.Units, fanIn);
    }

    public override Tensor Forward(IReadOnlyList<Tensor> inputs) => F.linear(inputs[0], weight, bias);
}

/// <summary>Element-wise nonlinearities; PReLU holds one learned slope per channel.</summary>
internal sealed class ActivationModule : NodeModule
{
    private readonly Activation activation;
    [ComponentName(Name = "weight")] private readonly Parameter? slope;

    public ActivationModule(string name, int channels, Activation activation) : base(name)
    {
        this.activation = activation;
        if (activation.Function == ActivationFunction.PRelu) slope = Filled("weight", [channels], activation.Alpha);
    }

    public override Tensor Forward(IReadOnlyList<Tensor> inputs)
    {
        var x = inputs[0];
        return activation.Function switch
        {
            ActivationFunction.Sigmoid => x.sigmoid(),
            ActivationFunction.Tanh => x.tanh(),
            ActivationFunction.Relu => F.relu(x),
            ActivationFunction.LeakyRelu => F.leaky_relu(x, activation.Alpha),
            ActivationFunction.PRelu => F.prelu(x, slope!),
            ActivationFunction.Elu => F.elu(x, activation.Alpha),
            ActivationFunction.Selu => F.selu(x),
            ActivationFunction.Gelu => F.gelu(x),
            ActivationFunction.Relu6 => F.relu6(x),
            ActivationFunction.Silu => F.silu(x),
            ActivationFunction.Softplus => F.softplus(x),
            // LeCun et al. (1998), appendix A: f(a) = 1.7159·tanh(2a/3).
            _ => ScaledTanh(x),
        };
    }

    private static Tensor ScaledTanh(Tensor x)
    {
        using var numbers = new Scalars();
        using var scaled = x.mul(numbers.Of(2.0 / 3.0));
        using var t = scaled.tanh();
        return t.mul(numbers.Of(1.7159));
    }
}

/// <summary>Σᵢ σ(wᵢ)·xᵢ with one learned weight per input (randomly wired networks' aggregation), starting at σ(0) = ½.</summary>
internal sealed class WeightedSumModule : NodeModule
{
    private readonly Parameter weight;

    public WeightedSumModule(string name, int inputs) : base(name) => weight = Filled("weight", [inputs], 0);

    public override Tensor Forward(IReadOnlyList<Tensor> inputs)
    {
        using var scope = NewDisposeScope();
        var gates = weight.sigmoid();
        var sum = inputs[0] * gates[0];
        for (var i = 1; i < inputs.Count; i++) sum = sum.add(inputs[i] * gates[i], Scalars.One);
        return sum.MoveToOuterDisposeScope();
    }
}
