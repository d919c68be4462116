using System.IO.Compression;
using System.Text;
using System.Text.Json;
using TorchSharp;
using static TorchSharp.torch;

namespace Cnn.Functional.Torch;

/// <summary>A checkpoint that cannot be written, read, or used for this graph; the message names the file and the reason.</summary>
public sealed class CheckpointException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>What a checkpoint holds besides tensors: the graph it belongs to and the run's progress.</summary>
public sealed record CheckpointInfo(Graph Graph, int Epoch, string Optimizer, EquatableArray<EpochSummary> History);

/// <summary>
/// One checkpoint file: a zip archive (inspect it with <c>unzip -l</c>) of
/// <c>checkpoint.json</c> (format, epoch, optimiser kind, schedule and early-stopping state, history),
/// <c>graph.json</c> (the graph, as <see cref="GraphJson"/> writes it),
/// <c>weights.bin</c> (parameters and buffers in TorchSharp's <c>module.save</c> format, loadable by <c>module.load</c>),
/// <c>optimizer.bin</c> (the optimiser's state in the same format), <c>rng.bin</c> (the states of libtorch's global
/// generator and of the shuffling generator) and <c>sha256.txt</c> (the SHA-256 of each other entry, see
/// <see cref="ZipChecksums"/>: a flipped byte is refused, never loaded as another weight). Reading checks everything before
/// changing anything, so a checkpoint that fails to load leaves the module and optimiser as they were.
/// </summary>
public static class Checkpoint
{
    public const string Format = "cnn-functional-checkpoint";
    public const int Version = 1;

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        // A schedule's best value starts at +∞.
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    internal sealed record Document(string Format, int Version, string Graph, int Epoch, string Optimizer, long Seed, ScheduleState Schedule,
        StoppingState Stopping, bool EarlyStopped, EpochSummary[] History);

    /// <summary>Reads a checkpoint's graph and progress (not its tensors): to rebuild the module before resuming.</summary>
    /// <exception cref="CheckpointException">The file is missing or not a checkpoint.</exception>
    public static CheckpointInfo Read(string path) => Open(path, zip =>
    {
        var document = ReadDocument(zip, path);
        return new CheckpointInfo(ReadGraph(zip, path), document.Epoch, document.Optimizer, document.History.ToEquatableArray());
    });

    /// <summary>A checkpoint's weights (parameters and buffers by state-dict name), for transfer; the caller owns the tensors.</summary>
    /// <exception cref="CheckpointException">The file is missing or not a checkpoint.</exception>
    internal static Dictionary<string, Tensor> ReadWeights(string path) => Open(path, zip =>
    {
        ReadDocument(zip, path);
        return ReadTensors(zip, "weights.bin", path);
    });

    /// <summary>The entry listing every other entry's SHA-256.</summary>
    public const string ChecksumEntry = "sha256.txt";

    internal static void Write(Stream stream, GraphModule module, Optimizer optimizer, Document document, Tensor globalRng, Tensor shuffleRng)
    {
        using var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true);
        var sums = new Dictionary<string, string>(StringComparer.Ordinal);
        WriteText(zip, "checkpoint.json", JsonSerializer.Serialize(document, Json), sums);
        WriteText(zip, "graph.json", module.Graph.Graph.ToJson(), sums);
        WriteTensors(zip, "weights.bin", module.state_dict(), sums);
        WriteTensors(zip, "optimizer.bin", optimizer.State(), sums);
        WriteTensors(zip, "rng.bin", new Dictionary<string, Tensor> { ["global"] = globalRng, ["shuffle"] = shuffleRng }, sums);
        ZipChecksums.Write(zip, ChecksumEntry, sums);
    }

    /// <summary>A checkpoint's document and tensors, read and checked before anything is applied; owns the tensors.</summary>
    internal sealed record Loaded(Document Document, Dictionary<string, Tensor> Weights, Dictionary<string, Tensor> OptimizerState,
        Dictionary<string, Tensor> Rng) : IDisposable
    {
        public void Dispose()
        {
            foreach (var t in Weights.Values.Concat(OptimizerState.Values).Concat(Rng.Values)) t.Dispose();
        }
    }

    internal static Loaded Load(string path, GraphModule module, Optimizer optimizer) => Open(path, zip =>
    {
        var document = ReadDocument(zip, path);
        var graph = ReadGraph(zip, path);
        if (graph != module.Graph.Graph)
            throw new CheckpointException($"checkpoint '{path}' belongs to another graph: {GraphDifference(graph, module.Graph.Graph)}");
        if (document.Optimizer != optimizer.Kind)
            throw new CheckpointException($"checkpoint '{path}' holds {document.Optimizer} state; this run uses {optimizer.Kind}");
        var weights = ReadTensors(zip, "weights.bin", path);
        var state = ReadTensors(zip, "optimizer.bin", path);
        var rng = ReadTensors(zip, "rng.bin", path);
        var loaded = new Loaded(document, weights, state, rng);
        try
        {
            CheckWeights(path, module, weights);
            if (!rng.ContainsKey("global") || !rng.ContainsKey("shuffle"))
                throw new CheckpointException($"checkpoint '{path}' lacks a generator state in rng.bin");
            return loaded;
        }
        catch
        {
            loaded.Dispose();
            throw;
        }
    });

    private static T Open<T>(string path, Func<ZipArchive, T> read)
    {
        if (!File.Exists(path)) throw new CheckpointException($"no checkpoint at '{path}'");
        try
        {
            using var stream = File.OpenRead(path);
            using var zip = new ZipArchive(stream, ZipArchiveMode.Read);
            if (ZipChecksums.Verify(zip, ChecksumEntry) is { } problem) throw new CheckpointException($"checkpoint '{path}' is damaged: {problem}");
            return read(zip);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or JsonException or ArgumentException or NotSupportedException)
        {
            throw new CheckpointException($"'{path}' is not a readable checkpoint: {e.Message}", e);
        }
    }

    private static Document ReadDocument(ZipArchive zip, string path)
    {
        var document = JsonSerializer.Deserialize<Document>(ReadText(zip, "checkpoint.json", path), Json)
            ?? throw new CheckpointException($"checkpoint '{path}' has an empty checkpoint.json");
        if (document.Format != Format) throw new CheckpointException($"'{path}' is not a checkpoint: its format is \"{document.Format}\", not \"{Format}\"");
        if (document.Version != Version) throw new CheckpointException($"checkpoint '{path}' has version {document.Version}; this library reads version {Version}");
        if (document.History is null || document.Schedule is null || document.Stopping is null || document.Optimizer is null)
            throw new CheckpointException($"checkpoint '{path}' has an incomplete checkpoint.json");
        return document;
    }

    private static Graph ReadGraph(ZipArchive zip, string path)
    {
        try
        {
            return Graph.FromJson(ReadText(zip, "graph.json", path));
        }
        catch (GraphException e)
        {
            throw new CheckpointException($"checkpoint '{path}' holds an unreadable graph: {e.Message}", e);
        }
    }

    private static void CheckWeights(string path, GraphModule module, Dictionary<string, Tensor> weights)
    {
        var expected = module.state_dict();
        var missing = expected.Keys.Where(k => !weights.ContainsKey(k)).ToList();
        var extra = weights.Keys.Where(k => !expected.ContainsKey(k)).ToList();
        if (missing.Count > 0 || extra.Count > 0)
            throw new CheckpointException($"checkpoint '{path}' has weights that do not fit the graph: missing {Names(missing)}, unexpected {Names(extra)}");
        foreach (var (name, tensor) in expected)
        {
            var saved = weights[name];
            if (!saved.shape.SequenceEqual(tensor.shape) || saved.dtype != tensor.dtype)
                throw new CheckpointException($"checkpoint '{path}': '{name}' is {saved.dtype} [{string.Join(", ", saved.shape)}], the module's is {tensor.dtype} [{string.Join(", ", tensor.shape)}]");
        }
    }

    private static string Names(List<string> names) => names.Count == 0 ? "none" : string.Join(", ", names.Take(5)) + (names.Count > 5 ? $" and {names.Count - 5} more" : "");

    /// <summary>The first difference between two graphs, in words.</summary>
    internal static string GraphDifference(Graph saved, Graph current)
    {
        if (saved.Name != current.Name) return $"it was written for graph '{saved.Name}', and this module computes '{current.Name}'";
        for (var i = 0; i < Math.Min(saved.Nodes.Count, current.Nodes.Count); i++)
        {
            Node a = saved.Nodes[i], b = current.Nodes[i];
            if (a == b) continue;
            var what = a.Path != b.Path || a.Inputs != b.Inputs ? $"'{a}' there, '{b}' here"
                : a.Layer != b.Layer ? $"{a.Layer} there, {b.Layer} here"
                : $"trainable {a.Trainable} there, {b.Trainable} here";
            return $"graph '{saved.Name}' differs at node {i} ('{b.Path}'): {what}";
        }
        if (saved.Nodes.Count != current.Nodes.Count) return $"graph '{saved.Name}' has {saved.Nodes.Count} nodes there and {current.Nodes.Count} here";
        return $"graph '{saved.Name}' has outputs [{string.Join(", ", saved.OutputPaths)}] there and [{string.Join(", ", current.OutputPaths)}] here";
    }

    private static void WriteText(ZipArchive zip, string name, string text, Dictionary<string, string> sums)
    {
        using var entry = zip.CreateEntry(name, CompressionLevel.Optimal).Open();
        using var hashing = new ZipChecksums.HashingStream(entry);
        hashing.Write(Encoding.UTF8.GetBytes(text));
        sums[name] = hashing.Hex();
    }

    private static string ReadText(ZipArchive zip, string name, string path)
    {
        var entry = zip.GetEntry(name) ?? throw new CheckpointException($"checkpoint '{path}' has no {name}");
        using var reader = new StreamReader(entry.Open(), Encoding.UTF8);
        return reader.ReadToEnd();
    }

    // TorchSharp's state-dict format: a LEB128 count, then per entry a name and a tensor (dtype, shape, bytes).
    private static void WriteTensors(ZipArchive zip, string name, IReadOnlyDictionary<string, Tensor> tensors, Dictionary<string, string> sums)
    {
        using var entry = zip.CreateEntry(name, CompressionLevel.NoCompression).Open();
        using var hashing = new ZipChecksums.HashingStream(entry);
        using (var writer = new BinaryWriter(hashing, Encoding.UTF8, leaveOpen: true))
            nn.Module.save_state_dict(writer, tensors.ToDictionary(kv => kv.Key, kv => kv.Value));
        sums[name] = hashing.Hex();
    }

    private static Dictionary<string, Tensor> ReadTensors(ZipArchive zip, string name, string path)
    {
        var entry = zip.GetEntry(name) ?? throw new CheckpointException($"checkpoint '{path}' has no {name}");
        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        try
        {
            using var reader = new BinaryReader(entry.Open());
            // TorchSharp writes the count as unsigned LEB128, which is .NET's 7-bit encoded integer.
            var count = reader.Read7BitEncodedInt64();
            if (count < 0 || count > 1_000_000) throw new InvalidDataException($"it claims {count} tensors");
            for (var i = 0; i < count; i++)
            {
                var key = reader.ReadString();
                tensors[key] = TensorExtensionMethods.Load(reader).DetachFromDisposeScope();
            }
            return tensors;
        }
        catch (Exception e)
        {
            foreach (var t in tensors.Values) t.Dispose();
            if (e is CheckpointException) throw;
            throw new CheckpointException($"checkpoint '{path}' has a damaged {name}: {e.Message}", e);
        }
    }
}
