using System.Text.RegularExpressions;
using Cnn.Functional.Charts;

namespace Cnn.Functional.Tests;

/// <summary>Renders a page in headless Chromium with no network and reports, per chart, whether plotly drew its SVG.</summary>
internal static partial class Rendering
{
    /// <summary>The ids of the page's charts whose figure holds no <c>svg.main-svg</c> after the page loaded; empty when all drew.</summary>
    public static IReadOnlyList<string> ChartsWithoutSvg(string htmlPath, int expected)
    {
        var dom = HeadlessChromium.DumpDom(htmlPath);
        var figures = Figure().Matches(dom).ToList();
        Assert.True(figures.Count == expected, $"the rendered page has {figures.Count} chart figures; {expected} were added");
        return figures.Where(f => !f.Groups["body"].Value.Contains("class=\"main-svg\"", StringComparison.Ordinal))
            .Select(f => f.Groups["id"].Value).ToList();
    }

    [GeneratedRegex("<figure class=\"chart\" id=\"(?<id>chart-\\d+)\">(?<body>.*?)</figure>", RegexOptions.Singleline)]
    private static partial Regex Figure();
}
