using System.Globalization;
using static TorchSharp.torch;

namespace Cnn.Functional.Torch;

/// <summary>
/// Adversarial training with the fast gradient sign method (Goodfellow, Shlens &amp; Szegedy 2015, §6): the
/// objective <c>J̃(θ, x, y) = α J(θ, x, y) + (1 − α) J(θ, x + ε sign(∇ₓ J(θ, x, y)), y)</c>, with the paper's α = 0.5.
/// Each training batch keeps a share α of its (shuffled) examples clean and replaces the other <see cref="Fraction"/>
/// = 1 − α by their FGSM versions at <see cref="Epsilon"/>, made from the current weights, so the batch-mean loss
/// is J̃ in expectation at no extra batch size. The attack's gradient is taken in evaluation mode (it draws no
/// dropout mask and moves no batch-norm statistic) and never reaches the parameters' gradients.
/// </summary>
public sealed record AdversarialTraining(double Epsilon = 0.1, double Fraction = 0.5)
{
    /// <summary>Throws an <see cref="ArgumentOutOfRangeException"/> naming a setting out of range.</summary>
    public void Check()
    {
        if (!double.IsFinite(Epsilon) || Epsilon <= 0)
            throw new ArgumentOutOfRangeException(nameof(Epsilon), Epsilon, string.Create(CultureInfo.InvariantCulture, $"Adversarial.Epsilon must be a finite number > 0 (pixel units); got {Epsilon}"));
        if (!double.IsFinite(Fraction) || Fraction <= 0 || Fraction > 1)
            throw new ArgumentOutOfRangeException(nameof(Fraction), Fraction, string.Create(CultureInfo.InvariantCulture, $"Adversarial.Fraction must be in (0, 1]; got {Fraction}"));
    }

    /// <summary>The batch with its first ⌈Fraction·B⌉ examples replaced by their FGSM versions, in the caller's dispose scope.</summary>
    internal Tensor Apply(GraphModule module, ModelOutput output, Tensor images, Tensor labels)
    {
        var size = images.shape[0];
        var attacked = Math.Min(size, (long)Math.Ceiling(Fraction * size));
        Tensor adversarial;
        using (ExplainInput.Evaluating(module))
        {
            var x = images.narrow(0, 0, attacked);
            adversarial = Fgsm.Step(x, Fgsm.Sign(module, output, x, labels.narrow(0, 0, attacked)), Epsilon);
        }
        return attacked == size ? adversarial : cat([adversarial, images.narrow(0, attacked, size - attacked)], 0);
    }
}
