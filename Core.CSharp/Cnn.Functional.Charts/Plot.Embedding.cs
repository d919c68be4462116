using Cnn.Functional.Torch;
using Plotly.NET;
using CSharpChart = Plotly.NET.CSharp.Chart;

namespace Cnn.Functional.Charts;

public static partial class Plot
{
    /// <summary>A 2-D embedding (t-SNE of CNN codes) as a scatter plot, one colour and legend entry per class.</summary>
    public static GenericChart Embedding(Embedding embedding, string title = "")
    {
        var labels = embedding.Labels.Count == embedding.Count ? embedding.Labels.Items.ToArray() : new int[embedding.Count];
        var traces = labels.Distinct().Order().Select(label =>
        {
            var members = Enumerable.Range(0, embedding.Count).Where(i => labels[i] == label).ToList();
            var name = label < embedding.ClassNames.Count ? embedding.ClassNames[label] : embedding.Labels.Count > 0 ? label.ToString() : "points";
            return CSharpChart.Point<double, double, string>(members.Select(i => embedding.X[i]), members.Select(i => embedding.Y[i]), Name: name);
        }).ToList();
        return CSharpChart.Combine(traces).AxisTitles("t-SNE 1", "t-SNE 2")
            .Titled(title.Length > 0 ? title : Invariant($"t-SNE of {embedding.Count} points ({embedding.Method}, KL {embedding.KullbackLeibler:0.00})")).Sized(640, 520);
    }
}
