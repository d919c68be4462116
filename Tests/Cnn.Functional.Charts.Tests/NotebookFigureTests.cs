using System.Text.Json.Nodes;
using Cnn.Functional.Charts;
using Cnn.Functional.Torch;
using Microsoft.DotNet.Interactive.Formatting;

namespace Cnn.Functional.Tests;

/// <summary>
/// The form charts take in stored notebooks (<see cref="NotebookFormatters.RegisterFigures"/>): a Plotly figure of a few
/// kilobytes, without plotly.js, plus a PNG picture of it for viewers that run no script (GitHub).
/// </summary>
[Collection("Chromium")]
public class NotebookFigureTests
{
    [Fact]
    public void A_result_displays_as_a_small_rounded_figure_and_a_png_picture()
    {
        NotebookFormatters.RegisterFigures();
        var map = PixelMap.Of(2, 3, [0f, 1f / 3, 2, 3, 4, 5.123456789f]);
        var figure = map.ToDisplayString(NotebookFormatters.FigureMimeType);
        var json = JsonNode.Parse(figure)!;
        Assert.Equal("heatmap", (string?)json["data"]![0]!["type"]);
        Assert.NotNull(json["layout"]);
        Assert.True(figure.Length < 50_000, $"a figure of 6 values is {figure.Length} characters");
        Assert.DoesNotContain("Plotly.newPlot", figure);
        // Fractions keep four significant digits; integers stay as they are.
        Assert.Contains("0.3333", figure);
        Assert.DoesNotContain("0.33333", figure);
        Assert.Contains("5.123", figure);
        Assert.DoesNotContain("5.1234", figure);
        Assert.Equal([NotebookFormatters.FigureMimeType, "image/png"], Formatter.GetPreferredMimeTypesFor(typeof(PixelMap)));

        var png = Convert.FromBase64String(map.ToDisplayString("image/png"));
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
        Assert.True(png.Length is > 2_000 and < 200_000, $"the picture is {png.Length} bytes");
    }
}
