using Cnn.Functional.Torch;
using Plotly.NET;
using CSharpChart = Plotly.NET.CSharp.Chart;

namespace Cnn.Functional.Charts;

public static partial class Plot
{
    /// <summary>A node's activation maps for one image, one grey tile per channel, each scaled to its own range (black is its minimum).</summary>
    public static GenericChart Activations(ActivationMaps maps, string title = "") =>
        Tiles(maps.Channels, title.Length > 0 ? title : Invariant($"activations of {maps.Path} {maps.Shape}: {maps.ZeroFraction:P0} zeros"),
            columns: maps.Channels[0].Height == 1 ? 1 : Math.Min(maps.Channels.Count, 8));

    /// <summary>
    /// A convolution's kernels: one row per filter and one column per input channel (a single row of filters for a
    /// one-channel first layer), each scaled to its own range.
    /// </summary>
    public static GenericChart Filters(FilterBank bank, string title = "") =>
        Tiles(bank.Kernels, title.Length > 0 ? title : $"filters of {bank.Path}: {bank.Filters} × {bank.InputChannels} kernels",
            columns: bank.InputChannels == 1 ? Math.Min(bank.Filters, 16) : bank.InputChannels);

    /// <summary>The top-activating images of a unit, with the receptive field of the peak position outlined (Girshick et al. 2014, Fig. 4).</summary>
    public static GenericChart TopActivations(TopActivations top, IReadOnlyList<string>? classNames = null, string title = "")
    {
        var tiles = top.Items.Select(t => MeanMap(t.Image)).ToList();
        var mosaic = Mosaic.Of(tiles, columns: Math.Min(tiles.Count, 5));
        var fields = top.Items.Select((t, i) => (t.Field.Clip(t.Image.Height, t.Image.Width), mosaic.Corner(i).Top, mosaic.Corner(i).Left));
        var labels = string.Join(", ", top.Items.Select(t => classNames is null || t.Label >= classNames.Count ? t.Label.ToString() : classNames[t.Label]));
        return Grey(mosaic.Rows, title.Length > 0 ? title : $"top {top.Items.Count} of {top.Searched} for {top.Path}[{top.Channel}]: {labels}", 0, 1, mosaic.Width, mosaic.Height)
            .Rectangles(fields, "red");
    }

    /// <summary>A picture with a region outlined: the pixels one unit sees.</summary>
    public static GenericChart ReceptiveField(Picture picture, Region field, string title = "") =>
        Image(picture, title.Length > 0 ? title : $"receptive field: {field}").Rectangles([(field.Clip(picture.Height, picture.Width), 0, 0)], "red");

    /// <summary>
    /// How the receptive field grows with depth, one line per graph (x: node index, y: field size in pixels). A stack of
    /// dilated 3×3 convolutions (dilations 1, 2, 4, …) grows exponentially, a plain one linearly (Yu &amp; Koltun 2016).
    /// </summary>
    public static GenericChart FieldGrowth(IEnumerable<Graph> graphs, string title = "receptive field size by depth")
    {
        var lines = graphs.Select(g =>
        {
            var growth = ReceptiveFields.Growth(g);
            return CSharpChart.Line<int, double, string>(Enumerable.Range(0, growth.Count), growth.Select(f => f.Size), ShowMarkers: true, Name: g.Name,
                MultiText: growth.Select(f => $"{f.Path} ({f.Kind})").ToArray());
        }).ToList();
        if (lines.Count == 0) throw new ArgumentException("give at least one graph", nameof(graphs));
        return CSharpChart.Combine(lines).AxisTitles("node (in order)", "receptive field (pixels)").Titled(title).Sized(640, 400);
    }

    private static PixelMap MeanMap(Picture picture) => picture.Channels.Count == 1 ? picture.Channels[0]
        : PixelMap.Of(picture.Height, picture.Width, Enumerable.Range(0, picture.Height * picture.Width).Select(i => picture.Channels.Average(c => c.Values[i])).ToArray());
}
