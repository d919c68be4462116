using Cnn.Functional.Torch;
namespace Cnn.Functional.Charts;

/// <summary>
/// Many small maps laid out as tiles of one heatmap, separated by one-pixel gaps of NaN (which plotly leaves blank):
/// one trace draws 96 kernels as fast as one, and every tile can be scaled to its own range.
/// </summary>
internal sealed class Mosaic
{
    private Mosaic(double[][] rows, int tileHeight, int tileWidth, int columns)
    {
        Rows = rows;
        TileHeight = tileHeight;
        TileWidth = tileWidth;
        Columns = columns;
    }

    public double[][] Rows { get; }

    public int TileHeight { get; }

    public int TileWidth { get; }

    public int Columns { get; }

    public int Height => Rows.Length;

    public int Width => Rows.Length == 0 ? 0 : Rows[0].Length;

    /// <summary>The top-left pixel of tile <paramref name="index"/>.</summary>
    public (int Top, int Left) Corner(int index) => (index / Columns * (TileHeight + 1), index % Columns * (TileWidth + 1));

    /// <summary>
    /// Lays out <paramref name="tiles"/> (all of one size) in rows of <paramref name="columns"/> (default: about square).
    /// With <paramref name="normalize"/> each tile is scaled to [0, 1] by its own minimum and maximum.
    /// </summary>
    public static Mosaic Of(IReadOnlyList<PixelMap> tiles, int columns = 0, bool normalize = false)
    {
        if (tiles.Count == 0) throw new ArgumentException("a mosaic needs at least one tile", nameof(tiles));
        var (h, w) = (tiles[0].Height, tiles[0].Width);
        if (tiles.Any(t => t.Height != h || t.Width != w))
            throw new ArgumentException($"every tile of a mosaic has the size of the first, {h}×{w}", nameof(tiles));
        if (columns < 1) columns = Math.Max(1, (int)Math.Ceiling(Math.Sqrt(tiles.Count * (double)h / w)));
        columns = Math.Min(columns, tiles.Count);
        var tileRows = (tiles.Count + columns - 1) / columns;
        var rows = Enumerable.Range(0, tileRows * (h + 1) - 1).Select(_ => Enumerable.Repeat(double.NaN, columns * (w + 1) - 1).ToArray()).ToArray();
        var mosaic = new Mosaic(rows, h, w, columns);
        for (var i = 0; i < tiles.Count; i++)
        {
            var tile = normalize ? tiles[i].Normalized() : tiles[i];
            var (top, left) = mosaic.Corner(i);
            for (var r = 0; r < h; r++)
                for (var c = 0; c < w; c++) rows[top + r][left + c] = tile[r, c];
        }
        return mosaic;
    }
}
