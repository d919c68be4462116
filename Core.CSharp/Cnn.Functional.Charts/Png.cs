using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using Cnn.Functional.Torch;

namespace Cnn.Functional.Charts;

/// <summary>
/// Pictures and maps drawn straight to PNG files (8-bit RGB, W3C PNG 2nd ed.), without a browser: what
/// <see cref="Plot.Overlay"/> shows — the map in plotly's "Hot" colours at 55% opacity over the grey picture — as an
/// image file for documents and slides. Each pixel becomes a <c>scale</c> × <c>scale</c> square (28 × 28 → 224 × 224
/// at the default 8), so the pixels stay visible.
/// </summary>
public static class Png
{
    /// <summary>
    /// <paramref name="map"/> (the picture's size, as the Explain maps are; scaled to its own minimum and maximum,
    /// as the chart's colour bar is) blended over the grey <paramref name="picture"/> (the mean of its channels, values in [0, 1]).
    /// </summary>
    /// <exception cref="ArgumentException">The map and the picture differ in size, or scale or opacity is out of range.</exception>
    public static byte[] Overlay(Picture picture, PixelMap map, int scale = 8, double opacity = 0.55)
    {
        if (map.Height != picture.Height || map.Width != picture.Width)
            throw new ArgumentException($"the map is {map.Height}×{map.Width}, the picture {picture.Height}×{picture.Width}: draw maps of the picture's size", nameof(map));
        if (scale is < 1 or > 64) throw new ArgumentOutOfRangeException(nameof(scale), scale, "1 to 64 screen pixels per image pixel");
        if (opacity is < 0 or > 1 || double.IsNaN(opacity)) throw new ArgumentOutOfRangeException(nameof(opacity), opacity, "0 to 1");
        var heat = map.Normalized();
        var (height, width) = (picture.Height, picture.Width);
        var rgb = new byte[height * width * 3];
        for (var r = 0; r < height; r++)
            for (var c = 0; c < width; c++)
            {
                var grey = 255 * Math.Clamp(picture.Channels.Average(ch => (double)ch[r, c]), 0, 1);
                var (red, green, blue) = Hot(heat[r, c]);
                var i = (r * width + c) * 3;
                rgb[i] = Blend(grey, red, opacity);
                rgb[i + 1] = Blend(grey, green, opacity);
                rgb[i + 2] = Blend(grey, blue, opacity);
            }
        return Encode(width, height, rgb, scale);
    }

    /// <summary>
    /// Encodes <paramref name="rgb"/> (<paramref name="width"/> × <paramref name="height"/> pixels, row-major, 3 bytes
    /// each) as a PNG, every pixel drawn as a <paramref name="scale"/> × <paramref name="scale"/> square.
    /// </summary>
    /// <exception cref="ArgumentException">The sizes do not match the bytes.</exception>
    public static byte[] Encode(int width, int height, IReadOnlyList<byte> rgb, int scale = 1)
    {
        if (width < 1 || height < 1 || scale < 1 || rgb.Count != width * height * 3)
            throw new ArgumentException($"a {width}×{height} RGB image needs {width * height * 3} bytes and a scale ≥ 1; got {rgb.Count} bytes, scale {scale}", nameof(rgb));
        var (outWidth, outHeight) = (width * scale, height * scale);
        // Each scan line starts with its filter type; 0 (none) is enough for a picture of a few hundred pixels.
        var raw = new byte[outHeight * (1 + outWidth * 3)];
        for (var y = 0; y < outHeight; y++)
        {
            var line = y * (1 + outWidth * 3) + 1;
            for (var x = 0; x < outWidth; x++)
            {
                var source = ((y / scale) * width + x / scale) * 3;
                for (var k = 0; k < 3; k++) raw[line + x * 3 + k] = rgb[source + k];
            }
        }
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, outWidth);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), outHeight);
        header[8] = 8;  // bits per sample
        header[9] = 2;  // colour type: RGB; compression, filter and interlace methods stay 0
        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true)) zlib.Write(raw);
        using var file = new MemoryStream();
        file.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        Chunk(file, "IHDR", header);
        Chunk(file, "IDAT", compressed.ToArray());
        Chunk(file, "IEND", []);
        return file.ToArray();
    }

    // plotly.js's "Hot" colour scale: black, red at 0.3, yellow at 0.6, white at 1.
    private static readonly (double At, double R, double G, double B)[] HotStops = [(0, 0, 0, 0), (0.3, 230, 0, 0), (0.6, 255, 210, 0), (1, 255, 255, 255)];

    private static (double R, double G, double B) Hot(double v)
    {
        v = Math.Clamp(v, 0, 1);
        var i = 1;
        while (i < HotStops.Length - 1 && v > HotStops[i].At) i++;
        var (a, b) = (HotStops[i - 1], HotStops[i]);
        var t = (v - a.At) / (b.At - a.At);
        return (a.R + t * (b.R - a.R), a.G + t * (b.G - a.G), a.B + t * (b.B - a.B));
    }

    private static byte Blend(double under, double over, double opacity) => (byte)Math.Round((1 - opacity) * under + opacity * over);

    private static void Chunk(Stream file, string type, byte[] data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        file.Write(word);
        var typed = new byte[4 + data.Length];
        Encoding.ASCII.GetBytes(type, typed);
        data.CopyTo(typed, 4);
        file.Write(typed);
        BinaryPrimitives.WriteUInt32BigEndian(word, Crc32(typed));
        file.Write(word);
    }

    // The CRC-32 of ISO 3309 that PNG chunks end with (PNG spec, annex D).
    private static readonly uint[] CrcTable = Enumerable.Range(0, 256).Select(n =>
    {
        var c = (uint)n;
        for (var k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        return c;
    }).ToArray();

    internal static uint Crc32(ReadOnlySpan<byte> bytes)
    {
        var c = 0xFFFFFFFFu;
        foreach (var b in bytes) c = CrcTable[(c ^ b) & 0xFF] ^ (c >> 8);
        return c ^ 0xFFFFFFFFu;
    }
}
