using System.Buffers.Binary;
using System.IO.Compression;
using Cnn.Functional.Charts;
using Cnn.Functional.Torch;

namespace Cnn.Functional.Tests;

/// <summary><see cref="Png"/>: files any PNG reader accepts, and the colours of the overlay where they belong.</summary>
public class PngTests
{
    // The chunks of a PNG, each with its CRC checked against an independent CRC-32 (the bitwise form of ISO 3309).
    private static List<(string Type, byte[] Data)> Chunks(byte[] png)
    {
        Assert.Equal([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], png[..8]);
        var chunks = new List<(string, byte[])>();
        for (var at = 8; at < png.Length;)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(at));
            var typed = png[(at + 4)..(at + 8 + length)];
            Assert.Equal(BitwiseCrc(typed), BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(at + 8 + length)));
            chunks.Add((System.Text.Encoding.ASCII.GetString(typed, 0, 4), typed[4..]));
            at += 12 + length;
        }
        return chunks;
    }

    private static uint BitwiseCrc(byte[] bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1)));
        }
        return ~crc;
    }

    private static byte[] Pixels(byte[] png, int width, int height)
    {
        var chunks = Chunks(png);
        using var inflated = new MemoryStream();
        using (var zlib = new ZLibStream(new MemoryStream(chunks.Single(c => c.Type == "IDAT").Data), CompressionMode.Decompress)) zlib.CopyTo(inflated);
        var raw = inflated.ToArray();
        Assert.Equal(height * (1 + 3 * width), raw.Length);
        return Enumerable.Range(0, height).SelectMany(y => raw.Skip(y * (1 + 3 * width) + 1).Take(3 * width)).ToArray();
    }

    [Fact]
    public void Encode_writes_signature_header_data_and_end_with_valid_checksums()
    {
        var png = Png.Encode(2, 1, [255, 0, 0, 0, 0, 255], scale: 3);
        var chunks = Chunks(png);
        Assert.Equal(["IHDR", "IDAT", "IEND"], chunks.Select(c => c.Type));
        Assert.Equal([0, 0, 0, 6, 0, 0, 0, 3, 8, 2, 0, 0, 0], chunks[0].Data);
        Assert.Equal([0xAE, 0x42, 0x60, 0x82], png[^4..]);  // IEND's CRC, the same in every PNG
        var pixels = Pixels(png, 6, 3);
        // Each source pixel is a 3 × 3 square: red on the left, blue on the right, on every row.
        for (var y = 0; y < 3; y++)
            for (var x = 0; x < 6; x++)
                Assert.Equal(x < 3 ? new byte[] { 255, 0, 0 } : [0, 0, 255], pixels.Skip((y * 6 + x) * 3).Take(3).ToArray());
    }

    [Fact]
    public void Overlay_blends_the_hot_map_over_the_grey_picture()
    {
        // A black picture with one white pixel, and a map whose only mass is one other pixel.
        var picture = new Picture(EquatableArray.Of(PixelMap.Of(2, 2, [0, 1, 0, 0])));
        var map = PixelMap.Of(2, 2, [0, 0, 0, 5]);
        var pixels = Pixels(Png.Overlay(picture, map, scale: 1, opacity: 0.5), 2, 2);
        Assert.Equal([0, 0, 0], pixels[0..3]);                 // black under the coldest colour (black)
        Assert.Equal([128, 128, 128], pixels[3..6]);           // white at half opacity over black
        Assert.Equal([128, 128, 128], pixels[9..12]);          // the map's maximum is hot white
        Assert.Throws<ArgumentException>(() => Png.Overlay(picture, PixelMap.Of(1, 1, [1]), scale: 1));
    }
}
