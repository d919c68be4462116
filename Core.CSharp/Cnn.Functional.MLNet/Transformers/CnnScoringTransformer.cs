using Cnn.Functional.Torch;

namespace Cnn.Functional.MLNet;

/// <summary>
/// What <see cref="CnnTrainer"/> fits: adds <c>Score</c> (K class probabilities) and <c>PredictedLabel</c> (the key
/// of the most probable class, with the training label's key values), the columns of ML.NET's built-in multiclass
/// trainers, so <c>mlContext.MulticlassClassification.Evaluate(predictions)</c> works unchanged.
/// </summary>
public sealed class CnnScoringTransformer : NetworkTransformer
{
    internal CnnScoringTransformer(ScoreMapping mapping, TrainingResult? training, TransferReport? transfer) : base(mapping)
    {
        Training = training;
        Transfer = transfer;
    }

    private ScoreMapping Scores => (ScoreMapping)Mapping;

    /// <summary>The number of classes K: the length of <c>Score</c> and the key count of <c>PredictedLabel</c>.</summary>
    public int ClassCount => Scores.ClassCount;

    /// <summary>The training label's key values as text, in key order (empty when the label had none).</summary>
    public IReadOnlyList<string> ClassNames => Scores.Classes?.Names ?? [];

    /// <summary>How training went (per-epoch loss and accuracy); null for a transformer loaded from a file.</summary>
    public TrainingResult? Training { get; }

    /// <summary>What loading the initial weights did, when training started from some; else null.</summary>
    public TransferReport? Transfer { get; }
}
