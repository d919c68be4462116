using Cnn.Functional.Torch;

namespace Cnn.Functional.MLNet;

/// <summary>
/// Everything <see cref="CnnTrainer"/> can be told, each with a default, so <c>new CnnTrainerOptions { … }</c> (C#) or
/// <c>CnnTrainerOptions(FeatureColumnName = "Pixels")</c> (F#) names only what differs. Fine-tuning is
/// <see cref="InitialWeights"/> (a trained network), a graph with frozen nodes and a new head
/// (<see cref="Graph.Freeze(string)"/>, <see cref="Graph.Replace"/>), and optionally smaller learning rates for the
/// transferred nodes (<see cref="TrainingOptions.LearningRateScales"/>).
/// </summary>
public sealed record CnnTrainerOptions
{
    /// <summary>The label column: a key with one value per class (<c>MapValueToKey</c>).</summary>
    public string LabelColumnName { get; init; } = "Label";

    /// <summary>The feature column: a known-size Single vector of the graph's input shape, (C, H, W) order.</summary>
    public string FeatureColumnName { get; init; } = "Features";

    /// <summary>
    /// How to train (epochs, batch size, optimiser, schedule, augmentation, seed, …); the defaults are the training
    /// engine's, without per-batch progress events.
    /// </summary>
    public TrainingOptions Training { get; init; } = new() { BatchEventInterval = 0 };

    /// <summary>
    /// Weights to start from, copied by node path (<see cref="Torch.Transfer"/>): a network fitted earlier
    /// (<see cref="NetworkTransformer.Network"/>) or read from a checkpoint (<see cref="CnnNetwork.FromCheckpoint"/>).
    /// Nodes the source lacks, or has with another shape (a replaced head), keep their fresh initialisation. Null: all fresh.
    /// </summary>
    public CnnNetwork? InitialWeights { get; init; }

    /// <summary>Which of <see cref="InitialWeights"/> to copy (all when null).</summary>
    public TransferOptions? Transfer { get; init; }

    /// <summary>Train with a focal loss instead of the output's cross-entropy (for imbalanced classes); null: cross-entropy.</summary>
    public FocalLossOptions? FocalLoss { get; init; }

    /// <summary>The number of rows the fitted transformer scores with one forward pass.</summary>
    public int ScoringBatchSize { get; init; } = 256;

    /// <summary>Receives the training engine's events (epoch ends, and batch ends if the training options ask for them).</summary>
    public IProgress<TrainingEvent>? Progress { get; init; }

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first setting that is out of range.</summary>
    public void Check()
    {
        ArgumentException.ThrowIfNullOrEmpty(LabelColumnName, nameof(LabelColumnName));
        ArgumentException.ThrowIfNullOrEmpty(FeatureColumnName, nameof(FeatureColumnName));
        if (Training is null) throw new ArgumentNullException(nameof(Training), "give training options, e.g. new TrainingOptions { Epochs = 3 }");
        Training.Check();
        if (Training.Loss is not null && FocalLoss is not null)
            throw new ArgumentException("both Training.Loss and FocalLoss are set: choose one loss", nameof(FocalLoss));
        if (ScoringBatchSize < 1)
            throw new ArgumentOutOfRangeException(nameof(ScoringBatchSize), ScoringBatchSize, $"ScoringBatchSize must be at least 1; got {ScoringBatchSize}");
        FocalLoss?.Check();
        if (Transfer is not null && InitialWeights is null)
            throw new ArgumentException("Transfer selects weights to copy, but InitialWeights is null: give the network to copy from", nameof(Transfer));
    }
}
