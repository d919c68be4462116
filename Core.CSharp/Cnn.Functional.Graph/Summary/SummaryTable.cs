using System.Globalization;
using System.Text;

namespace Cnn.Functional;

/// <summary>Renders a <see cref="ModelSummary"/> as a fixed-width text table, Keras-summary style.</summary>
internal static class SummaryTable
{
    private static readonly string[] Headers = ["Path", "Kind", "Output", "Params", "MACs", "Activations", "RF", "Jump"];

    public static string Render(ModelSummary s)
    {
        var rows = s.Nodes.Select(n => new[]
        {
            n.Path,
            n.Kind + (n.FrozenParameters > 0 ? " (frozen)" : ""),
            n.OutputShape.ToString(),
            Count(n.Parameters),
            Count(n.Macs),
            Bytes(n.ActivationBytes),
            ReceptiveField.Format(n.ReceptiveField.Size),
            ReceptiveField.Format(n.ReceptiveField.Jump),
        }).ToList();
        var widths = Headers.Select((h, i) => Math.Max(h.Length, rows.Count == 0 ? 0 : rows.Max(r => r[i].Length))).ToArray();
        var rightAligned = new[] { false, false, false, true, true, true, true, true };

        var text = new StringBuilder();
        var inputs = string.Join(", ", s.Inputs.Select(i => i.ToString()));
        text.Append($"Model: {s.Model}    input {inputs}    batch {s.Options.BatchSize}, {s.Options.BytesPerValue} bytes per value\n");
        var line = Line(Headers, widths, rightAligned);
        var rule = new string('─', line.Length);
        text.Append(rule).Append('\n').Append(line).Append('\n').Append(rule).Append('\n');
        foreach (var row in rows) text.Append(Line(row, widths, rightAligned)).Append('\n');
        text.Append(rule).Append('\n');

        var t = s.Totals;
        text.Append($"Parameters: {Count(t.Parameters)} (trainable {Count(t.TrainableParameters)}, frozen {Count(t.FrozenParameters)})");
        if (t.Buffers > 0) text.Append($", buffers {Count(t.Buffers)}");
        text.Append('\n');
        text.Append($"MACs per example: {Count(t.Macs)}\n");
        text.Append($"Memory, inference: {Bytes(t.InferenceBytes)} (parameters {Bytes(t.ParameterBytes)} + peak activations {Bytes(t.InferencePeakActivationBytes)})\n");
        text.Append($"Memory, training:  {Bytes(t.TrainingBytes)} (all activations {Bytes(t.ActivationBytes)} kept for backprop; parameters with gradients and {s.Options.OptimizerMoments} optimiser moment{(s.Options.OptimizerMoments == 1 ? "" : "s")})\n");
        return text.ToString();
    }

    private static string Line(string[] cells, int[] widths, bool[] right) =>
        string.Join("  ", cells.Select((c, i) => right[i] ? c.PadLeft(widths[i]) : c.PadRight(widths[i]))).TrimEnd();

    /// <summary>61706 → "61,706".</summary>
    public static string Count(long n) => n.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>Binary units: 1536 → "1.5 KiB".</summary>
    public static string Bytes(long n)
    {
        string[] units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"];
        double value = n;
        var unit = 0;
        while (value >= 1024 && unit < units.Length - 1) { value /= 1024; unit++; }
        return unit == 0 ? $"{n} B" : value.ToString("0.0", CultureInfo.InvariantCulture) + " " + units[unit];
    }
}
