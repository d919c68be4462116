using System.Globalization;
using System.Text.Json.Nodes;
using Plotly.NET;

namespace Cnn.Functional.Charts;

/// <summary>
/// A chart as a Plotly figure (JSON) and as a static PNG picture, for notebooks stored with their outputs: the figure
/// is what JupyterLab and VS Code draw interactively, the picture is what GitHub can show. The picture is taken by
/// headless chromium from a page that carries plotly.js itself, so it needs no network.
/// </summary>
public static class ChartPicture
{
    /// <summary>
    /// The figure as plotly.js takes it: <c>{"data": […], "layout": {…}}</c>, its fractional numbers rounded to four
    /// significant digits — a figure is for the eye, and Plotly.NET's full doubles make a heatmap three times larger.
    /// </summary>
    public static string FigureJson(GenericChart chart)
    {
        var figure = JsonNode.Parse(GenericChart.toFigureJson(chart))!;
        Round(figure);
        return figure.ToJsonString();
    }

    private static void Round(JsonNode node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var key in obj.Select(p => p.Key).ToList())
                {
                    if (RoundedNumber(obj[key]) is { } rounded) obj[key] = rounded;
                    else if (obj[key] is JsonObject or JsonArray) Round(obj[key]!);
                }
                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    if (RoundedNumber(array[i]) is { } rounded) array[i] = rounded;
                    else if (array[i] is JsonObject or JsonArray) Round(array[i]!);
                }
                break;
        }
    }

    // A fractional number to four significant digits; null for anything else.
    private static JsonValue? RoundedNumber(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == System.Text.Json.JsonValueKind.Number && value.TryGetValue(out double x)
            && double.IsFinite(x) && x != Math.Floor(x)
            ? JsonValue.Create(double.Parse(x.ToString("G4", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture))
            : null;

    /// <summary>A PNG of the chart at its layout's size (Plotly.NET's default 600 × 600 when it has none).</summary>
    /// <exception cref="ChromiumNotFoundException">Chromium is not installed.</exception>
    public static byte[] Png(GenericChart chart)
    {
        var figure = FigureJson(chart);
        var layout = JsonNode.Parse(figure)?["layout"];
        var width = Size(layout?["width"], 600);
        var height = Size(layout?["height"], 600);
        var folder = Directory.CreateTempSubdirectory("cnnf-chart-");
        try
        {
            var page = Path.Combine(folder.FullName, "chart.html");
            var png = Path.Combine(folder.FullName, "chart.png");
            // staticPlot: no toolbar or hover layer in the picture.
            File.WriteAllText(page, $$"""
                <!DOCTYPE html><html><head><meta charset="utf-8">
                <style>html, body { margin: 0; padding: 0; background: white; }</style>
                <script type="text/javascript">{{HtmlReport.PlotlyJs.Value}}</script></head>
                <body><div id="chart"></div><script type="text/javascript">
                var figure = {{figure}};
                Plotly.newPlot('chart', figure.data, figure.layout, { staticPlot: true });
                </script></body></html>
                """);
            HeadlessChromium.Screenshot(page, png, width, height);
            return File.ReadAllBytes(png);
        }
        finally
        {
            try { folder.Delete(recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    /// <summary>A 1 × 1 white PNG: the picture of a chart with nothing to draw yet.</summary>
    public const string BlankPng = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8/x8AAwMCAO+ip1sAAAAASUVORK5CYII=";

    private static int Size(JsonNode? node, int fallback) =>
        node is JsonValue value && value.TryGetValue(out double size) && size > 0 ? (int)Math.Ceiling(size) : fallback;
}
