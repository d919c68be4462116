using Cnn.Functional.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace Cnn.Functional.Tests.Data;

/// <summary>Small IDX files written byte by byte round-trip through the reader, gzipped or plain.</summary>
public class IdxTests
{
    private static readonly string[] Digits = Enumerable.Range(0, 10).Select(i => i.ToString()).ToArray();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Generated_files_round_trip(bool gzip)
    {
        using var folder = new TempFolder();
        var pixels = IdxFiles.RandomBytes(5 * 4 * 3, seed: 1);
        var labels = IdxFiles.RandomBytes(5, seed: 2, below: 10);
        Func<byte[], byte[]> encode = gzip ? IdxFiles.Gzip : b => b;
        var imagesPath = folder.Write("images", encode(IdxFiles.Images(5, 4, 3, pixels)));
        var labelsPath = folder.Write("labels", encode(IdxFiles.Labels(labels)));

        var header = Idx.ReadHeader(imagesPath);
        Assert.Equal(new IdxHeader(imagesPath, gzip, 0x08, EquatableArray.Of(5, 4, 3)), header);
        Assert.Equal((16, 12L, 60L), (header.HeaderBytes, header.ExampleBytes, header.DataBytes));

        using var scope = NewDisposeScope();
        var raw = Idx.Read(imagesPath, IdxHeader.ImagesMagic);
        Assert.Equal(ScalarType.Byte, raw.dtype);
        Assert.Equal(new long[] { 5, 4, 3 }, raw.shape);
        Assert.Equal(pixels, raw.data<byte>().ToArray());

        using var data = Idx.LoadDataset("tiny", imagesPath, labelsPath, Digits);
        Assert.Equal(new long[] { 5, 1, 4, 3 }, data.Images.shape);
        Assert.Equal(ScalarType.Float32, data.Images.dtype);
        Assert.Equal(pixels.Select(p => p / 255f), data.Images.data<float>().ToArray());
        Assert.Equal(ScalarType.Int64, data.Labels.dtype);
        Assert.Equal(labels.Select(l => (long)l), data.Labels.data<long>().ToArray());
        Assert.Equal((5L, 10, Shape.Of(1, 4, 3)), (data.Count, data.Classes, data.ExampleShape));
    }

    [Fact]
    public void Every_byte_value_becomes_exactly_value_over_255()
    {
        using var folder = new TempFolder();
        // 3 images of 11 × 9 = 297 pixels: every byte value, and a length that is no multiple of any vector width.
        var pixels = Enumerable.Range(0, 297).Select(i => (byte)((i * 7) % 256)).ToArray();
        Assert.Equal(256, pixels.Distinct().Count());
        var images = folder.Write("i", IdxFiles.Images(3, 11, 9, pixels));
        var labels = folder.Write("l", IdxFiles.Labels([0, 1, 0]));
        using var data = Idx.LoadDataset("all values", images, labels, ["a", "b"]);
        using var scope = NewDisposeScope();
        Assert.Equal(pixels.Select(p => p / 255f), data.Images.data<float>().ToArray());
        Assert.True(data.Images.flatten().eq(tensor(pixels).to_type(ScalarType.Float32) / 255).all().item<bool>(), "as torch divides");
    }

    [Theory]
    [InlineData(false, 2)]
    [InlineData(true, 2)]
    [InlineData(true, 7)]
    public void A_limit_reads_only_the_first_examples(bool gzip, int limit)
    {
        using var folder = new TempFolder();
        var pixels = IdxFiles.RandomBytes(6 * 2 * 2, seed: 3);
        var bytes = IdxFiles.Images(6, 2, 2, pixels);
        var path = folder.Write("images", gzip ? IdxFiles.Gzip(bytes) : bytes);
        using var images = Idx.Read(path, IdxHeader.ImagesMagic, limit);
        var n = Math.Min(6, limit);
        Assert.Equal(new long[] { n, 2, 2 }, images.shape);
        Assert.Equal(pixels.Take(n * 4), images.data<byte>().ToArray());
    }

    [Fact]
    public void Gzip_is_told_by_its_magic_bytes_not_by_the_name()
    {
        using var folder = new TempFolder();
        var labels = new byte[] { 3, 1, 4, 1, 5 };
        var gzippedWithoutSuffix = folder.Write("labels", IdxFiles.Gzip(IdxFiles.Labels(labels)));
        var plainWithSuffix = folder.Write("labels.gz", IdxFiles.Labels(labels));
        foreach (var path in new[] { gzippedWithoutSuffix, plainWithSuffix })
        {
            using var read = Idx.Read(path, IdxHeader.LabelsMagic);
            Assert.Equal(labels, read.data<byte>().ToArray());
        }
        Assert.True(Idx.ReadHeader(gzippedWithoutSuffix).Gzipped);
        Assert.False(Idx.ReadHeader(plainWithSuffix).Gzipped);
    }

    [Fact]
    public void Reading_creates_its_tensor_in_the_callers_scope_and_nothing_else()
    {
        using var folder = new TempFolder();
        var images = folder.Write("i.gz", IdxFiles.Gzip(IdxFiles.Images(3, 2, 2, IdxFiles.RandomBytes(12, 4))));
        var labels = folder.Write("l.gz", IdxFiles.Gzip(IdxFiles.Labels([1, 2, 0])));
        using var scope = NewDisposeScope();
        var raw = Idx.Read(images, IdxHeader.ImagesMagic);
        Assert.Equal(1, scope.DisposablesCount);
        var data = Idx.LoadDataset("t", images, labels, Digits);
        Assert.Equal(3, scope.DisposablesCount); // the raw bytes, the images and the labels; no intermediate survives
        Assert.True(scope.Contains(data.Images) && scope.Contains(data.Labels) && scope.Contains(raw));
    }

    [Fact]
    public void Header_descriptions_say_what_a_magic_number_means()
    {
        Assert.Equal("0x00000803 (IDX: unsigned bytes, 3 dimensions)", IdxHeader.DescribeMagic(0x803));
        Assert.Equal("0x00000801 (IDX: unsigned bytes, 1 dimension)", IdxHeader.DescribeMagic(0x801));
        Assert.Equal("0x00000D02 (IDX: 32-bit floats, 2 dimensions)", IdxHeader.DescribeMagic(0xD02));
        Assert.Equal("0x1F8B0800 (not an IDX magic number: its first two bytes must be zero)", IdxHeader.DescribeMagic(0x1F8B0800));
    }
}
