using System.Globalization;

namespace Cnn.Functional.Torch;

/// <summary>
/// How to train: every setting has a default, so <c>new TrainingOptions { Epochs = 3 }</c> (C#) or
/// <c>TrainingOptions(Epochs = 3)</c> (F#) is a complete recipe. The defaults are the LeNet-5 recipe:
/// Adam, ε = 10⁻³, batch 64.
/// </summary>
public sealed record TrainingOptions
{
    /// <summary>The number of epochs a run trains in total (a resumed run continues up to it).</summary>
    public int Epochs { get; init; } = 10;

    public int BatchSize { get; init; } = 64;

    /// <summary>The initial learning rate ε₀.</summary>
    public double LearningRate { get; init; } = 1e-3;

    public OptimizerSettings Optimizer { get; init; } = new AdamSettings();

    public LearningRateSchedule Schedule { get; init; } = new ConstantRate();

    /// <summary>Per-node factors on the learning rate (fine-tuning: a small factor for transferred layers); empty: all 1.</summary>
    public EquatableArray<LearningRateScale> LearningRateScales { get; init; } = EquatableArray<LearningRateScale>.Empty;

    /// <summary>Random transformations of each training batch (never of validation or test data); null for none.</summary>
    public AugmentationPolicy? Augmentation { get; init; }

    /// <summary>
    /// A loss to train with instead of the output's own (see <see cref="ModelOutput"/>), e.g. a focal loss for imbalanced
    /// classes: it receives a batch's class scores <c>[N, K]</c> (larger is more likely; logits for a dense output) and labels
    /// <c>[N]</c> int64, and returns a float32 scalar made in the caller's dispose scope. Null: the output's own loss.
    /// Validation and <see cref="Trainer.Evaluate"/> still report the output's own loss, so runs stay comparable.
    /// </summary>
    public Func<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor, TorchSharp.torch.Tensor>? Loss { get; init; }

    /// <summary>FGSM adversarial training (Goodfellow et al. 2015): part of each training batch attacked at ε; null for none.</summary>
    public AdversarialTraining? Adversarial { get; init; }

    /// <summary>Early stopping, or null to always run every epoch.</summary>
    public EarlyStopping? EarlyStopping { get; init; }

    /// <summary>
    /// The seed of the run: <see cref="Trainer.Fit"/> seeds libtorch's global generator with it before the first epoch
    /// (dropout draws from it), shuffles with its own generator seeded with it, and splits off the validation set by it.
    /// On a CPU the same seed, data and initial weights give the same weights, bit for bit.
    /// </summary>
    public long Seed { get; init; } = 1;

    /// <summary>When no validation set is passed to Fit, the fraction of the training set held out for validation (0: none).</summary>
    public double ValidationFraction { get; init; }

    /// <summary>The batch size of evaluation passes (no gradients are kept, so it can be larger than <see cref="BatchSize"/>).</summary>
    public int EvaluationBatchSize { get; init; } = 256;

    /// <summary>Report a <see cref="BatchEnded"/> event every this many steps (and on each epoch's last); 0 for none.</summary>
    public int BatchEventInterval { get; init; } = 1;

    /// <summary>The TorchSharp device, e.g. "cpu" (the only one this build of libtorch has) or "cuda:0".</summary>
    public string Device { get; init; } = "cpu";

    /// <summary>When not empty, a checkpoint is written here (atomically) after every epoch.</summary>
    public string CheckpointPath { get; init; } = "";

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first setting out of range.</summary>
    public void Check()
    {
        Require(Epochs >= 1, nameof(Epochs), Epochs, "at least 1");
        Require(BatchSize >= 1, nameof(BatchSize), BatchSize, "at least 1");
        Require(EvaluationBatchSize >= 1, nameof(EvaluationBatchSize), EvaluationBatchSize, "at least 1");
        Require(BatchEventInterval >= 0, nameof(BatchEventInterval), BatchEventInterval, "0 or more");
        Require(double.IsFinite(LearningRate) && LearningRate > 0, nameof(LearningRate), LearningRate, "a positive finite number");
        Require(ValidationFraction >= 0 && ValidationFraction < 1, nameof(ValidationFraction), ValidationFraction, "in [0, 1)");
        if (Optimizer is null) throw new ArgumentNullException(nameof(Optimizer), "choose an optimiser, e.g. Optimizers.Adam()");
        if (Schedule is null) throw new ArgumentNullException(nameof(Schedule), "choose a schedule, e.g. Schedules.Constant()");
        if (Device is null) throw new ArgumentNullException(nameof(Device), "name a device, e.g. \"cpu\"");
        if (CheckpointPath is null) throw new ArgumentNullException(nameof(CheckpointPath), "use \"\" for no checkpoints");
        Optimizer.Check();
        Augmentation?.Check();
        Adversarial?.Check();
        foreach (var scale in LearningRateScales)
        {
            if (scale is null) throw new ArgumentNullException(nameof(LearningRateScales), "a learning-rate scale is null");
            Require(double.IsFinite(scale.Factor) && scale.Factor > 0, $"LearningRateScales['{scale.PathPrefix}'].Factor", scale.Factor, "a finite number > 0");
        }
        switch (Schedule)
        {
            case StepDecay s:
                Require(s.Every >= 1, "StepDecay.Every", s.Every, "at least 1 epoch");
                Require(s.Factor > 0 && s.Factor <= 1, "StepDecay.Factor", s.Factor, "in (0, 1]");
                break;
            case DivideOnPlateau p:
                Require(p.Factor > 0 && p.Factor < 1, "DivideOnPlateau.Factor", p.Factor, "in (0, 1)");
                Require(p.Patience >= 1, "DivideOnPlateau.Patience", p.Patience, "at least 1 epoch");
                Require(p.MinDelta >= 0, "DivideOnPlateau.MinDelta", p.MinDelta, "0 or more");
                Require(p.MinLearningRate >= 0, "DivideOnPlateau.MinLearningRate", p.MinLearningRate, "0 or more");
                break;
        }
        if (EarlyStopping is { } e)
        {
            Require(e.Patience >= 1, "EarlyStopping.Patience", e.Patience, "at least 1 epoch");
            Require(e.MinDelta >= 0, "EarlyStopping.MinDelta", e.MinDelta, "0 or more");
        }
    }

    /// <summary>The metrics the schedule and early stopping read.</summary>
    internal IEnumerable<Metric> Watched => Schedule.Reads.Concat(EarlyStopping is { } e ? [e.Metric] : []);

    private static void Require(bool ok, string name, double value, string rule)
    {
        if (!ok) throw new ArgumentOutOfRangeException(name, value, string.Create(CultureInfo.InvariantCulture, $"{name} must be {rule}; got {value}"));
    }
}
