using System.Globalization;
using static TorchSharp.torch;

namespace Cnn.Functional.Torch;

/// <summary>
/// A rectangle of pixels: rows <c>Top … Top + Height − 1</c>, columns <c>Left … Left + Width − 1</c>. A receptive
/// field may reach past the image (padding), so a region may start below 0 or end past the image; <see cref="Clip"/>
/// keeps the part inside.
/// </summary>
public sealed record Region(int Top, int Left, int Height, int Width)
{
    public int Bottom => Top + Height;

    public int Right => Left + Width;

    public bool Contains(int row, int column) => row >= Top && row < Bottom && column >= Left && column < Right;

    /// <summary>The part of this region inside an image of <paramref name="height"/> × <paramref name="width"/> (possibly empty).</summary>
    public Region Clip(int height, int width)
    {
        var (top, left) = (Math.Max(0, Top), Math.Max(0, Left));
        var (bottom, right) = (Math.Min(height, Bottom), Math.Min(width, Right));
        return new Region(top, left, Math.Max(0, bottom - top), Math.Max(0, right - left));
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"rows {Top}…{Bottom - 1}, columns {Left}…{Right - 1}");
}

/// <summary>
/// A map over an image's pixels (or a feature map's positions), row-major: saliency, occlusion sensitivity, a class
/// activation map, one activation map or filter. Plain values with no tensor behind them, so charts and tests read
/// them without TorchSharp; compares by content.
/// </summary>
public sealed record PixelMap(int Height, int Width, EquatableArray<float> Values)
{
    public float this[int row, int column] => Values[row * Width + column];

    public float Max => Values.Count == 0 ? 0 : Values.Max();

    public float Min => Values.Count == 0 ? 0 : Values.Min();

    /// <summary>The rows as arrays (what a heatmap chart takes), top row first.</summary>
    public float[][] ToRows() =>
        Enumerable.Range(0, Height).Select(r => Enumerable.Range(0, Width).Select(c => this[r, c]).ToArray()).ToArray();

    /// <summary>
    /// The share of the map's positive mass inside <paramref name="region"/>: Σ max(v, 0) inside / Σ max(v, 0)
    /// everywhere (0 for a map with no positive value). "Where is the evidence" for attribution maps.
    /// </summary>
    public double MassInside(Region region)
    {
        double inside = 0, total = 0;
        for (var r = 0; r < Height; r++)
            for (var c = 0; c < Width; c++)
            {
                var v = Math.Max(0, this[r, c]);
                total += v;
                if (region.Contains(r, c)) inside += v;
            }
        return total > 0 ? inside / total : 0;
    }

    /// <summary>
    /// The share of the map's positive mass held by its largest <paramref name="fraction"/> of positions (the top 10% by
    /// default; ties broken by position): how concentrated the evidence is. A uniform map gives
    /// <paramref name="fraction"/> itself, a map whose mass sits in so few pixels gives 1; 0 for a map with no positive value.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="fraction"/> is not in (0, 1].</exception>
    public double TopMass(double fraction = 0.1)
    {
        if (!(fraction > 0 && fraction <= 1)) throw new ArgumentOutOfRangeException(nameof(fraction), fraction, "a fraction of the positions in (0, 1]");
        var positive = Values.Select(v => Math.Max(0.0, v)).OrderDescending().ToArray();
        var total = positive.Sum();
        var count = Math.Max(1, (int)Math.Ceiling(fraction * positive.Length - 1e-9));
        return total > 0 ? positive.Take(count).Sum() / total : 0;
    }

    /// <summary>The position of the largest value (the first one, row-major, on ties).</summary>
    public Region Peak()
    {
        var best = 0;
        for (var i = 1; i < Values.Count; i++) if (Values[i] > Values[best]) best = i;
        return new Region(best / Width, best % Width, 1, 1);
    }

    /// <summary>The map scaled to [0, 1] by its own minimum and maximum (all zeros when it is constant).</summary>
    public PixelMap Normalized()
    {
        var (low, high) = (Min, Max);
        var span = high - low;
        return this with { Values = Values.Select(v => span > 0 ? (v - low) / span : 0f).ToEquatableArray() };
    }

    /// <summary>A map of <paramref name="height"/> × <paramref name="width"/> from row-major <paramref name="values"/>.</summary>
    /// <exception cref="ArgumentException">The number of values is not height × width.</exception>
    public static PixelMap Of(int height, int width, IReadOnlyList<float> values)
    {
        if (height < 1 || width < 1 || values.Count != height * width)
            throw new ArgumentException($"a {height}×{width} map needs {height * width} values; got {values.Count}", nameof(values));
        return new PixelMap(height, width, values.ToEquatableArray());
    }

    /// <summary>Copies a 2-D tensor [H, W] (any device, any float type) into a map.</summary>
    internal static PixelMap FromTensor(Tensor map)
    {
        using var scope = NewDisposeScope();
        var cpu = map.detach().to(ScalarType.Float32).cpu().contiguous();
        return new PixelMap((int)cpu.shape[0], (int)cpu.shape[1], cpu.data<float>().ToArray());
    }
}

/// <summary>An image as its channels ([C, H, W]): one for grey, three for RGB. Compares by content.</summary>
public sealed record Picture(EquatableArray<PixelMap> Channels)
{
    public int Height => Channels[0].Height;

    public int Width => Channels[0].Width;

    /// <summary>Copies one image, [C, H, W] or [1, C, H, W], into a picture.</summary>
    /// <exception cref="ArgumentException">The tensor is not one image.</exception>
    public static Picture FromTensor(Tensor image)
    {
        using var scope = NewDisposeScope();
        var t = image.dim() == 4 && image.shape[0] == 1 ? image[0] : image;
        if (t.dim() != 3)
            throw new ArgumentException($"a picture is one image [C, H, W]; got a tensor of shape [{string.Join(", ", image.shape)}]", nameof(image));
        return new Picture(Enumerable.Range(0, (int)t.shape[0]).Select(c => PixelMap.FromTensor(t[c])).ToEquatableArray());
    }
}
