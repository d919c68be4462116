using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Cnn.Functional.Torch;

/// <summary>
/// Classification losses, averaged over the batch: the <c>(1/m) Σᵢ L(f(x⁽ⁱ⁾; θ), y⁽ⁱ⁾)</c> whose gradient the
/// lecture's optimisers take (Algorithm 8.7, "compute gradient"). Scores are <c>[N, K]</c>, labels <c>[N]</c> int64 in
/// 0…K − 1; each loss returns a scalar tensor in the caller's dispose scope.
/// </summary>
public static class Losses
{
    /// <summary>
    /// Cross-entropy from logits z: <c>L = −log softmax(z)_y = −z_y + log Σⱼ exp zⱼ</c>, computed by libtorch's
    /// log-sum-exp, so it stays finite however large the logits grow.
    /// </summary>
    public static Tensor CrossEntropy(Tensor logits, Tensor labels) => F.cross_entropy(logits, labels);

    /// <summary>Negative log-likelihood of log-probabilities (the output of a logSoftmax): <c>L = −(log p)_y</c>.</summary>
    public static Tensor NegativeLogLikelihood(Tensor logProbabilities, Tensor labels) => F.nll_loss(logProbabilities, labels);

    /// <summary>
    /// Negative log-likelihood of probabilities (the output of a softmax): <c>L = −log max(p_y, 1e−45)</c>. Only for
    /// scores that arrive as probabilities; a softmax that underflows to 0 leaves no gradient, which is why the
    /// trainer takes the logits feeding a final softmax instead (see <see cref="ModelOutput"/>).
    /// </summary>
    public static Tensor NegativeLogLikelihoodOfProbabilities(Tensor probabilities, Tensor labels)
    {
        using var scope = NewDisposeScope();
        // The smallest positive float32 keeps log finite when a probability has underflowed to 0.
        return F.nll_loss(probabilities.clamp_min(float.Epsilon).log(), labels).MoveToOuterDisposeScope();
    }
}
