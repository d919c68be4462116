using Cnn.Functional.Torch;
using Microsoft.FSharp.Core;
using Plotly.NET;
using Plotly.NET.LayoutObjects;

namespace Cnn.Functional.Charts;

/// <summary>
/// The few layout settings the charts share, written once against Plotly.NET's F# API: titles, sizes, image axes,
/// rectangles.
/// </summary>
internal static class Style
{
    public static GenericChart Titled(this GenericChart chart, string title) =>
        title.Length == 0 ? chart : Chart.withTitle(title, null).Invoke(chart);

    public static GenericChart Sized(this GenericChart chart, int width, int height) =>
        Chart.withSize((double)width, (double)height).Invoke(chart);

    /// <summary>Axes for a picture: no ticks, grid or zero line, one pixel as tall as it is wide, row 0 at the top.</summary>
    public static GenericChart ImageAxes(this GenericChart chart)
    {
        LinearAxis Bare() => new LinearAxis().With("showticklabels", false).With("showgrid", false).With("zeroline", false)
            .With("ticks", "").With("constrain", "domain");
        var y = Bare().With("autorange", "reversed").With("scaleanchor", "x");
        var framed = Chart.withYAxis(y, null).Invoke(Chart.withXAxis(Bare(), null).Invoke(chart));
        // Plotly's default margins (80 px a side) would leave a small picture in a large frame.
        var layout = new Layout().With("plot_bgcolor", "white")
            .With("margin", new Margin().With("l", 10).With("r", 10).With("t", 40).With("b", 10));
        return GenericChart.addLayout(layout, framed);
    }

    /// <summary>Fixes the colour range of every heatmap trace to [<paramref name="low"/>, <paramref name="high"/>].</summary>
    public static GenericChart WithColorRange(this GenericChart chart, double low, double high) =>
        GenericChart.mapTrace(FuncConvert.FromFunc<Trace, Trace>(trace =>
        {
            trace.SetProperty("zmin", low);
            trace.SetProperty("zmax", high);
            return trace;
        }), chart);

    /// <summary>Axis titles for an ordinary x–y chart.</summary>
    public static GenericChart AxisTitles(this GenericChart chart, string x, string y)
    {
        LinearAxis Titled(string text) => new LinearAxis().With("title", new Title().With("text", text));
        return Chart.withYAxis(Titled(y), null).Invoke(Chart.withXAxis(Titled(x), null).Invoke(chart));
    }

    /// <summary>Outlines of <paramref name="regions"/> (pixel rectangles, offset by a tile's corner) in <paramref name="color"/>.</summary>
    public static GenericChart Rectangles(this GenericChart chart, IEnumerable<(Region Region, int Top, int Left)> regions, string color)
    {
        var shapes = regions.Select(r => new Plotly.NET.LayoutObjects.Shape()
            .With("type", "rect").With("xref", "x").With("yref", "y")
            .With("x0", r.Left + r.Region.Left - 0.5).With("x1", r.Left + r.Region.Right - 0.5)
            .With("y0", r.Top + r.Region.Top - 0.5).With("y1", r.Top + r.Region.Bottom - 0.5)
            .With("line", new Line().With("color", color).With("width", 2.0))).ToList();
        return Chart.withShapes(shapes, null).Invoke(chart);
    }

    // Plotly.NET's layout objects are dynamic objects whose properties are plotly.js's attribute names: setting them
    // directly reads like the plotly.js reference and avoids the F# API's long positional option lists.
    private static T With<T>(this T target, string name, object value) where T : DynamicObj.DynamicObj
    {
        target.SetProperty(name, value);
        return target;
    }
}
