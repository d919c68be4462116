using System.Buffers.Binary;
using System.IO.Compression;
using System.Text.Json;
using Cnn.Functional.Cli;
using Cnn.Functional.Torch;
using static TorchSharp.torch;

namespace Cnn.Functional.Tests;

/// <summary>A LeNet-5 checkpoint trained briefly on real Fashion-MNIST, shared by the explain tests (training is the slow part).</summary>
public sealed class TinyCheckpoint : IDisposable
{
    public TinyCheckpoint()
    {
        var (code, _, error) = Cnnf.Run("train", "--epochs", "1", "--limit", "600", "--checkpoint", Path, "--json");
        Assert.True(code == 0, error);
    }

    public string Folder { get; } = Directory.CreateTempSubdirectory("cnnf-explain-").FullName;

    public string Path => System.IO.Path.Combine(Folder, "lenet.ckpt");

    public void Dispose() => Directory.Delete(Folder, recursive: true);
}

/// <summary><c>cnnf explain</c> on a real checkpoint and real test images: files, figures and errors.</summary>
public sealed class ExplainCommandTests(TinyCheckpoint checkpoint) : IClassFixture<TinyCheckpoint>, IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("cnnf-explain-out-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private static JsonElement Ok((int Code, string Out, string Err) run)
    {
        Assert.True(run.Code == 0, run.Err + run.Out);
        return JsonDocument.Parse(run.Out).RootElement.Clone();
    }

    [Fact]
    public void Json_gives_label_prediction_and_per_method_files_and_figures_and_the_pngs_are_valid()
    {
        var page = Path.Combine(folder, "maps.html");
        var root = Ok(Cnnf.Run("explain", checkpoint.Path, "--index", "0", "--index", "17", "--out", page, "--png", "--json"));

        Assert.Equal("lenet5", root.GetProperty("model").GetString());
        Assert.Equal(page, root.GetProperty("page").GetString());
        Assert.Equal("conv2", root.GetProperty("gradCamNode").GetString());
        // Per image: the image itself and one chart per method.
        Assert.Equal(2 * 4, root.GetProperty("charts").GetInt32());
        var html = File.ReadAllText(page);
        Assert.Equal(8, html.Split("<figure class=\"chart\"").Length - 1);
        Assert.True(html.Length > 3_000_000, "plotly.js is embedded: the page works offline");

        using var test = FashionMnist.LoadTest();
        var images = root.GetProperty("images").EnumerateArray().ToList();
        Assert.Equal([0, 17], images.Select(i => i.GetProperty("index").GetInt32()));
        foreach (var image in images)
        {
            var index = image.GetProperty("index").GetInt32();
            var label = (int)test.Labels[index].item<long>();
            Assert.Equal(label, image.GetProperty("label").GetInt32());
            Assert.Equal(FashionMnist.ClassNames[label], image.GetProperty("labelName").GetString());
            var p = image.GetProperty("probability").GetDouble();
            Assert.InRange(p, 0.1 - 1e-6, 1.0);  // the largest of ten probabilities (float32: near-uniform ones may round below 0.1)
            Assert.InRange(image.GetProperty("labelProbability").GetDouble(), 0.0, p);
            var maps = image.GetProperty("maps").EnumerateArray().ToList();
            Assert.Equal(["gradcam", "saliency", "occlusion"], maps.Select(m => m.GetProperty("method").GetString()));
            foreach (var map in maps)
            {
                Assert.Equal("true", map.GetProperty("target").GetString());
                Assert.Equal(label, map.GetProperty("class").GetInt32());
                // At least the top 10% of pixels' fair share, or 0 for a map with no positive value (a Grad-CAM whose
                // weighted sum is negative everywhere, as it can be for the true class of a barely trained network).
                var topMass = map.GetProperty("topMass").GetDouble();
                Assert.True(topMass == 0 || topMass is >= 0.1 and <= 1.0, $"top-10% mass {topMass}");
                Assert.InRange(map.GetProperty("objectMass").GetDouble(), 0.0, 1.0);
                var file = map.GetProperty("file").GetString()!;
                Assert.Equal(Path.Combine(folder, $"maps-{index}-{map.GetProperty("method").GetString()}-true.png"), file);
                var (width, height, pixels) = DecodePng(File.ReadAllBytes(file));
                Assert.Equal((224, 224), (width, height));
                Assert.True(pixels.Distinct().Count() > 10, "a picture, not a blank");
            }
        }
    }

    [Fact]
    public void The_figures_are_the_library_maps_of_the_checkpoint()
    {
        // The command must explain the checkpoint's weights, not a fresh network: recompute one map here and compare.
        var root = Ok(Cnnf.Run("explain", checkpoint.Path, "--index", "5", "--method", "saliency", "--out", folder, "--json"));
        var info = Checkpoint.Read(checkpoint.Path);
        using var module = GraphModule.Create(info.Graph);
        Transfer.LoadWeights(module, checkpoint.Path, new TransferOptions(Strict: true));
        using var test = FashionMnist.LoadTest(limit: 6);
        using var scope = NewDisposeScope();
        var label = (int)test.Labels[5].item<long>();
        var expected = Saliency.Map(module, test.Images[5], label).TopMass(0.1);
        var map = root.GetProperty("images")[0].GetProperty("maps")[0];
        Assert.Equal(expected, map.GetProperty("topMass").GetDouble(), 12);
        Assert.Equal(JsonValueKind.Null, map.GetProperty("file").ValueKind);
        Assert.True(File.Exists(Path.Combine(folder, "explain.html")), "--out FOLDER writes FOLDER/explain.html");
    }

    [Fact]
    public void True_and_predicted_class_with_a_chosen_node_and_a_text_summary()
    {
        var root = Ok(Cnnf.Run("explain", checkpoint.Path, "--index", "3", "--class", "predicted", "--class", "true", "--method", "gradcam",
            "--node", "relu1", "--out", folder, "--json"));
        Assert.Equal("relu1", root.GetProperty("gradCamNode").GetString());
        var image = root.GetProperty("images")[0];
        var maps = image.GetProperty("maps").EnumerateArray().ToList();
        Assert.Equal(["true", "predicted"], maps.Select(m => m.GetProperty("target").GetString()));
        Assert.Equal(image.GetProperty("label").GetInt32(), maps[0].GetProperty("class").GetInt32());
        Assert.Equal(image.GetProperty("predicted").GetInt32(), maps[1].GetProperty("class").GetInt32());

        var (code, output, error) = Cnnf.Run("explain", checkpoint.Path, "--index", "3", "--out", folder);
        Assert.True(code == 0, error);
        var lines = output.TrimEnd().Split('\n');
        Assert.StartsWith("#3: Trouser → ", lines[0]);
        Assert.Contains("gradcam (true class 1) top-10% mass ", lines[0]);
        Assert.Equal($"explain: {Path.Combine(folder, "explain.html")} (4 charts; Grad-CAM at conv2)", lines[1]);
    }

    [Fact]
    public void An_index_out_of_range_names_the_range()
    {
        var (code, _, error) = Cnnf.Run("explain", checkpoint.Path, "--index", "10000", "--out", folder);
        Assert.Equal(CnnfApp.InputError, code);
        Assert.Equal("cnnf: error: --index 10000 is out of range: Fashion-MNIST test has 10000 images, indices 0 to 9999", error.TrimEnd());

        (code, var output, _) = Cnnf.Run("explain", checkpoint.Path, "--index", "-1", "--out", folder, "--json");
        Assert.Equal(CnnfApp.InputError, code);
        Assert.Contains("indices 0 to 9999", JsonDocument.Parse(output).RootElement.GetProperty("error").GetProperty("message").GetString());
        Assert.False(File.Exists(Path.Combine(folder, "explain.html")));
    }

    [Fact]
    public void An_unknown_method_or_node_names_the_valid_choices()
    {
        var (code, _, error) = Cnnf.Run("explain", checkpoint.Path, "--index", "0", "--method", "lime", "--out", folder);
        Assert.Equal(CnnfApp.InputError, code);
        Assert.Equal("cnnf: error: unknown --method 'lime': choose gradcam, saliency, occlusion", error.TrimEnd());

        (code, _, error) = Cnnf.Run("explain", checkpoint.Path, "--index", "0", "--node", "conv9", "--out", folder);
        Assert.Equal(CnnfApp.InputError, code);
        Assert.Equal("cnnf: error: conv9: Grad-CAM: no node has this path in 'lenet5'. Hint: the nodes with 2-D maps are conv1, relu1, pool1, conv2, relu2, pool2", error.TrimEnd());

        (code, _, error) = Cnnf.Run("explain", checkpoint.Path, "--index", "0", "--node", "fc1", "--out", folder);
        Assert.Equal(CnnfApp.InputError, code);
        Assert.StartsWith("cnnf: error: fc1: Grad-CAM weighs 2-D maps [C, h, w]; this node gives [120]. Hint: the nodes with 2-D maps are conv1,", error);
    }

    [Fact]
    public void A_missing_or_broken_checkpoint_is_one_line()
    {
        var (code, _, error) = Cnnf.Run("explain", "/nonexistent.ckpt", "--index", "0", "--out", folder);
        Assert.Equal(CnnfApp.InputError, code);
        Assert.Equal("cnnf: error: no checkpoint at '/nonexistent.ckpt'", error.TrimEnd());

        var broken = Path.Combine(folder, "broken.ckpt");
        File.WriteAllText(broken, "not a zip archive");
        (code, _, error) = Cnnf.Run("explain", broken, "--index", "0", "--out", folder);
        Assert.Equal(CnnfApp.InputError, code);
        Assert.Single(error.TrimEnd().Split('\n'));
        Assert.StartsWith("cnnf: error: ", error);
        Assert.Contains(broken, error);
    }

    [Fact]
    public void Test_images_of_another_size_are_refused_and_a_data_folder_bounds_the_indices()
    {
        var small = Directory.CreateDirectory(Path.Combine(folder, "small")).FullName;
        WriteIdx(small, count: 3, side: 28);
        var (code, _, error) = Cnnf.Run("explain", checkpoint.Path, "--index", "3", "--data", small, "--out", folder);
        Assert.Equal(CnnfApp.InputError, code);
        Assert.Equal("cnnf: error: --index 3 is out of range: Fashion-MNIST test has 3 images, indices 0 to 2", error.TrimEnd());
        Ok(Cnnf.Run("explain", checkpoint.Path, "--index", "2", "--data", small, "--method", "occlusion", "--out", folder, "--json"));

        var large = Directory.CreateDirectory(Path.Combine(folder, "large")).FullName;
        WriteIdx(large, count: 2, side: 32);
        (code, _, error) = Cnnf.Run("explain", checkpoint.Path, "--index", "0", "--data", large, "--out", folder);
        Assert.Equal(CnnfApp.InputError, code);
        Assert.Equal($"cnnf: error: checkpoint '{checkpoint.Path}' holds 'lenet5', which takes images [1, 28, 28]; the test images of Fashion-MNIST test are [1, 32, 32]", error.TrimEnd());
    }

    [Fact]
    public void Help_lists_the_options_and_an_index_is_required()
    {
        var (_, output, _) = Cnnf.Run("explain", "--help");
        foreach (var option in new[] { "--index", "--method", "--class", "--node", "--out", "--data", "--png", "--json", "gradcam, saliency or occlusion" })
            Assert.Contains(option, output);
        var (code, _, error) = Cnnf.Run("explain", checkpoint.Path);
        Assert.Equal(CnnfApp.InputError, code);
        Assert.Equal("cnnf: error: no test image to explain: give one or more with --index (e.g. --index 0 --index 17)", error.TrimEnd());
    }

    // IDX test files (uncompressed) of `count` square images with a bright square in the middle, labels 0, 1, 2, …
    private static void WriteIdx(string folder, int count, int side)
    {
        var images = new byte[16 + count * side * side];
        BinaryPrimitives.WriteInt32BigEndian(images, 0x0803);
        BinaryPrimitives.WriteInt32BigEndian(images.AsSpan(4), count);
        BinaryPrimitives.WriteInt32BigEndian(images.AsSpan(8), side);
        BinaryPrimitives.WriteInt32BigEndian(images.AsSpan(12), side);
        for (var n = 0; n < count; n++)
            for (var r = side / 4; r < 3 * side / 4; r++)
                for (var c = side / 4; c < 3 * side / 4; c++)
                    images[16 + (n * side + r) * side + c] = 200;
        var labels = new byte[8 + count];
        BinaryPrimitives.WriteInt32BigEndian(labels, 0x0801);
        BinaryPrimitives.WriteInt32BigEndian(labels.AsSpan(4), count);
        for (var n = 0; n < count; n++) labels[8 + n] = (byte)n;
        File.WriteAllBytes(Path.Combine(folder, "t10k-images-idx3-ubyte"), images);
        File.WriteAllBytes(Path.Combine(folder, "t10k-labels-idx1-ubyte"), labels);
    }

    // A strict reading of what Png writes: signature, IHDR (8-bit RGB), one IDAT whose zlib stream inflates to one
    // filter byte (0) and 3 bytes per pixel per row, IEND. Returns the RGB pixels as 24-bit integers.
    internal static (int Width, int Height, int[] Pixels) DecodePng(byte[] png)
    {
        Assert.Equal([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], png[..8]);
        var chunks = new List<(string Type, byte[] Data)>();
        for (var at = 8; at < png.Length;)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(at));
            chunks.Add((System.Text.Encoding.ASCII.GetString(png, at + 4, 4), png[(at + 8)..(at + 8 + length)]));
            at += 12 + length;
        }
        Assert.Equal(["IHDR", "IDAT", "IEND"], chunks.Select(c => c.Type));
        var header = chunks[0].Data;
        var (width, height) = (BinaryPrimitives.ReadInt32BigEndian(header), BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(4)));
        Assert.Equal((8, 2), (header[8], header[9]));
        using var inflated = new MemoryStream();
        using (var zlib = new ZLibStream(new MemoryStream(chunks[1].Data), CompressionMode.Decompress)) zlib.CopyTo(inflated);
        var raw = inflated.ToArray();
        Assert.Equal(height * (1 + 3 * width), raw.Length);
        var pixels = new int[width * height];
        for (var y = 0; y < height; y++)
        {
            var line = y * (1 + 3 * width);
            Assert.Equal(0, raw[line]);
            for (var x = 0; x < width; x++)
                pixels[y * width + x] = (raw[line + 1 + 3 * x] << 16) | (raw[line + 2 + 3 * x] << 8) | raw[line + 3 + 3 * x];
        }
        return (width, height, pixels);
    }
}
