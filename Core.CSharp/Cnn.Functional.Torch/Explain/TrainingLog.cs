namespace Cnn.Functional.Torch;

/// <summary>
/// Records a training run's progress stream for its curves: pass it to <see cref="Trainer.Fit"/> as the progress (it
/// forwards every event to <paramref name="forward"/> as well, so a console printer still sees them). Reports arrive on
/// the training thread, in order.
/// </summary>
public sealed class TrainingLog(IProgress<TrainingEvent>? forward = null) : IProgress<TrainingEvent>
{
    private readonly List<EpochSummary> epochs = [];
    private readonly List<BatchEnded> batches = [];

    /// <summary>Every finished epoch, with training and (when there is a validation set) validation loss and accuracy.</summary>
    public IReadOnlyList<EpochSummary> Epochs => epochs;

    /// <summary>Every batch event (running means within each epoch).</summary>
    public IReadOnlyList<BatchEnded> Batches => batches;

    /// <summary>Why the run stopped, once it has.</summary>
    public TrainingStopped? Stopped { get; private set; }

    public void Report(TrainingEvent value)
    {
        switch (value)
        {
            case EpochEnded e: epochs.Add(e.Summary); break;
            case BatchEnded b: batches.Add(b); break;
            case TrainingStopped s: Stopped = s; break;
        }
        forward?.Report(value);
    }
}
