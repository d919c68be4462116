using Cnn.Functional.Torch;
using Microsoft.DotNet.Interactive.Formatting;
using Plotly.NET;

namespace Cnn.Functional.Charts;

/// <summary>
/// Shows Explain's results as their charts in a .NET Interactive notebook: after <see cref="Register"/>, a cell that
/// ends in a saliency map, an occlusion map, filters, a t-SNE embedding, an FGSM curve, a confusion matrix or a
/// training log draws it. Plotly.NET charts themselves (<see cref="GenericChart"/>) display through the same formatter,
/// or through Plotly.NET.Interactive's when that extension is loaded.
/// </summary>
/// <example><code>
/// #r "nuget: Plotly.NET, 6.0.0"
/// #r "path/to/Cnn.Functional.Charts.dll"
/// Cnn.Functional.Charts.NotebookFormatters.Register();
/// Cnn.Functional.Torch.Saliency.Map(module, image, 3)   // displays as a heatmap
/// </code></example>
public static class NotebookFormatters
{
    public const string MimeType = "text/html";

    private static bool scriptSent;

    /// <summary>
    /// Registers the HTML formatters. With <paramref name="offline"/> (the default) the first chart shown carries
    /// plotly.js itself (3.6 MB, once per kernel), so the notebook needs no network; otherwise charts use the
    /// notebook front end's own plotly.js.
    /// </summary>
    public static void Register(bool offline = true)
    {
        scriptSent = !offline;
        Formatter.Register<GenericChart>((chart, writer) => writer.Write(Html(chart)), MimeType);
        Formatter.Register<PixelMap>((map, writer) => writer.Write(Html(Plot.Heatmap(map))), MimeType);
        Formatter.Register<Picture>((picture, writer) => writer.Write(Html(Plot.Image(picture))), MimeType);
        Formatter.Register<ActivationMaps>((maps, writer) => writer.Write(Html(Plot.Activations(maps))), MimeType);
        Formatter.Register<FilterBank>((bank, writer) => writer.Write(Html(Plot.Filters(bank))), MimeType);
        Formatter.Register<OcclusionMap>((map, writer) => writer.Write(Html(Plot.Heatmap(map.Probability, $"p(class {map.Class}) with the occluder here"))), MimeType);
        Formatter.Register<ClassActivationMap>((map, writer) => writer.Write(Html(Plot.Heatmap(map.Upsampled, $"class {map.Class} at {map.Path}"))), MimeType);
        Formatter.Register<TopActivations>((top, writer) => writer.Write(Html(Plot.TopActivations(top))), MimeType);
        Formatter.Register<Embedding>((embedding, writer) => writer.Write(Html(Plot.Embedding(embedding))), MimeType);
        Formatter.Register<RobustnessCurve>((curve, writer) => writer.Write(Html(Plot.Robustness(curve))), MimeType);
        Formatter.Register<AdversarialExample>((example, writer) => writer.Write(Html(Plot.Adversarial(example))), MimeType);
        Formatter.Register<ClassModelImage>((model, writer) => writer.Write(Html(Plot.ClassModel(model))), MimeType);
        Formatter.Register<ConfusionMatrix>((matrix, writer) => writer.Write(Html(Plot.ConfusionMatrix(matrix))), MimeType);
        Formatter.Register<TrainingLog>((log, writer) => writer.Write(log.Epochs.Count == 0 ? "<p>no epoch has finished yet</p>" : Html(Plot.TrainingCurves(log.Epochs))), MimeType);
    }

    // A chart's div and script, preceded the first time by plotly.js when offline.
    private static string Html(GenericChart chart)
    {
        var html = GenericChart.toChartHTML(chart);
        if (scriptSent) return html;
        scriptSent = true;
        return $"<script type=\"text/javascript\">{HtmlReport.PlotlyJs.Value}</script>{html}";
    }
}
