namespace Cnn.Functional;

/// <summary>The element-wise nonlinearities (the lecture: sigmoid, tanh, "ReLU and its variants").</summary>
public enum ActivationFunction
{
    Sigmoid,
    Tanh,
    Relu,

    /// <summary>max(x, αx) with a fixed slope α (default 0.01).</summary>
    LeakyRelu,

    /// <summary>max(x, αx) with a learned slope per channel (He et al., 2015), initialised to α.</summary>
    PRelu,

    /// <summary>x for x &gt; 0, α(eˣ − 1) otherwise.</summary>
    Elu,

    Selu,
    Gelu,

    /// <summary>min(max(x, 0), 6).</summary>
    Relu6,

    /// <summary>x·σ(x), also called swish.</summary>
    Silu,

    Softplus,

    /// <summary>LeCun's scaled tanh, 1.7159·tanh(2x/3) (LeCun et al., 1998, appendix A).</summary>
    ScaledTanh,
}

/// <summary>
/// An element-wise nonlinearity: <c>[N, *] → [N, *]</c>. No parameters, except PReLU's one slope per channel.
/// <paramref name="Alpha"/> is the slope (leaky ReLU, PReLU's initial value) or scale (ELU); other functions ignore it.
/// </summary>
public sealed record Activation(ActivationFunction Function, double Alpha) : Layer
{
    public override string Kind => Function switch
    {
        ActivationFunction.LeakyRelu => "leakyRelu",
        ActivationFunction.PRelu => "prelu",
        ActivationFunction.ScaledTanh => "scaledTanh",
        _ => Function.ToString().ToLowerInvariant(),
    };

    public override LayerInfo? Infer(LayerContext c)
    {
        if (!c.Check(Enum.IsDefined(Function), $"unknown activation function {(int)Function}")) return null;
        // The slope or scale becomes a float32 scalar (or PReLU's float32 weights): 10³⁰⁰ is finite, and libtorch refuses it at run time.
        if (!c.FitsFloat32(Alpha, "alpha")) return null;
        var parameters = Function == ActivationFunction.PRelu ? c.Input.Channels : 0;
        return new LayerInfo(c.Input, parameters, 0, 0, SpatialMap.Identity);
    }
}

/// <summary>
/// Softmax over the channels (classes) at every position: <c>[N, C, *] → [N, C, *]</c>,
/// σ(z)ᵢ = e^{zᵢ} / Σⱼ e^{zⱼ}; with <paramref name="Log"/>, its logarithm (numerically stable).
/// </summary>
public sealed record Softmax(bool Log) : Layer
{
    public override string Kind => Log ? "logSoftmax" : "softmax";

    public override LayerInfo? Infer(LayerContext c) => new(c.Input, 0, 0, 0, SpatialMap.Identity);
}
