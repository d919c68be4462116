using System.Globalization;

namespace Cnn.Functional.Cli;

/// <summary>What <c>cnnf explain</c> prints: a line per image for people, one JSON object for machines.</summary>
internal static class ExplainOutput
{
    /// <summary>
    /// A line per image — label, prediction, and per map the share of its mass in the top 10% of pixels — then where
    /// the page (and the PNG files) went.
    /// </summary>
    public static string Text(ExplainResult result)
    {
        var lines = result.Images.Select(image =>
        {
            var maps = string.Join("; ", image.Maps.Select(m => Invariant($"{m.Method} ({m.Target} class {m.Class}) top-10% mass {m.TopMass:0.00}, on object {m.ObjectMass:0.00}")));
            return Invariant($"#{image.Index}: {image.LabelName} → {image.PredictedName} (p {image.Probability:0.000}, p(label) {image.LabelProbability:0.000}): {maps}");
        }).ToList();
        lines.Add($"explain: {result.Page} ({result.Charts} charts; Grad-CAM at {result.GradCamNode})");
        var pngs = result.Images.SelectMany(i => i.Maps).Count(m => m.File is not null);
        if (pngs > 0) lines.Add($"png: {pngs} files next to the page");
        return string.Join("\n", lines);
    }

    /// <summary>
    /// <c>{"model", "page", "charts", "gradCamNode", "images": [{"index", "label", "labelName", "predicted",
    /// "predictedName", "probability", "labelProbability", "maps": [{"method", "target", "class", "file", "topMass",
    /// "objectMass", "peak": {"row", "column"}}]}]}</c>; "file" is null without --png.
    /// </summary>
    public static string Json(ExplainResult result) => CliOutput.Json(w =>
    {
        w.WriteStartObject();
        w.WriteString("model", result.Model);
        w.WriteString("page", result.Page);
        w.WriteNumber("charts", result.Charts);
        w.WriteString("gradCamNode", result.GradCamNode);
        w.WriteStartArray("images");
        foreach (var image in result.Images)
        {
            w.WriteStartObject();
            w.WriteNumber("index", image.Index);
            w.WriteNumber("label", image.Label);
            w.WriteString("labelName", image.LabelName);
            w.WriteNumber("predicted", image.Predicted);
            w.WriteString("predictedName", image.PredictedName);
            w.WriteNumber("probability", image.Probability);
            w.WriteNumber("labelProbability", image.LabelProbability);
            w.WriteStartArray("maps");
            foreach (var m in image.Maps)
            {
                w.WriteStartObject();
                w.WriteString("method", m.Method);
                w.WriteString("target", m.Target);
                w.WriteNumber("class", m.Class);
                if (m.File is null) w.WriteNull("file"); else w.WriteString("file", m.File);
                w.WriteNumber("topMass", m.TopMass);
                w.WriteNumber("objectMass", m.ObjectMass);
                w.WriteStartObject("peak");
                w.WriteNumber("row", m.Peak.Top);
                w.WriteNumber("column", m.Peak.Left);
                w.WriteEndObject();
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    });

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
