using TorchSharp;
using static TorchSharp.torch;

namespace Cnn.Functional.Torch;

/// <summary>
/// Adam exactly as the lecture's Algorithm 8.7 (Goodfellow et al., Deep Learning, 2016), per parameter:
/// <code>
/// t ← t + 1
/// s ← ρ₁s + (1 − ρ₁)g            biased first moment
/// r ← ρ₂r + (1 − ρ₂)g⊙g          biased second moment
/// ŝ ← s/(1 − ρ₁ᵗ),  r̂ ← r/(1 − ρ₂ᵗ)   bias correction
/// Δθ = −ε ŝ/(√r̂ + δ),  θ ← θ + Δθ
/// </code>
/// δ sits outside the root, as in the book, in Kingma &amp; Ba (2015) and in <c>torch.optim.Adam</c>; the lecture's
/// slide typesets √(r̂ + δ), which with δ = 10⁻⁸ would bound the step by ε·ŝ/10⁻⁴ instead of ε·ŝ/10⁻⁸ and disagree
/// with every reference implementation. The bias corrections are applied as scalars (to ε and to √r), as
/// <c>torch.optim.Adam</c> applies them, and the result equals it bit for bit. An optional weight decay λ adds
/// λθ to g first, as <c>torch.optim.Adam(weight_decay=λ)</c> does (L2, not AdamW's decoupled decay).
/// </summary>
public sealed class Adam : Optimizer
{
    /// <exception cref="ArgumentException">A hyperparameter is out of range (see <see cref="AdamSettings"/>).</exception>
    public Adam(nn.Module module, double learningRate = 1e-3, double rho1 = 0.9, double rho2 = 0.999, double delta = 1e-8, double weightDecay = 0)
        : base(module, learningRate)
    {
        new AdamSettings(rho1, rho2, delta, weightDecay).Check();
        Rho1 = rho1;
        Rho2 = rho2;
        Delta = delta;
        WeightDecay = weightDecay;
        (rho1Scalar, rho1Complement, rho2Scalar, rho2Complement, deltaScalar, decayScalar) = (Constants.Of(rho1),
            Constants.Of(1 - rho1), Constants.Of(rho2), Constants.Of(1 - rho2), Constants.Of(delta), Constants.Of(weightDecay));
    }

    private readonly Scalar rho1Scalar, rho1Complement, rho2Scalar, rho2Complement, deltaScalar, decayScalar;

    public override string Kind => "adam";

    /// <summary>ρ₁, the decay of the first moment (β₁ in Kingma &amp; Ba).</summary>
    public double Rho1 { get; }

    /// <summary>ρ₂, the decay of the second moment (β₂).</summary>
    public double Rho2 { get; }

    /// <summary>δ, the stabiliser added to √r̂ (PyTorch's eps).</summary>
    public double Delta { get; }

    /// <summary>λ (L2 added to the gradient).</summary>
    public double WeightDecay { get; }

    protected override void Update(int index, Tensor parameter, Tensor gradient)
    {
        var n = Numbers;
        var g = WeightDecay != 0 ? gradient.add(parameter, alpha: decayScalar) : gradient;
        var step = Find(index, "step") ?? Keep(index, "step", zeros([], ScalarType.Int64, parameter.device));
        var s = Find(index, "exp_avg") ?? Keep(index, "exp_avg", zeros_like(parameter));
        var r = Find(index, "exp_avg_sq") ?? Keep(index, "exp_avg_sq", zeros_like(parameter));
        var t = Scalars.Read<long>(step.add_(Scalars.One, Scalars.One));
        s.mul_(rho1Scalar).add_(g, alpha: rho1Complement);
        r.mul_(rho2Scalar).addcmul_(g, g, value: rho2Complement);
        // θ ← θ − ε ŝ/(√r̂ + δ) with ŝ = s/(1 − ρ₁ᵗ) and √r̂ = √r/√(1 − ρ₂ᵗ): the corrections are scalars, so they are
        // applied to scalars — ε/(1 − ρ₁ᵗ) and the root's divisor — instead of dividing s and r into two more
        // parameter-sized tensors. One temporary (√r, then in place /√(1 − ρ₂ᵗ) + δ) and one pass fewer per parameter,
        // and the operations of torch.optim.Adam in its order, so the two agree bit for bit.
        var denominator = r.sqrt().div_(n.Of(Math.Sqrt(1 - Math.Pow(Rho2, t)))).add_(deltaScalar, Scalars.One);
        parameter.addcdiv_(s, denominator, value: n.Of(-RateOf(index) / (1 - Math.Pow(Rho1, t))));
    }

    protected override void CheckSlot(string slot, Tensor parameter, Tensor value, string key)
    {
        switch (slot)
        {
            case "exp_avg" or "exp_avg_sq":
                RequireLike(parameter, value, key);
                break;
            case "step":
                if (value.dtype != ScalarType.Int64 || value.dim() != 0)
                    throw new ArgumentException($"optimiser state '{key}' must be an int64 scalar; it is {value.dtype} [{string.Join(", ", value.shape)}]");
                break;
            default:
                throw new ArgumentException($"optimiser state '{key}' is not state of Adam (it keeps step, exp_avg and exp_avg_sq)");
        }
    }
}
