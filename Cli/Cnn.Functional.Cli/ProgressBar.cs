using System.Globalization;
using Cnn.Functional.Torch;

namespace Cnn.Functional.Cli;

/// <summary>
/// Training progress as people read it: on a terminal, one bar redrawn in place (carriage return, no new line)
/// with the running loss, accuracy and samples/s of the epoch; then one permanent line per epoch. When the output
/// is a file or pipe, only the epoch lines (a log should not hold thousands of redraws). Reports arrive on the
/// training thread, in order.
/// </summary>
internal sealed class ProgressBar(TextWriter output, bool live, int width = 30) : IProgress<TrainingEvent>
{
    private int drawn;

    /// <summary>Steps between redraws: frequent enough to look alive, rare enough to cost nothing.</summary>
    public const int Interval = 25;

    public void Report(TrainingEvent value)
    {
        switch (value)
        {
            case BatchEnded batch when live:
                Draw(Bar(batch, width));
                break;
            case EpochEnded { Summary: var s } end:
                Draw("");
                output.WriteLine(Invariant($"epoch {s.Epoch}/{end.Epochs}  loss {s.Training.Loss:0.0000}  accuracy {100 * s.Training.Accuracy:0.00}%{Validation(s)}  {s.SamplesPerSecond:N0} samples/s  {s.Seconds:0.0} s"));
                break;
            case TrainingStopped { Reason: not StopReason.Completed } stopped:
                Draw("");
                output.WriteLine(stopped.Message);
                break;
        }
    }

    /// <summary>"epoch 1/3 [#########.....]  64%  loss 0.4213  accuracy 84.12%  8,712 samples/s".</summary>
    public static string Bar(BatchEnded batch, int width)
    {
        var done = (double)batch.Batch / batch.Batches;
        var filled = (int)Math.Round(done * width);
        return Invariant($"epoch {batch.Epoch} [{new string('#', filled)}{new string('.', width - filled)}] {100 * done,3:0}%  loss {batch.Loss:0.0000}  accuracy {100 * batch.Accuracy:0.00}%  {batch.SamplesPerSecond:N0} samples/s");
    }

    private static string Validation(EpochSummary s) =>
        s.Validation is { } v ? Invariant($"  validation loss {v.Loss:0.0000} accuracy {100 * v.Accuracy:0.00}%") : "";

    // Overwrites the previous bar: return to the line start, write, blank out what is left of a longer previous bar.
    private void Draw(string text)
    {
        if (!live || (drawn == 0 && text.Length == 0)) return;
        output.Write("\r" + text + new string(' ', Math.Max(0, drawn - text.Length)) + (text.Length == 0 ? "\r" : ""));
        output.Flush();
        drawn = text.Length;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
