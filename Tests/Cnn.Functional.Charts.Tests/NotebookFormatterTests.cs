using Cnn.Functional.Charts;
using Cnn.Functional.Torch;
using Microsoft.DotNet.Interactive.Formatting;

namespace Cnn.Functional.Tests;

public class NotebookFormatterTests
{
    [Fact]
    public void Registered_results_display_as_plotly_charts_and_plotly_js_travels_once()
    {
        NotebookFormatters.Register(offline: true);
        var map = PixelMap.Of(2, 3, [0f, 1, 2, 3, 4, 5]);
        var first = map.ToDisplayString(NotebookFormatters.MimeType);
        var second = new RobustnessCurve("data", 10, EquatableArray.Of(new RobustnessPoint(0, 0.9), new RobustnessPoint(0.1, 0.2))).ToDisplayString(NotebookFormatters.MimeType);
        Assert.Contains("Plotly.newPlot", first);
        Assert.Contains("Plotly.newPlot", second);
        Assert.True(first.Length > 3_000_000, "the first chart carries plotly.js");
        Assert.True(second.Length < 100_000, "later charts do not");
        Assert.Contains("\"type\":\"heatmap\"", first);
        Assert.Contains("\"type\":\"scatter\"", second);
    }
}
