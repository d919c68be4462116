using System.Globalization;
using static TorchSharp.torch;

namespace Cnn.Functional.MLNet;

/// <summary>
/// The focal loss of Lin et al. (2017), "Focal Loss for Dense Object Detection", for imbalanced classes:
/// <c>FL = −Σ_k α_t (1 − p_t)^γ log p_t</c> over the K classes as one-vs-rest sigmoid outputs
/// (<c>p = σ(z)</c>, <c>p_t = p</c> for the true class and <c>1 − p</c> for the others, <c>α_t = α</c> and <c>1 − α</c>),
/// averaged over the batch. Well-classified examples (p_t near 1) weigh little, so the many easy examples of a
/// frequent class do not drown the rare ones. γ = 0 and α = ½ give half the one-vs-rest binary cross-entropy.
/// It is computed by <c>Microsoft.ML.TorchSharp</c>'s <c>Loss.FocalLoss</c> (RetinaNet's), with each image one
/// anchor box that its annotation covers exactly.
/// </summary>
/// <param name="Alpha">α, the weight of the true class's term, in [0, 1] (RetinaNet: 0.25).</param>
/// <param name="Gamma">γ ≥ 0, the focusing parameter (RetinaNet: 2).</param>
public sealed record FocalLossOptions(double Alpha = 0.25, double Gamma = 2.0)
{
    /// <exception cref="ArgumentOutOfRangeException">α is outside [0, 1] or γ is negative or not finite.</exception>
    public void Check()
    {
        if (!(Alpha >= 0 && Alpha <= 1))
            throw new ArgumentOutOfRangeException(nameof(Alpha), Alpha, string.Create(CultureInfo.InvariantCulture, $"FocalLoss.Alpha must be in [0, 1]; got {Alpha}"));
        if (!(Gamma >= 0) || !double.IsFinite(Gamma))
            throw new ArgumentOutOfRangeException(nameof(Gamma), Gamma, string.Create(CultureInfo.InvariantCulture, $"FocalLoss.Gamma must be a finite number ≥ 0; got {Gamma}"));
    }

    /// <summary>
    /// The loss as the training engine takes it (<see cref="Torch.TrainingOptions.Loss"/>): class scores <c>[N, K]</c>
    /// (logits) and labels <c>[N]</c> int64 to a float32 scalar. The returned object owns the TorchSharp module; dispose it after training.
    /// </summary>
    public FocalLossFunction Create() => new(this);
}

/// <summary>A focal loss ready to train with; owns <c>Microsoft.ML.TorchSharp</c>'s loss module.</summary>
public sealed class FocalLossFunction : IDisposable
{
    // One anchor box per image and an annotation box equal to it (IoU 1, so always a positive), in pixel-like units:
    // RetinaNet's loss clamps box sizes to at least 1.
    private const float Box = 16f;

    private readonly Microsoft.ML.TorchSharp.Loss.FocalLoss loss;

    internal FocalLossFunction(FocalLossOptions options)
    {
        options.Check();
        Options = options;
        loss = new Microsoft.ML.TorchSharp.Loss.FocalLoss(options.Alpha, options.Gamma);
    }

    public FocalLossOptions Options { get; }

    /// <summary>The mean focal loss of a batch: scores <c>[N, K]</c> logits, labels <c>[N]</c> int64 → float32 scalar, in the caller's dispose scope.</summary>
    public Tensor Compute(Tensor scores, Tensor labels)
    {
        if (scores.dim() != 2 || labels.dim() != 1 || labels.shape[0] != scores.shape[0])
            throw new ArgumentException($"focal loss takes scores [N, K] and labels [N]; got [{string.Join(", ", scores.shape)}] and [{string.Join(", ", labels.shape)}]");
        var n = scores.shape[0];
        var device = scores.device;
        // RetinaNet's layout: classifications [N, anchors, K] as probabilities, regressions [N, anchors, 4],
        // anchors [1, anchors, 4] and annotations [N, boxes, 5] (x1, y1, x2, y2, class) of integers.
        var classifications = scores.sigmoid().unsqueeze(1);
        var regressions = zeros([n, 1, 4], scores.dtype, device);
        var anchors = tensor(new[] { 0f, 0f, Box, Box }, [1, 1, 4], device: device);
        var boxes = tensor(new long[] { 0, 0, (long)Box, (long)Box }, device: device).expand(n, 4);
        var annotations = cat([boxes, labels.to_type(ScalarType.Int64).unsqueeze(1)], 1).unsqueeze(1);
        // Its result is float64; the regression term is 0 (the box needs no correction and the regressions are zero).
        return loss.forward(classifications, regressions, anchors, annotations).to_type(ScalarType.Float32);
    }

    public void Dispose() => loss.Dispose();
}
