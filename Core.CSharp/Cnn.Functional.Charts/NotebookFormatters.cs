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
        foreach (var (type, chart) in Charts)
            Formatter.Register(type, (value, writer) => writer.Write(chart(value) is { } c ? Html(c) : NoChart), MimeType);
    }

    /// <summary>The mime type of a Plotly figure (its data and layout as JSON): JupyterLab and VS Code draw it themselves.</summary>
    public const string FigureMimeType = "application/vnd.plotly.v1+json";

    /// <summary>
    /// Registers the formatters that suit a notebook stored with its outputs: each chart is shown as its Plotly
    /// figure (<see cref="FigureMimeType"/>, a few kilobytes, drawn interactively by JupyterLab and VS Code with their
    /// own plotly.js) and, when <paramref name="pictures"/> and chromium is installed, also as a PNG picture of it
    /// (tens of kilobytes; GitHub and nbviewer show only pictures), taken offline by <see cref="ChartPicture"/>.
    /// No copy of plotly.js (3.6 MB) goes into the notebook.
    /// </summary>
    public static void RegisterFigures(bool pictures = true)
    {
        var withPictures = pictures && File.Exists(HeadlessChromium.DefaultPath);
        foreach (var (type, chart) in Charts)
        {
            Formatter.Register(type, (value, writer) => writer.Write(chart(value) is { } c ? ChartPicture.FigureJson(c) : NoFigure), FigureMimeType);
            if (withPictures)
                Formatter.Register(type, (value, writer) => writer.Write(chart(value) is { } c ? Convert.ToBase64String(ChartPicture.Png(c)) : ChartPicture.BlankPng), "image/png");
            Formatter.SetPreferredMimeTypesFor(type, withPictures ? [FigureMimeType, "image/png"] : [FigureMimeType]);
        }
    }

    private const string NoChart = "<p>no epoch has finished yet</p>";
    private const string NoFigure = """{"data":[],"layout":{"title":{"text":"no epoch has finished yet"}}}""";

    // Every result type with a chart, and its chart (null when there is nothing to draw yet).
    private static readonly (Type Type, Func<object, GenericChart?> Chart)[] Charts =
    [
        (typeof(GenericChart), v => (GenericChart)v),
        (typeof(PixelMap), v => Plot.Heatmap((PixelMap)v)),
        (typeof(Picture), v => Plot.Image((Picture)v)),
        (typeof(ActivationMaps), v => Plot.Activations((ActivationMaps)v)),
        (typeof(FilterBank), v => Plot.Filters((FilterBank)v)),
        (typeof(OcclusionMap), v => v is OcclusionMap map ? Plot.Heatmap(map.Probability, $"p(class {map.Class}) with the occluder here") : null),
        (typeof(ClassActivationMap), v => v is ClassActivationMap map ? Plot.Heatmap(map.Upsampled, $"class {map.Class} at {map.Path}") : null),
        (typeof(TopActivations), v => Plot.TopActivations((TopActivations)v)),
        (typeof(Embedding), v => Plot.Embedding((Embedding)v)),
        (typeof(RobustnessCurve), v => Plot.Robustness((RobustnessCurve)v)),
        (typeof(AdversarialExample), v => Plot.Adversarial((AdversarialExample)v)),
        (typeof(ClassModelImage), v => Plot.ClassModel((ClassModelImage)v)),
        (typeof(ConfusionMatrix), v => Plot.ConfusionMatrix((ConfusionMatrix)v)),
        (typeof(TrainingLog), v => v is TrainingLog { Epochs.Count: > 0 } log ? Plot.TrainingCurves(log.Epochs) : null),
    ];

    // A chart's div and script, preceded the first time by plotly.js when offline.
    private static string Html(GenericChart chart)
    {
        var html = GenericChart.toChartHTML(chart);
        if (scriptSent) return html;
        scriptSent = true;
        return $"<script type=\"text/javascript\">{HtmlReport.PlotlyJs.Value}</script>{html}";
    }
}
