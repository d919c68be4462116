using System.Globalization;
using static TorchSharp.torch;

namespace Cnn.Functional.Torch;

/// <summary>
/// An optimiser's hyperparameters as a value (the learning rate lives in <see cref="TrainingOptions"/>, since the
/// schedule changes it): <see cref="Create"/> builds the optimiser for a module's trainable parameters.
/// </summary>
public abstract record OptimizerSettings
{
    /// <summary>The optimiser over <paramref name="module"/>'s trainable parameters.</summary>
    /// <exception cref="ArgumentException">A hyperparameter is out of range, or nothing is trainable.</exception>
    public abstract Optimizer Create(nn.Module module, double learningRate);

    /// <summary>Throws a clear <see cref="ArgumentException"/> for an out-of-range hyperparameter.</summary>
    public abstract void Check();

    private protected static void Require(bool ok, string name, double value, string rule)
    {
        if (!ok) throw new ArgumentOutOfRangeException(name, value, string.Create(CultureInfo.InvariantCulture, $"{name} must be {rule}; got {value}"));
    }
}

/// <summary>SGD with momentum μ and weight decay λ (PyTorch's formulation; defaults are AlexNet's 0.9 and 5·10⁻⁴).</summary>
public sealed record SgdSettings(double Momentum = 0.9, double WeightDecay = 5e-4, bool Nesterov = false) : OptimizerSettings
{
    public override Optimizer Create(nn.Module module, double learningRate) => new Sgd(module, learningRate, Momentum, WeightDecay, Nesterov);

    public override void Check()
    {
        Require(Momentum >= 0 && Momentum < 1, "momentum", Momentum, "in [0, 1)");
        Require(WeightDecay >= 0 && double.IsFinite(WeightDecay), "weight decay", WeightDecay, "a finite number ≥ 0");
        if (Nesterov && Momentum == 0) throw new ArgumentException("Nesterov momentum needs a momentum > 0", nameof(Nesterov));
    }
}

/// <summary>Adam (Algorithm 8.7) with decay rates ρ₁, ρ₂ and stabiliser δ; the defaults are the lecture's suggested ones.</summary>
public sealed record AdamSettings(double Rho1 = 0.9, double Rho2 = 0.999, double Delta = 1e-8, double WeightDecay = 0) : OptimizerSettings
{
    public override Optimizer Create(nn.Module module, double learningRate) => new Adam(module, learningRate, Rho1, Rho2, Delta, WeightDecay);

    public override void Check()
    {
        Require(Rho1 >= 0 && Rho1 < 1, "ρ1", Rho1, "in [0, 1)");
        Require(Rho2 >= 0 && Rho2 < 1, "ρ2", Rho2, "in [0, 1)");
        Require(Delta > 0 && double.IsFinite(Delta), "δ", Delta, "a finite number > 0");
        Require(WeightDecay >= 0 && double.IsFinite(WeightDecay), "weight decay", WeightDecay, "a finite number ≥ 0");
    }
}

/// <summary>Factories with named optional arguments (for F# and C# alike).</summary>
public static class Optimizers
{
    /// <summary>SGD; <c>Optimizers.Sgd()</c> is AlexNet's recipe (momentum 0.9, weight decay 5·10⁻⁴).</summary>
    public static OptimizerSettings Sgd(double momentum = 0.9, double weightDecay = 5e-4, bool nesterov = false) =>
        new SgdSettings(momentum, weightDecay, nesterov);

    /// <summary>Adam with the lecture's suggested defaults ρ₁ = 0.9, ρ₂ = 0.999, δ = 10⁻⁸.</summary>
    public static OptimizerSettings Adam(double rho1 = 0.9, double rho2 = 0.999, double delta = 1e-8, double weightDecay = 0) =>
        new AdamSettings(rho1, rho2, delta, weightDecay);
}
