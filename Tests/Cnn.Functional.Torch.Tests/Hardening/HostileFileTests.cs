using System.IO.Compression;
using Cnn.Functional.Tests.Training;
using Cnn.Functional.Torch;
using static TorchSharp.torch;

namespace Cnn.Functional.Tests.Hardening;

/// <summary>
/// Damaged and hostile files — checkpoints with flipped bytes or another graph's weights, graph JSON with unknown layer
/// kinds or absurd sizes — give the library's own exception with a clear message, never another exception type, never
/// silently wrong weights, and leave the user's file byte for byte as it was.
/// </summary>
[Collection("Training")]
public sealed class HostileFileTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("cnnf-hostile-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private static TrainingOptions Options => new() { Epochs = 1, BatchSize = 32, Seed = 3, Optimizer = Optimizers.Sgd() };

    private string Saved(string name, Graph graph, int seed)
    {
        using var data = Synthetic.Quadrants(64, seed);
        using var module = Synthetic.Module(graph, seed);
        using var trainer = new Trainer(module, Options);
        trainer.Fit(data);
        var path = Path.Combine(folder, name);
        trainer.SaveCheckpoint(path);
        return path;
    }

    [Fact]
    public void Every_flipped_byte_of_a_checkpoint_is_refused_with_a_checkpoint_error_or_loads_the_very_same_weights()
    {
        var original = Saved("good.ckpt", Synthetic.SmallNet(), 1);
        var bytes = File.ReadAllBytes(original);
        using var reference = Synthetic.Module(Synthetic.SmallNet(), 7);
        using (var trainer = new Trainer(reference, Options)) trainer.LoadCheckpoint(original);

        // ~150 positions spread over the whole file (headers, compressed JSON, stored tensors, central directory) and every
        // byte of the last 64 (the zip's end records).
        var positions = Enumerable.Range(0, 150).Select(i => (int)((long)i * bytes.Length / 150))
            .Concat(Enumerable.Range(bytes.Length - 64, 64)).Distinct().ToArray();
        int refused = 0, harmless = 0;
        var path = Path.Combine(folder, "flipped.ckpt");
        foreach (var at in positions)
        {
            var damaged = (byte[])bytes.Clone();
            damaged[at] ^= 0x5A;
            File.WriteAllBytes(path, damaged);
            using var module = Synthetic.Module(Synthetic.SmallNet(), 9);
            using var trainer = new Trainer(module, Options);
            try
            {
                Checkpoint.Read(path);
                trainer.LoadCheckpoint(path);
                Assert.True(Synthetic.SameBits(reference, module), $"byte {at} flipped: the checkpoint loaded other weights than were saved");
                harmless++;
            }
            catch (CheckpointException e)
            {
                Assert.Contains(path, e.Message);
                refused++;
            }
            Assert.Equal(damaged, File.ReadAllBytes(path));
        }
        Assert.True(refused > positions.Length / 2, $"{refused} of {positions.Length} flips refused, {harmless} harmless");
    }

    [Fact]
    public void A_checkpoint_holding_another_graphs_weights_is_refused_naming_them_and_changes_nothing()
    {
        var small = Saved("small.ckpt", Synthetic.SmallNet(), 1);
        var wide = Saved("wide.ckpt", Synthetic.SmallNet(firstFilters: 12), 2);
        // The small net's checkpoint, with the wide net's weights.bin in place of its own.
        var hybrid = Path.Combine(folder, "hybrid.ckpt");
        File.Copy(small, hybrid);
        using (var target = ZipFile.Open(hybrid, ZipArchiveMode.Update))
        using (var source = ZipFile.OpenRead(wide))
        {
            target.GetEntry("weights.bin")!.Delete();
            using var from = source.GetEntry("weights.bin")!.Open();
            using var to = target.CreateEntry("weights.bin", CompressionLevel.NoCompression).Open();
            from.CopyTo(to);
        }
        var before = File.ReadAllBytes(hybrid);
        using var module = Synthetic.Module(Synthetic.SmallNet(), 4);
        var weights = Synthetic.Weights(module);
        using var trainer = new Trainer(module, Options);
        // The checksums catch the swap first …
        var damaged = Assert.Throws<CheckpointException>(() => trainer.LoadCheckpoint(hybrid));
        Assert.StartsWith($"checkpoint '{hybrid}' is damaged: the entry weights.bin is damaged: its SHA-256 is ", damaged.Message);
        Assert.Equal(before, File.ReadAllBytes(hybrid));
        // … and with checksums that agree (a file written by other means), the weights' shapes do.
        using (var zip = ZipFile.Open(hybrid, ZipArchiveMode.Update))
        {
            var sums = ZipChecksums.Of(zip, Checkpoint.ChecksumEntry);
            zip.GetEntry(Checkpoint.ChecksumEntry)!.Delete();
            ZipChecksums.Write(zip, Checkpoint.ChecksumEntry, sums);
        }
        before = File.ReadAllBytes(hybrid);
        var error = Assert.Throws<CheckpointException>(() => trainer.LoadCheckpoint(hybrid));
        Assert.Equal($"checkpoint '{hybrid}': 'conv1.weight' is Float32 [12, 1, 3, 3], the module's is Float32 [8, 1, 3, 3]", error.Message);
        Assert.All(module.state_dict(), kv => Assert.True(Synthetic.SameBits(weights[kv.Key], kv.Value), kv.Key));
        Assert.Equal(0, trainer.Epoch);
        Assert.Equal(before, File.ReadAllBytes(hybrid));
        foreach (var t in weights.Values) t.Dispose();
    }

    [Fact]
    public void Graph_json_with_an_unknown_layer_kind_or_absurd_sizes_is_refused_and_the_file_is_unchanged()
    {
        var lenet = Synthetic.SmallNet().ToJson();
        var unknown = Path.Combine(folder, "unknown.json");
        File.WriteAllText(unknown, lenet.Replace("\"kind\": \"batchNorm\"", "\"kind\": \"quantumNorm\""));
        var before = File.ReadAllBytes(unknown);
        var error = Assert.Throws<GraphException>(() => Graph.FromJson(File.ReadAllText(unknown)));
        Assert.Contains("unknown layer kind 'quantumNorm'; known kinds: input, conv,", error.Message);
        Assert.Equal(before, File.ReadAllBytes(unknown));

        // Valid JSON, valid shapes, absurd sizes: a 10⁹-filter convolution and a 10⁵ × 10⁵ input are refused when lowered,
        // before anything is allocated, naming the node and the numbers.
        var absurd = Path.Combine(folder, "absurd.json");
        File.WriteAllText(absurd, lenet.Replace("\"filters\": 8", "\"filters\": 1000000000"));
        before = File.ReadAllBytes(absurd);
        var graph = Graph.FromJson(File.ReadAllText(absurd));
        var refused = Assert.Throws<GraphException>(() => GraphModule.Create(graph));
        // conv1's 10⁹ maps make conv2 (16 filters over 10⁹ channels) the largest node: the message names it.
        Assert.Equal("conv2", refused.Errors[0].Path);
        Assert.Contains("parameters and buffers need", refused.Message);
        Assert.Equal(before, File.ReadAllBytes(absurd));

        var hugeInput = Path.Combine(folder, "huge-input.json");
        var document = System.Text.Json.Nodes.JsonNode.Parse(lenet)!;
        document["nodes"]![0]!["layer"]!["shape"] = new System.Text.Json.Nodes.JsonArray(1, 100_000, 100_000);
        File.WriteAllText(hugeInput, document.ToJsonString());
        var huge = Graph.FromJson(File.ReadAllText(hugeInput));
        Assert.Equal(Shape.Image(1, 100_000, 100_000), huge.Nodes[0].Layer is Input i ? i.Shape : null);
        // Here inference refuses first: flattening 16 maps of 25,000 × 25,000 gives more features than a size holds.
        var tooMany = Assert.Throws<GraphException>(() => GraphModule.Create(huge));
        Assert.Equal("flatten", tooMany.Errors[0].Path);
        Assert.StartsWith("flattening [16, 25000, 25000] gives", tooMany.Errors[0].Message);
        var convolutions = Assert.Throws<GraphException>(() => GraphModule.Create(huge.Truncate("conv2")));
        Assert.Contains("(MemoryLimits.MaxActivationBytes)", convolutions.Message);
    }
}
