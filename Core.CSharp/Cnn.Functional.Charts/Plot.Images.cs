using System.Globalization;
using Cnn.Functional.Torch;
using Plotly.NET;
using CSharpChart = Plotly.NET.CSharp.Chart;

namespace Cnn.Functional.Charts;

/// <summary>
/// A Plotly.NET chart for every result of the Explain techniques. Each method returns a <see cref="GenericChart"/>:
/// show it in a notebook, save it (<see cref="HtmlReport"/> makes offline pages), or combine it. Pictures are drawn
/// with row 0 at the top and square pixels; maps over pictures as semi-transparent heatmaps on a grey image.
/// </summary>
public static partial class Plot
{
    private const int Pixels = 240;

    /// <summary>A picture: grey for one channel, RGB for three (values in [0, 1]); other channel counts as a row of grey tiles.</summary>
    public static GenericChart Image(Picture picture, string title = "")
    {
        if (picture.Channels.Count == 3)
        {
            var rgb = Enumerable.Range(0, picture.Height).Select(r => Enumerable.Range(0, picture.Width)
                .Select(c => (IEnumerable<int>)picture.Channels.Select(ch => (int)Math.Round(255 * Math.Clamp(ch[r, c], 0f, 1f))).ToArray()).ToArray()).ToArray();
            return CSharpChart.Image<string>(Z: rgb).ImageAxes().Titled(title).Sized(Pixels, Pixels);
        }
        if (picture.Channels.Count == 1) return Grey(picture.Channels[0].ToRows().Select(Doubles), title, 0, 1, picture.Width, picture.Height).Sized(Pixels, Pixels + 40);
        return Tiles(picture.Channels, title, columns: picture.Channels.Count, normalize: true);
    }

    /// <summary>A map as a heatmap with a colour bar (saliency, an activation map, a kernel).</summary>
    public static GenericChart Heatmap(PixelMap map, string title = "") =>
        CSharpChart.Heatmap<double, int, int, string>(map.ToRows().Select(Doubles), ColorScale: StyleParam.Colorscale.Viridis, ReverseYAxis: true)
            .ImageAxes().Titled(title).Sized(Pixels + 60, Pixels);

    /// <summary><paramref name="map"/> (resized to the picture, as the Explain maps are) laid over a grey <paramref name="picture"/>.</summary>
    /// <exception cref="ArgumentException">The map and the picture differ in size.</exception>
    public static GenericChart Overlay(Picture picture, PixelMap map, string title = "", double opacity = 0.55)
    {
        if (map.Height != picture.Height || map.Width != picture.Width)
            throw new ArgumentException($"the map is {map.Height}×{map.Width}, the picture {picture.Height}×{picture.Width}: draw maps of the picture's size", nameof(map));
        var grey = Mean(picture);
        var background = CSharpChart.Heatmap<double, int, int, string>(grey, ColorScale: StyleParam.Colorscale.Greys, ShowScale: false, ReverseYAxis: true);
        var overlay = CSharpChart.Heatmap<double, int, int, string>(map.ToRows().Select(Doubles), ColorScale: StyleParam.Colorscale.Hot, Opacity: opacity, ReverseYAxis: true);
        return CSharpChart.Combine([background, overlay]).ImageAxes().Titled(title).Sized(Pixels + 60, Pixels);
    }

    /// <summary>Simonyan et al.'s saliency map over the image.</summary>
    public static GenericChart Saliency(Picture picture, PixelMap saliency, string title = "saliency |∂S_c/∂I|") => Overlay(picture, saliency, title);

    /// <summary>The occlusion sensitivity (drop in the class probability) over the image.</summary>
    public static GenericChart Occlusion(Picture picture, OcclusionMap occlusion, string title = "") =>
        Overlay(picture, occlusion.Sensitivity, title.Length > 0 ? title : Invariant($"occlusion {occlusion.Size}×{occlusion.Size}: fall from p = {occlusion.Baseline:0.00}"));

    /// <summary>A CAM or Grad-CAM map (resized) over the image.</summary>
    public static GenericChart ClassActivation(Picture picture, ClassActivationMap map, string title = "") =>
        Overlay(picture, map.Upsampled, title.Length > 0 ? title : $"class map at {map.Path}");

    /// <summary>The image found by class model visualisation.</summary>
    public static GenericChart ClassModel(ClassModelImage model, string title = "") =>
        Image(Stretch(model.Image), title.Length > 0 ? title : Invariant($"class {model.Class}: score {model.Score:0.0}"));

    /// <summary>The original and the image reconstructed from a node's representation, side by side.</summary>
    public static GenericChart Inversion(Picture original, InversionResult inversion, string title = "") =>
        Tiles([.. original.Channels, .. inversion.Reconstruction.Channels], title.Length > 0 ? title : Invariant($"x₀ and its inversion from {inversion.Path} (relative error {inversion.RelativeError:0.000})"),
            columns: original.Channels.Count + inversion.Reconstruction.Channels.Count, normalize: true);

    /// <summary>Several maps of one size as a grid of grey tiles, each scaled to its own range (kernels, channels).</summary>
    internal static GenericChart Tiles(IReadOnlyList<PixelMap> tiles, string title, int columns = 0, bool normalize = true)
    {
        var mosaic = Mosaic.Of(tiles, columns, normalize);
        return Grey(mosaic.Rows, title, zMin: normalize ? 0 : null, zMax: normalize ? 1 : null, width: mosaic.Width, height: mosaic.Height);
    }

    internal static GenericChart Grey(IEnumerable<IEnumerable<double>> rows, string title, double? zMin, double? zMax, int width, int height)
    {
        var chart = CSharpChart.Heatmap<double, int, int, string>(rows, ColorScale: StyleParam.Colorscale.Greys, ShowScale: false, ReverseYAxis: true);
        if (zMin is { } low && zMax is { } high) chart = chart.WithColorRange(low, high);
        // Pixels as large as fit in 700 × 700 (at most 24 screen pixels each, for 5×5 kernels), plus room for the title.
        var scale = Math.Min(24.0, 700.0 / Math.Max(width, height));
        return chart.ImageAxes().Titled(title).Sized((int)Math.Max(Pixels, width * scale + 20), (int)(height * scale + 60));
    }

    private static double[][] Mean(Picture picture) =>
        Enumerable.Range(0, picture.Height).Select(r => Enumerable.Range(0, picture.Width).Select(c => picture.Channels.Average(ch => (double)ch[r, c])).ToArray()).ToArray();

    private static double[] Doubles(float[] row) => row.Select(v => (double)v).ToArray();

    // A class model image has no fixed range: scale all its channels together to [0, 1].
    private static Picture Stretch(Picture picture)
    {
        var low = picture.Channels.Min(c => c.Min);
        var high = picture.Channels.Max(c => c.Max);
        var span = high - low;
        return new Picture(picture.Channels.Select(c => c with { Values = c.Values.Select(v => span > 0 ? (v - low) / span : 0f).ToEquatableArray() }).ToEquatableArray());
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
