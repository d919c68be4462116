using Cnn.Functional.Torch;
using Plotly.NET;
using CSharpChart = Plotly.NET.CSharp.Chart;

namespace Cnn.Functional.Charts;

public static partial class Plot
{
    /// <summary>Loss by epoch, training and (when measured) validation.</summary>
    public static GenericChart Loss(IReadOnlyList<EpochSummary> epochs, string title = "loss") =>
        Curves(epochs, m => m.Loss, "loss").Titled(title);

    /// <summary>Accuracy by epoch, training and (when measured) validation.</summary>
    public static GenericChart Accuracy(IReadOnlyList<EpochSummary> epochs, string title = "accuracy") =>
        Curves(epochs, m => m.Accuracy, "accuracy").Titled(title);

    /// <summary>Loss and accuracy side by side (from <see cref="TrainingLog.Epochs"/> or a training result's history).</summary>
    /// <exception cref="ArgumentException">No epoch has finished.</exception>
    public static GenericChart TrainingCurves(IReadOnlyList<EpochSummary> epochs, string title = "training curves") =>
        CSharpChart.Grid([Curves(epochs, m => m.Loss, "loss"), Curves(epochs, m => m.Accuracy, "accuracy")], 1, 2, SubPlotTitles: new[] { "loss", "accuracy" })
            .Titled(title).Sized(900, 400);

    /// <summary>
    /// A confusion matrix as an annotated heatmap: rows the actual classes (top to bottom), columns the predicted ones,
    /// coloured by the share of each actual class (so classes of different sizes compare), annotated with counts.
    /// </summary>
    public static GenericChart ConfusionMatrix(ConfusionMatrix matrix, IReadOnlyList<string>? classNames = null, string title = "")
    {
        var k = matrix.Classes;
        var names = Enumerable.Range(0, k).Select(i => classNames is not null && i < classNames.Count ? classNames[i] : i.ToString()).ToArray();
        var shares = Enumerable.Range(0, k).Select(a =>
        {
            var total = Enumerable.Range(0, k).Sum(p => (double)matrix[a, p]);
            return Enumerable.Range(0, k).Select(p => total > 0 ? matrix[a, p] / total : 0).ToArray();
        }).ToArray();
        var text = Enumerable.Range(0, k).Select(a => (IEnumerable<string>)Enumerable.Range(0, k).Select(p => matrix[a, p].ToString()).ToArray()).ToArray();
        // White to a mid blue, so that the black counts stay readable on every cell.
        var scale = StyleParam.Colorscale.NewCustom([Tuple.Create(0.0, Color.fromString("white")), Tuple.Create(1.0, Color.fromString("rgb(90, 150, 215)"))]);
        return CSharpChart.AnnotatedHeatmap<double, string, string, string>(shares, text, X: names, Y: names, ColorScale: scale, ReverseYAxis: true)
            .AxisTitles("predicted", "actual")
            .Titled(title.Length > 0 ? title : Invariant($"confusion matrix: accuracy {matrix.Accuracy:P1} of {matrix.Total}"))
            .Sized(Math.Max(420, 60 * k + 200), Math.Max(400, 50 * k + 160));
    }

    private static GenericChart Curves(IReadOnlyList<EpochSummary> epochs, Func<Metrics, double> value, string axis)
    {
        if (epochs.Count == 0) throw new ArgumentException("no epoch has finished: there is no curve to draw", nameof(epochs));
        var x = epochs.Select(e => e.Epoch).ToArray();
        var lines = new List<GenericChart>
        {
            CSharpChart.Line<int, double, string>(x, epochs.Select(e => value(e.Training)), ShowMarkers: true, Name: "training " + axis),
        };
        var validated = epochs.Where(e => e.Validation is not null).ToList();
        if (validated.Count > 0)
            lines.Add(CSharpChart.Line<int, double, string>(validated.Select(e => e.Epoch), validated.Select(e => value(e.Validation!)), ShowMarkers: true, Name: "validation " + axis));
        return CSharpChart.Combine(lines).AxisTitles("epoch", axis);
    }
}
