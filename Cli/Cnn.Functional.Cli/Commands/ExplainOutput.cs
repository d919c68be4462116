using System.Globalization;

namespace Cnn.Functional.Cli;

/// <summary>What <c>cnnf explain</c> prints: a line per image for people, one JSON object for machines.</summary>
internal static class ExplainOutput
{
    /// <summary>
    /// A line per image — label, prediction, and per map the share of its mass in the top 10% of pixels and on the
    /// object — then where the page (and the PNG files) went.
    /// </summary>
    public static string Text(ExplainResult result)
    {
        var lines = result.Explanation.Images.Select(image =>
        {
            var maps = string.Join("; ", image.Maps.Select(m => Invariant(
                $"{ExplainCommand.Methods[(int)m.Method]} ({ExplainCommand.Targets[(int)m.Target]} class {m.Class}) top-10% mass {m.TopMass:0.00}, on object {m.ObjectMass:0.00}")));
            return Invariant($"#{image.Index}: {result.ClassName(image.Label)} → {result.ClassName(image.Predicted)} (p {image.Probability:0.000}, p(label) {image.LabelProbability:0.000}): {maps}");
        }).ToList();
        lines.Add($"explain: {result.Page} ({result.Explanation.Page.Charts} charts; Grad-CAM at {result.Explanation.GradCamNode})");
        if (result.Files.Count > 0) lines.Add($"png: {result.Files.Count} files next to the page");
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
        w.WriteNumber("charts", result.Explanation.Page.Charts);
        w.WriteString("gradCamNode", result.Explanation.GradCamNode);
        w.WriteStartArray("images");
        foreach (var image in result.Explanation.Images)
        {
            w.WriteStartObject();
            w.WriteNumber("index", image.Index);
            w.WriteNumber("label", image.Label);
            w.WriteString("labelName", result.ClassName(image.Label));
            w.WriteNumber("predicted", image.Predicted);
            w.WriteString("predictedName", result.ClassName(image.Predicted));
            w.WriteNumber("probability", image.Probability);
            w.WriteNumber("labelProbability", image.LabelProbability);
            w.WriteStartArray("maps");
            foreach (var m in image.Maps)
            {
                w.WriteStartObject();
                w.WriteString("method", ExplainCommand.Methods[(int)m.Method]);
                w.WriteString("target", ExplainCommand.Targets[(int)m.Target]);
                w.WriteNumber("class", m.Class);
                if (result.File(m) is { } file) w.WriteString("file", file); else w.WriteNull("file");
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
