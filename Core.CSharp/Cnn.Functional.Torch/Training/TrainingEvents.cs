namespace Cnn.Functional.Torch;

/// <summary>Mean loss and accuracy (0–1) over a set of examples.</summary>
public sealed record Metrics(double Loss, double Accuracy)
{
    /// <summary>1 − accuracy.</summary>
    public double Error => 1 - Accuracy;
}

/// <summary>
/// One finished epoch (numbered from 1): the learning rate it trained with, the training metrics (from the training
/// forward passes, with dropout active), the validation metrics when there is a validation set, and its speed.
/// </summary>
public sealed record EpochSummary(int Epoch, double LearningRate, Metrics Training, Metrics? Validation, double Seconds, double SamplesPerSecond)
{
    /// <summary>The value of <paramref name="metric"/> for this epoch.</summary>
    /// <exception cref="InvalidOperationException">The metric is a validation metric and the epoch had no validation set.</exception>
    public double Value(Metric metric) => metric switch
    {
        Metric.TrainingLoss => Training.Loss,
        Metric.ValidationLoss => (Validation ?? throw NoValidation(metric)).Loss,
        Metric.ValidationError => (Validation ?? throw NoValidation(metric)).Error,
        _ => throw new ArgumentOutOfRangeException(nameof(metric), metric, "not a metric"),
    };

    private static InvalidOperationException NoValidation(Metric metric) =>
        new($"{metric} needs a validation set: pass one to Fit or set TrainingOptions.ValidationFraction");
}

/// <summary>What a training run reports while it runs (through an <see cref="IProgress{T}"/>).</summary>
public abstract record TrainingEvent;

/// <summary>
/// A training step finished: <paramref name="Batch"/> of <paramref name="Batches"/> in <paramref name="Epoch"/> (both from 1),
/// with the epoch's running mean loss and accuracy so far, its throughput so far and the current learning rate.
/// </summary>
public sealed record BatchEnded(int Epoch, int Batch, int Batches, double Loss, double Accuracy, double SamplesPerSecond, double LearningRate) : TrainingEvent;

/// <summary>An epoch finished (after validation), <paramref name="Epochs"/> being the number the run aims for.</summary>
public sealed record EpochEnded(EpochSummary Summary, int Epochs) : TrainingEvent;

/// <summary>Training stopped for <paramref name="Reason"/>; <paramref name="Message"/> says why in a sentence.</summary>
public sealed record TrainingStopped(StopReason Reason, string Message) : TrainingEvent;

/// <summary>Why <see cref="Trainer.Fit"/> returned.</summary>
public enum StopReason
{
    /// <summary>All epochs ran.</summary>
    Completed,

    /// <summary>The watched metric stopped improving (<see cref="EarlyStopping"/>).</summary>
    EarlyStopped,

    /// <summary>A loss was NaN or infinite; the weights are those at the end of the last completed epoch.</summary>
    Diverged,

    /// <summary>The cancellation token fired; the weights are those after the last finished step.</summary>
    Cancelled,
}

/// <summary>
/// The outcome of <see cref="Trainer.Fit"/>: why it stopped, every epoch so far (a resumed run includes the epochs
/// before its checkpoint), the best epoch by the early-stopping metric (or the validation loss, else the training
/// loss; 0 when no epoch finished), and the total training time and throughput of the epochs in the history.
/// </summary>
public sealed record TrainingResult(StopReason Reason, string Message, EquatableArray<EpochSummary> History, int BestEpoch)
{
    public int Epochs => History.Count;

    public double TrainSeconds => History.Sum(e => e.Seconds);

    /// <summary>Training examples per second over all epochs (validation time excluded).</summary>
    public double SamplesPerSecond => TrainSeconds > 0 ? History.Sum(e => e.SamplesPerSecond * e.Seconds) / TrainSeconds : 0;
}
