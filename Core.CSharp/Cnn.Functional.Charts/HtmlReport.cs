using System.Net;
using System.Reflection;
using System.Text;
using Plotly.NET;

namespace Cnn.Functional.Charts;

/// <summary>
/// One standalone HTML page of headings, text and charts that works offline: plotly.js is embedded once (from
/// Plotly.NET's own copy) instead of being fetched from a CDN, so the page draws with no network. Each chart sits
/// in a <c>&lt;figure class="chart"&gt;</c>; a chart that drew has an <c>svg.main-svg</c> inside it.
/// </summary>
public sealed class HtmlReport
{
    private readonly StringBuilder body = new();

    /// <param name="title">The page's title and first heading.</param>
    public HtmlReport(string title)
    {
        Title = title;
        body.Append("<h1>").Append(Encode(title)).Append("</h1>\n");
    }

    public string Title { get; }

    /// <summary>The number of charts added.</summary>
    public int Charts { get; private set; }

    /// <summary>Adds a section heading.</summary>
    public HtmlReport Heading(string text)
    {
        body.Append("<h2>").Append(Encode(text)).Append("</h2>\n");
        return this;
    }

    /// <summary>Adds a paragraph of text.</summary>
    public HtmlReport Paragraph(string text)
    {
        body.Append("<p>").Append(Encode(text)).Append("</p>\n");
        return this;
    }

    /// <summary>Adds a chart; consecutive charts flow side by side where the page is wide enough.</summary>
    public HtmlReport Chart(GenericChart chart)
    {
        // A report is read, not edited: no plotly toolbar over the titles.
        var config = new Config();
        config.SetProperty("displayModeBar", false);
        body.Append("<figure class=\"chart\" id=\"chart-").Append(Charts++).Append("\">")
            .Append(GenericChart.toChartHTML(GenericChart.addConfig(config, chart))).Append("</figure>\n");
        return this;
    }

    /// <summary>Adds several charts in one row.</summary>
    public HtmlReport Row(IEnumerable<GenericChart> charts)
    {
        body.Append("<div class=\"row\">\n");
        foreach (var chart in charts) Chart(chart);
        body.Append("</div>\n");
        return this;
    }

    /// <summary>The whole page.</summary>
    public string ToHtml() =>
        $$"""
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <title>{{Encode(Title)}}</title>
        <style>
        body { font-family: sans-serif; margin: 1.5em; color: #223; }
        h1 { font-size: 1.6em; } h2 { font-size: 1.25em; margin-top: 1.6em; border-bottom: 1px solid #ccd; }
        .row { display: flex; flex-wrap: wrap; gap: 0.5em; } figure.chart { margin: 0.3em; }
        </style>
        <script type="text/javascript">{{PlotlyJs.Value}}</script>
        </head>
        <body>
        {{body}}</body>
        </html>
        """;

    /// <summary>Writes the page to <paramref name="path"/> (UTF-8), creating its folder.</summary>
    /// <exception cref="IOException">The file cannot be written; the message names it.</exception>
    public void Save(string path)
    {
        try
        {
            var folder = Path.GetDirectoryName(Path.GetFullPath(path));
            if (folder is not null) Directory.CreateDirectory(folder);
            File.WriteAllText(path, ToHtml(), new UTF8Encoding(false));
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException or NotSupportedException or ArgumentException)
        {
            throw new IOException($"cannot write the report '{path}': {e.Message}", e);
        }
    }

    private static string Encode(string text) => WebUtility.HtmlEncode(text);

    // Plotly.NET ships the plotly.js it targets as a resource; "</script" never occurs in it (checked by a test), so it
    // can sit inside a script element as it is.
    internal static readonly Lazy<string> PlotlyJs = new(() =>
    {
        var assembly = typeof(GenericChart).Assembly;
        var name = assembly.GetManifestResourceNames().Single(n => n.StartsWith("Plotly.NET.plotly-", StringComparison.Ordinal) && n.EndsWith(".min.js", StringComparison.Ordinal));
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });
}
