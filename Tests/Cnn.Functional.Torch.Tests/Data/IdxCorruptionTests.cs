using Cnn.Functional.Torch;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Cnn.Functional.Tests.Data;

/// <summary>
/// Every defect of an IDX file is a <see cref="DataException"/> whose message names the file, the place and what
/// was expected and found — and the file is left exactly as it was.
/// </summary>
public class IdxCorruptionTests(ITestOutputHelper output)
{
    private static readonly string[] Digits = Enumerable.Range(0, 10).Select(i => i.ToString()).ToArray();
    private static readonly byte[] Pixels = IdxFiles.RandomBytes(5 * 4 * 3, seed: 11);
    private static readonly byte[] GoodImages = IdxFiles.Images(5, 4, 3, Pixels);
    private static readonly byte[] GoodLabels = IdxFiles.Labels([0, 9, 3, 3, 7]);

    /// <summary>A broken pair of files: the image file, the label file, and which of them the error is about.</summary>
    private sealed record Case(byte[] Images, byte[] Labels, bool ImagesAreBad, string[] Expected);

    private static readonly Dictionary<string, Case> Cases = new()
    {
        ["bad magic"] = new(Replace(GoodImages, 0, [0x12, 0x34, 0x56, 0x78]), GoodLabels, true,
            ["bad magic number at byte 0", "found 0x12345678 (not an IDX magic number"]),
        ["labels given as images"] = new(GoodLabels, GoodLabels, true,
            ["expected 0x00000803 (IDX: unsigned bytes, 3 dimensions), found 0x00000801 (IDX: unsigned bytes, 1 dimension)",
             "a label file where images were expected?"]),
        ["float elements"] = new(IdxFiles.Build(0x00000D03, [5, 4, 3], new byte[240]), GoodLabels, true,
            ["found 0x00000D03 (IDX: 32-bit floats, 3 dimensions)", "unsigned bytes only"]),
        ["unknown element type"] = new(IdxFiles.Build(0x00000A03, [5, 4, 3], Pixels), GoodLabels, true,
            ["found 0x00000A03 (IDX: unknown type code 0x0A, 3 dimensions)", "IDX defines the type codes 0x08, 0x09"]),
        ["empty file"] = new([], GoodLabels, true, ["truncated", "ends at byte 0, inside the 4-byte magic number"]),
        ["truncated header"] = new(GoodImages[..10], GoodLabels, true,
            ["truncated", "ends at byte 10, inside the size of dimension 1 (bytes 8–11)"]),
        ["truncated data"] = new(GoodImages[..40], GoodLabels, true,
            ["truncated", "promises 60 bytes of data after the 16-byte header (5 × 4 × 3, 76 bytes in all), but the file has 40 bytes"]),
        ["truncated gzipped data"] = new(IdxFiles.Gzip(GoodImages[..40]), GoodLabels, true,
            ["truncated", "promises 60 bytes", "ends at byte 40 of the decompressed data, 36 bytes short"]),
        ["gzip stream cut short"] = new(IdxFiles.Gzip(GoodImages)[..20], GoodLabels, true, ["truncated", "of the decompressed data"]),
        ["trailing bytes"] = new([.. GoodImages, 1, 2, 3], GoodLabels, true,
            ["dimensions do not match the file size", "the file has 79 bytes (3 too many)"]),
        ["trailing gzipped bytes"] = new(IdxFiles.Gzip([.. GoodImages, 1, 2, 3]), GoodLabels, true,
            ["dimensions do not match the file size", "but the decompressed data goes on for 3 more bytes"]),
        ["absurd dimension"] = new(IdxFiles.Build(0x803, [5, 0xFFFFFFF0, 3], Pixels), GoodLabels, true,
            ["absurd size of dimension 1 at byte 8: 4,294,967,280"]),
        ["absurd product"] = new(IdxFiles.Build(0x803, [60_000, 100_000, 100_000], Pixels), GoodLabels, true,
            ["absurd dimensions 60,000 × 100,000 × 100,000", "more than 2,147,483,647 bytes"]),
        ["gzip far too small for its dimensions"] = new(IdxFiles.Gzip(IdxFiles.Build(0x803, [1000, 1000, 1000], Pixels)), GoodLabels, true,
            ["promises 1,000,000,000 bytes", "deflate's 1032:1 limit"]),
        ["corrupt deflate data"] = new(Replace(IdxFiles.Gzip(GoodImages), 10, [0xFF]), GoodLabels, true,
            ["the gzip data is corrupt: decompressing the 4-byte magic number at byte 0 of the decompressed data failed"]),
        ["label out of range"] = new(GoodImages, IdxFiles.Labels([0, 9, 10, 3, 7]), false,
            ["label out of range at byte 10 (example 2): expected 0–9 (10 classes), found 10"]),
        ["gzipped label out of range"] = new(GoodImages, IdxFiles.Gzip(IdxFiles.Labels([0, 9, 3, 3, 255])), false,
            ["label out of range at byte 12 of the decompressed data (example 4): expected 0–9 (10 classes), found 255"]),
        ["count mismatch"] = new(GoodImages, IdxFiles.Labels([0, 1, 2, 3]), false,
            ["image and label counts differ", "holds 5 images (5 × 4 × 3) but", "holds 4 labels"]),
        ["images given as labels"] = new(GoodImages, GoodImages, false, ["an image file where labels were expected?"]),
        ["no examples"] = new(IdxFiles.Images(0, 4, 3, []), IdxFiles.Labels([]), true, ["no examples to load", "0 × 4 × 3"]),
    };

    public static TheoryData<string> CaseNames() => new(Cases.Keys);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void A_corrupt_file_gives_a_DataException_that_says_what_is_wrong_and_is_left_unchanged(string name)
    {
        var @case = Cases[name];
        using var folder = new TempFolder();
        var images = folder.Write("images-idx3-ubyte", @case.Images);
        var labels = folder.Write("labels-idx1-ubyte", @case.Labels);
        var before = new[] { FileSnapshot.Of(images), FileSnapshot.Of(labels) };
        using var scope = NewDisposeScope();

        var error = Assert.Throws<DataException>(() => Idx.LoadDataset("broken", images, labels, Digits));
        output.WriteLine(error.Message);

        Assert.Contains(@case.ImagesAreBad ? images : labels, error.Message);
        foreach (var expected in @case.Expected) Assert.Contains(expected, error.Message);
        Assert.Equal(0, scope.DisposablesCount); // nothing half-loaded is left behind
        foreach (var snapshot in before) snapshot.AssertUnchanged();
    }

    [Fact]
    public void A_bad_label_past_the_first_chunk_is_found_at_its_true_offset()
    {
        // 1.1 million 1 × 1 images: the labels are read in several 1 MiB chunks.
        const int count = 1_100_000, bad = 1_050_000;
        var values = new byte[count];
        values[bad] = 12;
        using var folder = new TempFolder();
        var images = folder.Write("images", IdxFiles.Images(count, 1, 1, new byte[count]));
        var labels = folder.Write("labels", IdxFiles.Gzip(IdxFiles.Labels(values)));
        using var scope = NewDisposeScope();
        var error = Assert.Throws<DataException>(() => Idx.LoadDataset("big", images, labels, Digits));
        Assert.Equal($"{labels}: label out of range at byte 1,050,008 of the decompressed data (example 1,050,000): expected 0–9 (10 classes), found 12",
            error.Message);
        Assert.Equal(0, scope.DisposablesCount);
        values[bad] = 9;
        File.WriteAllBytes(labels, IdxFiles.Labels(values));
        using var data = Idx.LoadDataset("big", images, labels, Digits);
        Assert.Equal(9L, data.Labels[bad].item<long>());
        Assert.Equal(9L, data.Labels.sum().item<long>());
    }

    [Fact]
    public void A_missing_file_is_named()
    {
        using var folder = new TempFolder();
        var missing = Path.Combine(folder.Path, "nothing-here");
        var error = Assert.Throws<DataException>(() => Idx.ReadHeader(missing));
        Assert.Equal($"{missing}: file not found", error.Message);
        Assert.Equal(missing, error.Path);
    }

    /// <summary>
    /// Any prefix of a valid file is refused with a DataException — except a gzipped file cut after its last data
    /// byte was decompressed (inside its 8-byte trailer, say): that loads, and must load right. Never another
    /// exception, never a change to the file.
    /// </summary>
    [Property(MaxTest = 60)]
    public Property Every_truncation_is_refused_or_harmless(bool gzip, PositiveInt cutSeed)
    {
        var whole = gzip ? IdxFiles.Gzip(GoodImages) : GoodImages;
        var cut = cutSeed.Get % whole.Length; // 0 … length − 1: always strictly shorter
        return Outcome(whole[..cut], out var loaded) switch
        {
            null => (gzip && loaded!.SequenceEqual(Pixels)).Label($"cut at {cut} of {whole.Length} loaded"),
            var message => message.Contains("truncated").Label(message),
        };
    }

    /// <summary>Any single corrupted byte gives correct-shaped data or a DataException — never a crash.</summary>
    [Property(MaxTest = 60)]
    public Property A_corrupted_byte_never_escapes_as_another_exception(bool gzip, PositiveInt at, byte value)
    {
        var whole = gzip ? IdxFiles.Gzip(GoodImages) : GoodImages;
        var bytes = Replace(whole, at.Get % whole.Length, [value]);
        var message = Outcome(bytes, out var loaded);
        return (message is not null || loaded!.Length == Pixels.Length).Label(message ?? "loaded");
    }

    /// <summary>Reads <paramref name="images"/> from a file: null and the pixels, or the DataException's message.</summary>
    private static string? Outcome(byte[] images, out byte[]? loaded)
    {
        using var folder = new TempFolder();
        var path = folder.Write("images", images);
        var snapshot = FileSnapshot.Of(path);
        loaded = null;
        try
        {
            using var tensor = Idx.Read(path, IdxHeader.ImagesMagic);
            loaded = tensor.data<byte>().ToArray();
            return null;
        }
        catch (DataException e)
        {
            Assert.StartsWith(path + ": ", e.Message);
            return e.Message;
        }
        finally
        {
            snapshot.AssertUnchanged();
        }
    }

    private static byte[] Replace(byte[] bytes, int at, byte[] with)
    {
        var copy = (byte[])bytes.Clone();
        with.CopyTo(copy, at);
        return copy;
    }
}
