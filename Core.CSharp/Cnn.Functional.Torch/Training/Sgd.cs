using TorchSharp;
using static TorchSharp.torch;

namespace Cnn.Functional.Torch;

/// <summary>
/// Stochastic gradient descent with momentum and weight decay in PyTorch's formulation (<c>torch.optim.SGD</c>,
/// dampening 0), the recipe AlexNet trained with (momentum 0.9, weight decay 5·10⁻⁴; lecture, "AlexNet (2012) Training"):
/// <code>
/// g ← g + λθ                      (weight decay: the gradient of (λ/2)‖θ‖²)
/// b ← g on the first step, else b ← μb + g
/// θ ← θ − ε·b                     (Nesterov: θ ← θ − ε·(g + μb))
/// </code>
/// Krizhevsky et al. write v ← 0.9v − 0.0005·ε·θ − ε·g, θ ← θ + v: the same steps while ε is fixed, but their
/// velocity carries the old ε across a learning-rate change, where PyTorch's buffer b does not.
/// </summary>
public sealed class Sgd : Optimizer
{
    /// <exception cref="ArgumentException">A hyperparameter is out of range (see <see cref="SgdSettings"/>).</exception>
    public Sgd(nn.Module module, double learningRate, double momentum = 0.9, double weightDecay = 5e-4, bool nesterov = false)
        : base(module, learningRate)
    {
        new SgdSettings(momentum, weightDecay, nesterov).Check();
        Momentum = momentum;
        WeightDecay = weightDecay;
        Nesterov = nesterov;
        (momentumScalar, decayScalar) = (Constants.Of(momentum), Constants.Of(weightDecay));
    }

    private readonly Scalar momentumScalar, decayScalar;

    public override string Kind => "sgd";

    /// <summary>μ.</summary>
    public double Momentum { get; }

    /// <summary>λ.</summary>
    public double WeightDecay { get; }

    public bool Nesterov { get; }

    protected override void Update(int index, Tensor parameter, Tensor gradient)
    {
        var g = WeightDecay != 0 ? gradient.add(parameter, alpha: decayScalar) : gradient;
        if (Momentum != 0)
        {
            var b = Find(index, "momentum_buffer");
            if (b is null) b = Keep(index, "momentum_buffer", g.clone());
            else b.mul_(momentumScalar).add_(g, Scalars.One);
            g = Nesterov ? g.add(b, alpha: momentumScalar) : b;
        }
        parameter.add_(g, alpha: Numbers.Of(-RateOf(index)));
    }

    protected override void CheckSlot(string slot, Tensor parameter, Tensor value, string key)
    {
        if (slot != "momentum_buffer" || Momentum == 0)
            throw new ArgumentException($"optimiser state '{key}' is not state of SGD{(Momentum == 0 ? " without momentum" : "")} (it keeps only momentum_buffer)");
        RequireLike(parameter, value, key);
    }
}
