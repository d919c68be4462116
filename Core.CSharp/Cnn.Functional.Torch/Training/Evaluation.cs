namespace Cnn.Functional.Torch;

/// <summary>
/// A confusion matrix: <c>this[actual, predicted]</c> counts the examples of class <c>actual</c> predicted as
/// <c>predicted</c>. Rows are actual classes, columns predicted ones; compares by content.
/// </summary>
public sealed record ConfusionMatrix(EquatableArray<EquatableArray<int>> Counts)
{
    public int Classes => Counts.Count;

    public int this[int actual, int predicted] => Counts[actual][predicted];

    /// <summary>The number of examples counted.</summary>
    public long Total => Counts.Sum(row => row.Sum(c => (long)c));

    /// <summary>The fraction on the diagonal (0 when empty).</summary>
    public double Accuracy => Total == 0 ? 0 : (double)Enumerable.Range(0, Classes).Sum(i => (long)Counts[i][i]) / Total;

    /// <summary>A copy as jagged arrays, rows = actual classes.</summary>
    public int[][] ToArray() => Counts.Select(row => row.Items.ToArray()).ToArray();

    /// <summary>The matrix from row-major counts of a <paramref name="classes"/> × <paramref name="classes"/> table.</summary>
    public static ConfusionMatrix FromRowMajor(int classes, IReadOnlyList<long> counts) =>
        new(Enumerable.Range(0, classes)
            .Select(i => Enumerable.Range(0, classes).Select(j => checked((int)counts[i * classes + j])).ToEquatableArray())
            .ToEquatableArray());
}

/// <summary>A model's loss, accuracy and confusion matrix over a dataset, in evaluation mode (no dropout, running batch-norm statistics).</summary>
public sealed record Evaluation(long Count, double Loss, double Accuracy, ConfusionMatrix Confusion)
{
    public Metrics Metrics => new(Loss, Accuracy);
}
