using static TorchSharp.torch;

namespace Cnn.Functional.Torch;

/// <summary>Accuracy under an FGSM attack of strength <paramref name="Epsilon"/> (ε = 0: clean accuracy).</summary>
public sealed record RobustnessPoint(double Epsilon, double Accuracy);

/// <summary>Accuracy against ε on <paramref name="Count"/> examples of <paramref name="Data"/>: the accuracy-versus-ε curve.</summary>
public sealed record RobustnessCurve(string Data, int Count, EquatableArray<RobustnessPoint> Points)
{
    /// <summary>The accuracy at <paramref name="epsilon"/>.</summary>
    /// <exception cref="ArgumentException">The curve was not measured at that ε.</exception>
    public double At(double epsilon) =>
        Points.FirstOrDefault(p => Math.Abs(p.Epsilon - epsilon) < 1e-12)?.Accuracy
        ?? throw new ArgumentException($"the curve has no point at ε = {epsilon}; it has {string.Join(", ", Points.Select(p => p.Epsilon))}", nameof(epsilon));
}

/// <summary>
/// The panda-to-gibbon figure for one image: the original, the perturbation's sign, the adversarial image, and what the
/// network predicts for each with its probability.
/// </summary>
public sealed record AdversarialExample(double Epsilon, int Label, Picture Original, Picture Perturbation, Picture Adversarial,
    int OriginalPrediction, float OriginalConfidence, int AdversarialPrediction, float AdversarialConfidence);

/// <summary>
/// The fast gradient sign method (Goodfellow, Shlens &amp; Szegedy 2015, "Explaining and Harnessing Adversarial
/// Examples", §4): <c>x̃ = x + ε · sign(∇ₓ J(θ, x, y))</c>, a step of size ε in max-norm that increases the loss J
/// the most to first order. Here x̃ is clipped back to the valid pixel range [0, 1] (the data's range).
/// </summary>
public static class Fgsm
{
    /// <summary>
    /// Adversarial versions of <paramref name="images"/> [N, …] for <paramref name="labels"/> [N], with the gradient of
    /// the training loss in evaluation mode, clipped to [0, 1]. The caller owns the result (made in the current
    /// dispose scope); the module's parameters' gradients are not touched.
    /// </summary>
    /// <exception cref="ArgumentException">ε is negative or not finite, or the batch does not fit the graph.</exception>
    public static Tensor Attack(GraphModule module, Tensor images, Tensor labels, double epsilon)
    {
        CheckEpsilon(epsilon);
        ExplainInput.CheckBatch(module, images, labels, "FGSM");
        var output = ModelOutput.Of(module.Graph);
        using var mode = Freezing.Evaluating(module);
        var device = ExplainInput.DeviceOf(module);
        using var scope = NewDisposeScope();
        var x = images.detach().to(ScalarType.Float32).to(device);
        return Step(x, Sign(module, output, x, labels.to(device)), epsilon).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Accuracy on the first <paramref name="limit"/> examples of <paramref name="data"/> under FGSM at each of
    /// <paramref name="epsilons"/>. The gradient's sign does not depend on ε, so each batch costs one backward pass and
    /// one forward pass per ε. Evaluation mode, one dispose scope per batch.
    /// </summary>
    /// <exception cref="GraphException">The data does not fit the graph.</exception>
    /// <exception cref="ArgumentException">An ε is negative or not finite, none is given, or the data is empty or badly typed.</exception>
    public static RobustnessCurve Curve(GraphModule module, Dataset data, IReadOnlyList<double> epsilons, int limit = int.MaxValue, int batchSize = 256)
    {
        if (epsilons is null || epsilons.Count == 0) throw new ArgumentException("give at least one ε", nameof(epsilons));
        foreach (var e in epsilons) CheckEpsilon(e);
        if (limit < 1) throw new ArgumentOutOfRangeException(nameof(limit), limit, "at least 1");
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "at least 1");
        var output = ModelOutput.Of(module.Graph);
        Evaluator.Check(data, module, output, "attacked");
        var count = (int)Math.Min(limit, data.Count);
        var correct = new long[epsilons.Count];
        var device = ExplainInput.DeviceOf(module);
        using (Freezing.Evaluating(module))
            for (var start = 0; start < count; start += batchSize)
            {
                using var scope = NewDisposeScope();
                var n = Math.Min(batchSize, count - start);
                var x = data.Images.narrow(0, start, n).to(device);
                var y = data.Labels.narrow(0, start, n).to(device);
                var sign = Sign(module, output, x, y);
                using var noGrad = no_grad();
                for (var i = 0; i < epsilons.Count; i++)
                    correct[i] += Scalars.Read<long>(ExplainInput.Scores(module, output, Step(x, sign, epsilons[i])).argmax(1).eq(y).sum());
            }
        return new RobustnessCurve(data.Name, count, epsilons.Select((e, i) => new RobustnessPoint(e, (double)correct[i] / count)).ToEquatableArray());
    }

    /// <summary>One image attacked at <paramref name="epsilon"/>, with the predictions before and after.</summary>
    /// <exception cref="ArgumentException">ε is out of range, the image does not fit, or the label is not a class of the output.</exception>
    public static AdversarialExample Example(GraphModule module, Tensor image, int label, double epsilon)
    {
        CheckEpsilon(epsilon);
        var output = ModelOutput.Of(module.Graph);
        ExplainInput.CheckClass(output, label, "FGSM");
        using var mode = Freezing.Evaluating(module);
        using var scope = NewDisposeScope();
        var x = ExplainInput.One(module, image, "FGSM");
        var y = tensor(new long[] { label }, device: x.device);
        var sign = Sign(module, output, x, y);
        var adversarial = Step(x, sign, epsilon);
        using var noGrad = no_grad();
        var (before, after) = (ExplainInput.Probabilities(module, output, x)[0], ExplainInput.Probabilities(module, output, adversarial)[0]);
        var (p0, p1) = ((int)Scalars.Read<long>(before.argmax()), (int)Scalars.Read<long>(after.argmax()));
        return new AdversarialExample(epsilon, label, Picture.FromTensor(x), Picture.FromTensor(sign), Picture.FromTensor(adversarial),
            p0, Scalars.Read<float>(before[p0]), p1, Scalars.Read<float>(after[p1]));
    }

    /// <summary>
    /// sign(∇ₓ J(θ, x, y)) for a batch, in the module's current mode and the caller's scope; no parameter gradient is
    /// kept. J is the output's own loss, or <paramref name="loss"/> of the class scores and labels when given.
    /// </summary>
    internal static Tensor Sign(GraphModule module, ModelOutput output, Tensor images, Tensor labels, Func<Tensor, Tensor, Tensor>? loss = null)
    {
        var x = images.detach().clone().requires_grad_();
        var scored = output.Score(module, x, labels);
        var objective = loss is null ? scored.Loss : loss(scored.Scores, labels);
        if (objective is null || objective.numel() != 1)
            throw new ArgumentException($"the loss must return a scalar; it returned {(objective is null ? "null" : $"[{string.Join(", ", objective.shape)}]")}", nameof(loss));
        return autograd.grad([objective], [x])[0].sign();
    }

    /// <summary>x + ε·sign, clipped to [0, 1].</summary>
    internal static Tensor Step(Tensor images, Tensor sign, double epsilon) => (images + epsilon * sign).clamp(0, 1).detach();

    internal static void CheckEpsilon(double epsilon)
    {
        if (!double.IsFinite(epsilon) || epsilon < 0)
            throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, $"ε is a max-norm step in pixel units: a finite number ≥ 0; got {epsilon}");
    }
}
